"""What every page shows besides its own content, read once per page-cache generation:
which languages have content, the brand, the topics of the header, the tour page.

Saving any content starts a new generation (operations/page_cache.py), and so
does an article's scheduled publishing time, which changes the languages with
content without a save; with it these are read again. Between the two, pages
ask nothing of the database for them. While the shared cache is away (no
generation is known) they are read on every page.
"""

import functools
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Exists, OuterRef
from django.templatetags.static import static

from articles import languages
from articles.models import Article, Brand, Topic, TourPage, availability
from operations.page_cache import current_generation

logger = logging.getLogger(__name__)

_remembered = {"generation": None, "values": {}}


def _values():
    generation = current_generation()
    if not generation.is_known:
        return {}
    if _remembered["generation"] != generation:
        _remembered.update(generation=generation, values={})
    return _remembered["values"]


def per_generation(function):
    """`function(*args)` computed once per page-cache generation."""

    @functools.wraps(function)
    def remembered(*args):
        values = _values()
        key = (function.__name__, *args)
        if key not in values:
            values[key] = function(*args)
        return values[key]

    return remembered


def forget():
    """Read everything again on the next request (tests)."""
    _remembered.update(generation=None, values={})


@per_generation
def languages_with_content():
    """The languages with a published article, in the site's order: the only ones a
    switcher, `hreflang`, the sitemap or the choice of a language for "/" offer.

    One query of an EXISTS per language, each ending at the first article it
    finds (through the language's index of available articles), not a count
    of them all."""
    published = Article.objects.published()
    exists = {code: Exists(published.filter(availability(code))) for code in languages.CODES}
    found = Article.objects.order_by().annotate(**exists).values(*languages.CODES)[:1]
    return [code for code in languages.CODES if found and found[0][code]]


@per_generation
def listed_count(language, owner_field=None, owner_pk=None):
    """How many articles the list in `language` holds (of one author or topic, with
    `owner_field` and `owner_pk`): counted once per generation for all its pages."""
    articles = Article.objects.published().available_in(language)
    if owner_field is not None:
        articles = articles.filter(**{owner_field: owner_pk})
    return articles.count()


def has_nothing_in(language):
    """Whether `language` has neither an article nor the tour page: its pages answer 404."""
    return language not in languages_with_content() and not tour_page().is_available_in(language)


@per_generation
def tour_page():
    return TourPage.load()


@per_generation
def header_topics(language):
    """The topics with an article in `language`: the sections of the site's header."""
    articles = Article.objects.published().available_in(language).filter(topic=OuterRef("pk"))
    return list(Topic.objects.available_in(language).filter(Exists(articles)))


@dataclass(frozen=True)
class SiteBrand:
    """The brand as pages show it: the editors' (Brand) where set, else the settings'."""

    name: str
    # "" when the brand is shown by its name alone, a text wordmark.
    logo_url: str
    favicon_url: str
    # The default icon, drawn in SVG: offered until editors upload an icon of their own.
    svg_icon_url: str
    touch_icon_url: str
    icon_urls: dict
    brand: Brand

    def tagline(self, language):
        return self.brand.tagline_in(language)


@per_generation
def brand():
    saved = Brand.load()
    icons = saved.icon_urls
    default = default_brand()
    if saved.logo:
        logo_url = saved.logo.url
    else:
        # The default logo is the settings' name's: a brand named in the admin
        # without a logo of its own is shown as its name alone.
        logo_url = "" if saved.name else default.logo_url
    return SiteBrand(
        name=saved.name or default.name,
        logo_url=logo_url,
        favicon_url=icons.get("ico") or default.favicon_url,
        svg_icon_url="" if icons else default.svg_icon_url,
        touch_icon_url=icons.get(180) or default.touch_icon_url,
        icon_urls={width: icons.get(width) or url for width, url in default.icon_urls.items()},
        brand=saved,
    )


def default_brand():
    """The brand from settings alone, for a page made while the database is away."""
    icons = {width: static(f"brand/icon-{width}.png") for width in (180, 192, 512)}
    return SiteBrand(
        name=settings.SITE_NAME,
        logo_url=static("brand/logo.svg"),
        favicon_url=static("brand/favicon.ico"),
        svg_icon_url=static("brand/icon.svg"),
        touch_icon_url=icons[180],
        icon_urls=icons,
        brand=Brand(),
    )


def without_database(default):
    """A Site property that falls back to `default()` when the database cannot be
    read: the error page of a database outage still has the site's layout."""

    def decorator(function):
        @functools.wraps(function)
        def safe(self):
            try:
                return function(self)
            except DatabaseError:
                logger.warning("Page layout made without the database", exc_info=True)
                return default()

        return functools.cached_property(safe)

    return decorator


@dataclass(frozen=True)
class Site:
    """What the layout of a page in `language` shows: the brand, the header's
    sections, the footer's languages, and whether the tour is there."""

    language: str

    @without_database(default_brand)
    def brand(self):
        return brand()

    @functools.cached_property
    def tagline(self):
        return self.brand.tagline(self.language)

    @without_database(list)
    def topics(self):
        return header_topics(self.language)

    @without_database(list)
    def language_links(self):
        """The home page in each language with content."""
        return languages.language_links(
            lambda code: languages.reverse_in(code, "articles:list"), languages_with_content()
        )

    @without_database(bool)
    def has_tour(self):
        return tour_page().is_available_in(self.language)
