import functools
import operator

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import BooleanField, ExpressionWrapper
from django.urls import reverse

from . import languages
from .languages import localized
from .models import Article, availability


class TranslatedSitemap(Sitemap):
    """Each item in its languages, each listing the others and x-default.

    Django points x-default at the default language's URL without its prefix,
    which suits sites that leave that prefix out; ours always has one, so
    x-default is the Turkish version itself, as in the pages' own <head>.
    """

    i18n = True
    alternates = True
    x_default = True

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            by_language = {alternate["lang_code"]: alternate for alternate in url["alternates"]}
            if "x-default" in by_language:
                default = by_language[settings.LANGUAGE_CODE]["location"]
                by_language["x-default"]["location"] = default
        return urls


class ArticleListSitemap(TranslatedSitemap):
    """The list of articles, which every language has."""

    def items(self):
        return ["articles:list"]

    def location(self, item):
        return reverse(item)


class ArticleSitemap(TranslatedSitemap):
    """Each published article in the languages it is available in, and only those."""

    # Articles per file; with their languages and alternates a full file is
    # about a megabyte, well under the protocol's 50,000 URLs and 50 MB.
    limit = 1000

    def items(self):
        # Whether each language is available, asked of the database with the
        # rest: the texts a page would check stay unread.
        available = {code: availability(code) for code in languages.CODES}
        slugs = [localized("slug", code) for code in languages.CODES]
        return (
            Article.objects.published()
            .filter(functools.reduce(operator.or_, available.values()))
            .only("pk", "updated_at", *slugs)
            .annotate(
                **{
                    f"is_available_{code}": ExpressionWrapper(condition, BooleanField())
                    for code, condition in available.items()
                }
            )
            .order_by("pk")
        )

    def get_languages_for_item(self, article):
        return [code for code in languages.CODES if getattr(article, f"is_available_{code}")]

    def location(self, article):
        # Called inside translation.override() for each of the article's languages.
        return article.get_absolute_url()

    def lastmod(self, article):
        return article.updated_at


SITEMAPS = {"lists": ArticleListSitemap, "articles": ArticleSitemap}


def sitemap(request):
    """/sitemap.xml: every URL while each section fits in one file, else an index
    of the section files (/sitemap-articles.xml?p=2, …)."""
    if all(section().paginator.num_pages <= 1 for section in SITEMAPS.values()):
        return sitemap_views.sitemap(request, SITEMAPS)
    return sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap_section")


def sitemap_section(request, section):
    return sitemap_views.sitemap(request, SITEMAPS, section=section)
