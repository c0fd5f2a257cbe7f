"""The cached pages an article's change drops: those showing what it changed, in the
languages it changed, and nothing else (the targets are named in
articles/text/page_targets.py).

An article shows on each target with some of its values: its page with every
text of the language and the shared fields, a card with its title, lede,
image, author, topic and date, a list with its date. A change drops the
targets whose values differ before and after it, a new article those it
shows on, a deleted one those it showed on. What every page shows (the
languages with articles, the header's sections) can change only when an
article's languages or topic do; then it is compared with what it was, and
every page goes if it changed.

Every writer passes here: the write path (`editing.save`) calls `before` and
`after` around its UPDATE, and receivers registered in ready() do for any
other save or delete (a script, the shell, loaddata).
"""

from django.db.models import Count
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from articles import languages
from articles.languages import localized
from articles.models import Article, Author, Topic, availability
from articles.text import page_targets
from operations.page_cache import invalidate_pages
from operations.page_drops import drop_pages, knows_sitewide_before

# What an article's page in a language shows of it, besides its texts in that language.
PAGE_SHARED = (
    "image",
    "image_width",
    "image_height",
    "image_renditions",
    "image_credit",
    "author_id",
    "topic_id",
    "published_at",
    "source_language",
)
PAGE_TEXTS = (
    "title",
    "slug",
    "lede",
    "body_html",
    "toc",
    "meta_description",
    "image_alt",
    "image_caption",
    "reading_minutes",
    "is_published",
)
# What a card, a feed's entry or a related article shows of it.
CARD_SHARED = ("image", "image_width", "image_height", "image_renditions", "author_id", "topic_id")
CARD_TEXTS = ("title", "slug", "lede", "meta_description", "image_alt", "reading_minutes")

# Where a save's values before it are kept until it is written.
_BEFORE = "_cached_pages_before"


def _values(article, names, language=None):
    values = []
    for name in names:
        value = getattr(article, localized(name, language) if language else name)
        values.append(getattr(value, "name", value))
    return tuple(values)


def _slugs(model, pk):
    if pk is None:
        return {}
    names = [localized("slug", code) for code in languages.CODES]
    row = model._base_manager.filter(pk=pk).values(*names).first() or {}
    return {code: row.get(localized("slug", code)) for code in languages.CODES}


def shown(article):
    """{target: what `article` shows there} for every page it shows on."""
    if article is None or article.published_at is None:
        return {}
    when = (article.published_at,)
    topics, authors = _slugs(Topic, article.topic_id), _slugs(Author, article.author_id)
    targets = {page_targets.SITEMAPS: (article.updated_at, *when)}
    for code in languages.CODES:
        if not article.is_available_in(code):
            continue
        slug = getattr(article, localized("slug", code))
        targets[page_targets.page(code, slug)] = _values(article, PAGE_TEXTS, code) + _values(
            article, PAGE_SHARED
        )
        targets[page_targets.article(code, slug)] = _values(article, CARD_TEXTS, code) + _values(
            article, CARD_SHARED
        )
        targets[page_targets.articles_in(code)] = when
        if topics.get(code):
            targets[page_targets.topic(code, topics[code])] = when
        if authors.get(code):
            targets[page_targets.author(code, authors[code])] = when
    return targets


def shown_everywhere(article):
    """What every page may show of `article`: its topic in the languages it is in."""
    if article is None or article.published_at is None:
        return ()
    return tuple((code, article.topic_id) for code in article.languages)


def stored(article, *, as_loaded=False):
    """`article` as it is stored now, or None for a new one. `as_loaded`: as this copy
    was loaded, when it was loaded whole (the write path, whose UPDATE checks
    that the row has not changed since), without reading it again."""
    if article.pk is None:
        return None
    loaded = getattr(article, "loaded_values", None) if as_loaded else None
    if loaded and all(field.attname in loaded for field in Article._meta.concrete_fields):
        return Article(**loaded)
    return Article._base_manager.filter(pk=article.pk).first()


def before(article, *, deleting=False, as_loaded=False):
    """Remember what `article` shows before it is written (or deleted), and what every
    page shows when the write may change it."""
    if hasattr(article, _BEFORE):
        return
    old = stored(article, as_loaded=as_loaded)
    sitewide = None
    if shown_everywhere(old) != shown_everywhere(None if deleting else article):
        if not knows_sitewide_before():
            sitewide = shown_on_every_page()
    setattr(article, _BEFORE, (old, sitewide))


def after(article, *, deleted=False):
    """Drop, once the transaction commits, the pages showing what `article`'s write
    (or delete) changed; nothing unless `before` was called."""
    if not hasattr(article, _BEFORE):
        return
    old, sitewide = article.__dict__.pop(_BEFORE)
    was, now = shown(old), shown(None if deleted else article)
    changed = {target for target in was.keys() | now.keys() if was.get(target) != now.get(target)}
    changed.update(_newest_changed(article, changed, deleted=deleted))
    if changed or sitewide is not None:
        drop_pages(changed, sitewide_before=sitewide)


# The newest articles every article page may show among its related ones (their
# number, RELATED_COUNT in articles/site/views.py, and the page's own).
NEWEST_SHOWN = 4


def _newest_changed(article, changed, *, deleted):
    """The `n:` targets of the languages whose newest articles `article` now joins:
    one leaving them is dropped from the pages that link to it."""
    if deleted or article.published_at is None:
        return set()
    found = set()
    for code in languages.CODES:
        if page_targets.articles_in(code) not in changed or not article.is_available_in(code):
            continue
        newer = Article.objects.published().available_in(code).exclude(pk=article.pk)
        if newer.filter(published_at__gt=article.published_at).count() < NEWEST_SHOWN:
            found.add(page_targets.newest_in(code))
    return found


def shown_on_every_page():
    """What every page shows of the articles: the languages with a published article,
    and the topics of the header in each."""
    published = Article.objects.published()
    counts = published.aggregate(
        **{code: Count("pk", filter=availability(code)) for code in languages.CODES}
    )
    topics = {
        code: sorted(
            published.available_in(code)
            .exclude(topic=None)
            .values_list("topic_id", flat=True)
            .distinct()
        )
        for code in languages.CODES
        if counts[code]
    }
    return tuple(code for code in languages.CODES if counts[code]), topics


def _saving(sender, instance, **kwargs):
    if sender is Article:
        before(instance)


def _deleting(sender, instance, **kwargs):
    if sender is Article:
        before(instance, deleting=True)


def _saved(sender, instance, **kwargs):
    if sender is Article:
        after(instance)
    elif sender._meta.label_lower == LABEL:
        # An article as a data migration knows it, without the methods that say
        # where it shows: every page goes.
        invalidate_pages()


def _deleted(sender, instance, **kwargs):
    if sender is Article:
        after(instance, deleted=True)
    elif sender._meta.label_lower == LABEL:
        invalidate_pages()


LABEL = Article._meta.label_lower


def follow_every_writer():
    """Drop the pages an article's save or delete changes, whoever makes it: the ORM
    in a script or the shell, loaddata, a data migration."""
    pre_save.connect(_saving, dispatch_uid="cached_pages.saving")
    post_save.connect(_saved, dispatch_uid="cached_pages.saved")
    pre_delete.connect(_deleting, dispatch_uid="cached_pages.deleting")
    post_delete.connect(_deleted, dispatch_uid="cached_pages.deleted")
