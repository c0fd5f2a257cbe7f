from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from articles.languages import localized
from articles.models import Article, Topic
from articles.text.bidi import mark_direction
from articles.text.validators import without_control_characters

from . import sitewide


def _text(value):
    """A feed's text, which holds no markup: marked right to left where it needs it."""
    return mark_direction(value) if get_language_bidi() else value


# The latest articles only: feed readers poll often and want what is new.
FEED_LENGTH = 20


class LatestArticlesFeed(Feed):
    """The latest articles available in the feed's language, newest first."""

    feed_type = Atom1Feed

    def author_name(self):
        # Atom asks for an author; the site speaks for its articles.
        return sitewide.brand().name

    def title(self):
        return _text(
            _("%(site)s: articles on customer support and customer experience")
            % {"site": sitewide.brand().name}
        )

    def subtitle(self):
        return _text(_("Articles on customer support and customer experience."))

    def link(self):
        return reverse("articles:list")

    def feed_url(self):
        return reverse("articles:feed")

    def articles(self):
        language = translation.get_language()
        return Article.objects.published().available_in(language).listed().with_byline()

    def items(self):
        return self.articles()[:FEED_LENGTH]

    def item_title(self, article):
        return _text(without_control_characters(article.title))

    def item_description(self, article):
        return _text(without_control_characters(article.lede or article.meta_description))

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_author_name(self, article):
        if article.author and article.author.name:
            return _text(without_control_characters(article.author.name))
        return None

    def item_author_link(self, article):
        if article.author and article.author.is_available_in(translation.get_language()):
            return article.author.get_absolute_url()
        return None

    def item_categories(self, article):
        return [article.topic.name] if article.topic and article.topic.name else []


class TopicFeed(LatestArticlesFeed):
    """The latest articles on one topic in the feed's language."""

    def get_object(self, request, slug):
        language = translation.get_language()
        topic = Topic.objects.filter(**{localized("slug", language): slug}).first()
        if topic is None or not topic.is_available_in(language):
            raise Http404
        return topic

    def title(self, topic):
        return _text(
            _("%(site)s: %(topic)s")
            % {"site": sitewide.brand().name, "topic": without_control_characters(topic.name)}
        )

    def subtitle(self, topic):
        if topic.description:
            return _text(without_control_characters(topic.description))
        return super().subtitle()

    def link(self, topic):
        return topic.get_absolute_url()

    def feed_url(self, topic):
        return topic.get_feed_url()

    def items(self, topic):
        return self.articles().filter(topic=topic)[:FEED_LENGTH]
