from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from .bidi import mark_direction
from .models import Article
from .validators import without_control_characters


def _text(value):
    """A feed's text, which holds no markup: marked right to left where it needs it."""
    return mark_direction(value) if get_language_bidi() else value


# The latest articles only: feed readers poll often and want what is new.
FEED_LENGTH = 20


class LatestArticlesFeed(Feed):
    """The latest articles available in the feed's language, newest first."""

    feed_type = Atom1Feed
    # Atom asks for an author; the site speaks for its articles.
    author_name = "cxcs"

    def title(self):
        return _text(_("cxcs: articles on customer support and customer experience"))

    def subtitle(self):
        return _text(_("Articles on customer support and customer experience."))

    def link(self):
        return reverse("articles:list")

    def feed_url(self):
        return reverse("articles:feed")

    def items(self):
        language = translation.get_language()
        return Article.objects.published().available_in(language).listed()[:FEED_LENGTH]

    def item_title(self, article):
        return _text(without_control_characters(article.title))

    def item_description(self, article):
        return _text(without_control_characters(article.lede or article.meta_description))

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at
