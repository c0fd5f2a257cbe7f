import functools
import operator

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, Max, OuterRef, Q
from django.urls import reverse
from django.utils import translation

from articles import languages
from articles.languages import localized
from articles.models import Article, Author, Topic, availability

from . import sitewide
from .middleware import same_in_every_language


class TranslatedSitemap(Sitemap):
    """Each item in its languages, each listing the others and x-default.

    Django points x-default at the default language's URL without its prefix,
    which suits sites that leave that prefix out; ours always has one, so
    x-default is the Turkish version itself, as in the pages' own <head>.
    """

    i18n = True
    alternates = True
    x_default = True

    @functools.cached_property
    def paginator(self):
        # Django makes a paginator, which lists every item in every language,
        # each time it is asked for one; once per request is enough.
        return super().paginator

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            by_language = {alternate["lang_code"]: alternate for alternate in url["alternates"]}
            if "x-default" in by_language:
                default = by_language[settings.LANGUAGE_CODE]["location"]
                by_language["x-default"]["location"] = default
        return urls


class ArticleListSitemap(TranslatedSitemap):
    """The list of articles in each language with content, and the tour page in each
    of those it is published in."""

    def items(self):
        return ["articles:list", "marketing:tour"]

    def get_languages_for_item(self, item):
        visible = sitewide.languages_with_content()
        if item == "marketing:tour":
            return [code for code in visible if sitewide.tour_page().is_available_in(code)]
        return visible

    def location(self, item):
        return reverse(item)


class OwnerSitemap(TranslatedSitemap):
    """The page of each author (or topic) in the languages it has articles in."""

    model = None
    owner_field = None

    @functools.cached_property
    def owners(self):
        """The authors (topics) with an article in a language with content, each
        with `has_<code>` for those languages: one query, which looks up an
        owner's newest articles by index until it finds one in the language."""
        has = {
            f"has_{code}": Exists(
                Article.objects.published().filter(
                    availability(code), **{self.owner_field: OuterRef("pk")}
                )
            )
            for code in sitewide.languages_with_content()
        }
        if not has:
            return []
        any_language = functools.reduce(operator.or_, (Q(**{name: True}) for name in has))
        return list(self.model.objects.annotate(**has).filter(any_language).order_by("pk"))

    def items(self):
        return self.owners

    def get_languages_for_item(self, owner):
        return [
            code
            for code in languages.CODES
            if getattr(owner, f"has_{code}", False) and owner.is_available_in(code)
        ]

    def location(self, owner):
        # Called inside translation.override() for each of its languages.
        return owner.get_absolute_url()


class AuthorSitemap(OwnerSitemap):
    model = Author
    owner_field = "author"


class TopicSitemap(OwnerSitemap):
    model = Topic
    owner_field = "topic"


class ArticlePages(Paginator):
    """Pages of whole articles, counted and cut by the database; each page lists
    the (article, language) pairs Django's sitemaps make a URL of."""

    def __init__(self, rows, per_page, languages_for, count):
        super().__init__(rows, per_page)
        self.languages_for = languages_for
        self._count = count

    @functools.cached_property
    def count(self):
        return self._count()

    def page(self, number):
        page = super().page(number)
        page.object_list = [
            (row, code) for row in page.object_list for code in self.languages_for(row)
        ]
        return page


class ArticleSitemap(TranslatedSitemap):
    """Each published article in the languages it is available in, and only those.

    Items are rows (dicts) of the few columns the sitemap shows, not articles,
    and a file holds whole articles: Django's own paginator lists every article
    in every language to count them, which with thousands of articles made the
    index and each file cost as much as all of them.
    """

    # URLs per file at most (an article counts once per language); with
    # alternates a full file is about 600 KB, well under the protocol's 50,000
    # URLs and 50 MB.
    limit = 1000

    @functools.cached_property
    def paginator(self):
        per_file = max(1, self.limit // len(languages.CODES))
        return ArticlePages(
            self.items(), per_file, self.get_languages_for_item, lambda: self.summary["count"]
        )

    @functools.cached_property
    def summary(self):
        return article_summary()

    def items(self):
        # Whether each language is available, asked of the database with the
        # rest: the texts a page would check stay unread.
        available = {code: availability(code) for code in languages.CODES}
        return (
            Article.objects.published()
            .filter(functools.reduce(operator.or_, available.values()))
            .annotate(
                **{
                    f"is_available_{code}": ExpressionWrapper(condition, BooleanField())
                    for code, condition in available.items()
                }
            )
            # The order of the index that answers this.
            .order_by("-published_at", "-pk")
            .values(
                "updated_at",
                *(localized("slug", code) for code in languages.CODES),
                *(f"is_available_{code}" for code in languages.CODES),
            )
        )

    def get_languages_for_item(self, row):
        return [code for code in languages.CODES if row[f"is_available_{code}"]]

    def location(self, row):
        # Called inside translation.override() for each of the article's languages.
        slug = row[localized("slug", translation.get_language())]
        return reverse("articles:detail", kwargs={"slug": slug})

    def lastmod(self, row):
        return row["updated_at"]

    def get_latest_lastmod(self):
        # Django's would go through every item once more.
        return self.summary["latest"]


@sitewide.per_generation
def article_summary():
    """How many articles the sitemap lists, and their latest change: read once per
    generation, and the index (which counts them and holds the time) read once
    for both."""
    return ArticleSitemap().items().aggregate(count=Count("pk"), latest=Max("updated_at"))


SITEMAPS = {
    "lists": ArticleListSitemap,
    "articles": ArticleSitemap,
    "authors": AuthorSitemap,
    "topics": TopicSitemap,
}


@same_in_every_language
def sitemap(request):
    """/sitemap.xml: every URL while each section fits in one file, else an index
    of the section files (/sitemap-articles.xml?p=2, …)."""
    sections = {name: sitemap_class() for name, sitemap_class in SITEMAPS.items()}
    if all(section.paginator.num_pages <= 1 for section in sections.values()):
        return sitemap_views.sitemap(request, sections)
    return sitemap_views.index(request, sections, sitemap_url_name="sitemap_section")


@same_in_every_language
def sitemap_section(request, section):
    sections = {name: sitemap_class() for name, sitemap_class in SITEMAPS.items()}
    return sitemap_views.sitemap(request, sections, section=section)
