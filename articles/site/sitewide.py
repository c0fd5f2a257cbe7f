"""What every page shows besides its own content, read once per page-cache generation:
which languages have content, the brand, the topics of the header, the tour page,
the newest articles that related articles are chosen from, and the authors and
topics of bylines.

They are read again in a new generation (operations/page_cache.py: a
deploy, a restore, the brand, an article's scheduled publishing time, which
changes the languages with content without a save) and after a drop of
pages this process sees (operations/page_drops.py: every save of content, in
any process): after any drop, but for the languages with content and a
language's count of articles, which only a drop of a list changes (a save
of an article's texts leaves them). Between those, pages ask nothing of the
database for them.
While the shared cache is away (no generation is known) they are read on
every page.
"""

import functools
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.templatetags.static import static

from articles import languages
from articles.models import Article, Author, Brand, Topic, TourPage, availability
from articles.text import page_targets
from operations import page_drops
from operations.page_cache import current_generation

logger = logging.getLogger(__name__)

_remembered = {"generation": None, "seen": None, "values": {}}
# The functions whose values only some drops change: {name: changes_with}.
_changes_with = {}


def _values():
    generation = current_generation()
    if not generation.is_known:
        return {}
    # A save drops only the pages it changes, in a generation that goes on: what
    # is remembered goes with the drops this process sees that may change it.
    seen = page_drops.drops_seen()
    if _remembered["generation"] != generation:
        _remembered.update(generation=generation, seen=seen, values={})
    elif _remembered["seen"] != seen:
        dropped = page_drops.dropped_since(_remembered["seen"])
        _remembered.update(seen=seen, values=_kept(_remembered["values"], dropped))
    return _remembered["values"]


def _kept(values, dropped):
    """What of `values` no drop of `dropped` (a list of targets, None when unknown) changes."""
    if dropped is None or page_drops.EVERYTHING in dropped:
        return {}
    kept = {}
    # A copy: a thread making dropped pages again may add values meanwhile.
    for key, value in dict(values).items():
        changes_with = _changes_with.get(key[0])
        if changes_with and not any(changes_with(targets, *key[1:]) for targets in dropped):
            kept[key] = value
    return kept


def per_generation(function=None, *, changes_with=None):
    """`function(*args)` computed once per page-cache generation and again after each
    drop of pages; with `changes_with(targets, *args)`, only after a drop of
    targets it says change the value."""
    if function is None:
        return functools.partial(per_generation, changes_with=changes_with)
    if changes_with is not None:
        _changes_with[function.__name__] = changes_with

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
    _remembered.update(generation=None, seen=None, values={})


def _changes_a_list(targets):
    return any(page_targets.articles_in(code) in targets for code in languages.CODES)


# Which languages have an article changes only with a language's list (an article
# published, withdrawn, given or losing its texts there: page_targets' `l:`).
@per_generation(changes_with=_changes_a_list)
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


# A language's list changes with its `l:` target; an author's or topic's with
# other drops too (an article moved from one to another), after any drop.
@per_generation(
    changes_with=lambda targets, language, owner_field=None, owner_pk=None: (
        owner_field is not None or page_targets.articles_in(language) in targets
    )
)
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


@per_generation
def newest_articles(language, topic_id, count):
    """The `count` newest articles readers see in `language`, on the topic `topic_id`
    unless it is None, as cards show them."""
    articles = Article.objects.published().available_in(language).as_cards(language)
    if topic_id is not None:
        articles = articles.filter(topic_id=topic_id)
    return list(articles.order_by("-published_at", "-pk")[:count])


def related_articles(article, language, count):
    """At most `count` other articles readers see in `language`: those on `article`'s
    topic first, then the newest, newest first in each group.

    Chosen from each group's newest, read once per generation for every page
    (one more than `count`: the page's own article may be among them), so
    an article's page asks the database nothing for them.
    """
    newest = newest_articles(language, None, count + 1)
    if article.topic_id is not None:
        same_topic = newest_articles(language, article.topic_id, count + 1)
        newest = same_topic + [other for other in newest if other.topic_id != article.topic_id]
    return [other for other in newest if other.pk != article.pk][:count]


@per_generation
def author(pk):
    return Author.objects.filter(pk=pk).first()


@per_generation
def topic(pk):
    return Topic.objects.filter(pk=pk).first()


def with_byline(article):
    """`article` given its author and topic as read once per generation: its page
    then reads one row, joined to nothing."""
    if article.author_id is not None:
        article.author = author(article.author_id)
    if article.topic_id is not None:
        article.topic = topic(article.topic_id)
    return article


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
                # Set past the frozen dataclass, as cached_property does.
                self.__dict__["is_made_without_database"] = True
                return default()

        return functools.cached_property(safe)

    return decorator


@dataclass(frozen=True)
class Site:
    """What the layout of a page in `language` shows: the brand, the header's
    sections, the footer's languages, and whether the tour is there."""

    language: str
    # Whether a value fell back to its default: the layout made from it is not kept.
    is_made_without_database = False

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


def layout(template_name, site, *, current=None, **context):
    """`template_name`, a part of every page's layout, rendered for `site` (the
    `site` of the page's context) with `context`: once per generation for each
    language and `current` (what in it the page is, as a hashable value).
    A part made while the database was away is not kept."""
    values = _values()
    key = (template_name, site.language, current)
    if key not in values:
        html = render_to_string(template_name, {"site": site, **context})
        if site.is_made_without_database:
            return html
        values[key] = html
    return values[key]


def header(site, section, owner):
    """The site's header but the language switcher, on a page of `section` or
    `owner` (an author or topic)."""
    current_topic = owner.pk if isinstance(owner, Topic) else None
    return layout(
        "includes/site_header.html",
        site,
        current=(section, current_topic),
        section=section,
        owner=owner,
    )


def footer(site):
    return layout("includes/site_footer.html", site)
