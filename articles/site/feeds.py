from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from articles import languages
from articles.languages import localized
from articles.models import Article, Topic
from articles.text.bidi import mark_direction
from articles.text.validators import without_control_characters

from . import sitewide

# The latest articles only: feed readers poll often and want what is new.
FEED_LENGTH = 20


def latest_articles(request):
    return LatestArticlesFeed(request.LANGUAGE_CODE)(request)


def topic_articles(request, slug):
    return TopicFeed(request.LANGUAGE_CODE)(request, slug=slug)


class LatestArticlesFeed(Feed):
    """The latest articles available in `language`, newest first; one made per request."""

    feed_type = Atom1Feed

    def __init__(self, language):
        super().__init__()
        self.language = language

    def field(self, obj, name):
        """`obj`'s text `name` in the feed's language, without what XML cannot carry."""
        return without_control_characters(getattr(obj, localized(name, self.language)) or "")

    def _text(self, value):
        """A feed's text, which holds no markup: marked right to left where it needs it."""
        return mark_direction(value) if languages.is_right_to_left(self.language) else value

    def site_name(self):
        return without_control_characters(sitewide.brand().name)

    def author_name(self):
        # Atom asks for an author; the site speaks for its articles.
        return self.site_name()

    def title(self):
        return self._text(
            _("%(site)s: articles on customer support and customer experience")
            % {"site": self.site_name()}
        )

    def subtitle(self):
        return self._text(_("Articles on customer support and customer experience."))

    def link(self):
        return languages.reverse_in(self.language, "articles:list")

    def feed_url(self):
        return languages.reverse_in(self.language, "articles:feed")

    def articles(self):
        return Article.objects.published().available_in(self.language).listed().with_byline()

    def items(self):
        return self.articles()[:FEED_LENGTH]

    def item_title(self, article):
        return self._text(self.field(article, "title"))

    def item_description(self, article):
        return self._text(self.field(article, "lede") or self.field(article, "meta_description"))

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_author_name(self, article):
        name = self.field(article.author, "name") if article.author else ""
        return self._text(name) if name else None

    def item_author_link(self, article):
        if article.author and article.author.is_available_in(self.language):
            return article.author.get_absolute_url(self.language)
        return None

    def item_categories(self, article):
        name = self.field(article.topic, "name") if article.topic else ""
        return [name] if name else []


class TopicFeed(LatestArticlesFeed):
    """The latest articles on one topic in the feed's language."""

    def get_object(self, request, slug):
        topic = Topic.objects.filter(**{localized("slug", self.language): slug}).first()
        if topic is None or not topic.is_available_in(self.language):
            raise Http404
        return topic

    def title(self, topic):
        return self._text(
            _("%(site)s: %(topic)s")
            % {"site": self.site_name(), "topic": self.field(topic, "name")}
        )

    def subtitle(self, topic):
        if description := self.field(topic, "description"):
            return self._text(description)
        return super().subtitle()

    def link(self, topic):
        return topic.get_absolute_url(self.language)

    def feed_url(self, topic):
        return topic.get_feed_url(self.language)

    def items(self, topic):
        return self.articles().filter(topic=topic)[:FEED_LENGTH]
