from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Article


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

    def items(self):
        return Article.objects.published().order_by("pk")

    def get_languages_for_item(self, article):
        return article.languages

    def location(self, article):
        # Called inside translation.override() for each of the article's languages.
        return article.get_absolute_url()

    def lastmod(self, article):
        return article.updated_at


SITEMAPS = {"lists": ArticleListSitemap, "articles": ArticleSitemap}
