"""What a public page shows, named as targets, for a save to drop only the pages it
changes (operations/page_drops.py).

A page shows:

- `p:<language>:<slug>`: the article whose page it is (its whole text);
- `a:<language>:<slug>`: each article it links to (a card, a related article,
  the switcher's and `hreflang`'s other languages, a feed's or a sitemap's
  entry): a change of what a card shows drops it;
- `l:<language>`: the order of the language's articles: its list pages and
  feed;
- `n:<language>`: the language's newest articles, which the related articles
  of every article page include;
- `t:<language>:<slug>`: a topic's articles: its pages and feed, and the
  pages linking to the topic in their content (those on the topic, whose
  related articles are the topic's newest); the header's sections are what
  every page shows (a change of them drops every page);
- `w:<language>:<slug>`: an author's articles: the author's pages;
- `s`: the sitemap files.

Slugs are percent-encoded, so targets are plain ASCII, as the header naming
them to caching proxies must be.
"""

import re
from urllib.parse import quote, unquote

from articles import languages

SITEMAPS = "s"

_codes = "|".join(re.escape(code) for code in languages.CODES)
_PATH = re.compile(
    rf"^/(?P<language>{_codes})/(?:(?P<kind>articles|topics|authors)/(?P<slug>[^/]+)/)?"
)
_ARTICLE_LINK = re.compile(rf"/({_codes})/articles/([^/\"'<>?#\s]+)/".encode())
_TOPIC_LINK = re.compile(rf"/({_codes})/topics/([^/\"'<>?#\s]+)/".encode())
_MAIN = re.compile(rb"<main[\s>].*?</main>", re.DOTALL)


def _slug(slug):
    return quote(unquote(slug), safe="")


def page(language, slug):
    return f"p:{language}:{_slug(slug)}"


def article(language, slug):
    return f"a:{language}:{_slug(slug)}"


def articles_in(language):
    return f"l:{language}"


def newest_in(language):
    return f"n:{language}"


def topic(language, slug):
    return f"t:{language}:{_slug(slug)}"


def author(language, slug):
    return f"w:{language}:{_slug(slug)}"


def of_page(path, body):
    """The targets of the page at `path` (a WSGI PATH_INFO: UTF-8 read as Latin-1, as
    servers give it) whose content is `body` (bytes)."""
    try:
        path = path.encode("latin-1").decode()
    except (UnicodeEncodeError, UnicodeDecodeError):
        # Already text (a server that decoded it), or not UTF-8: read as it is.
        pass
    targets = {article(code.decode(), slug.decode()) for code, slug in _ARTICLE_LINK.findall(body)}
    main = _MAIN.search(body)
    for code, slug in _TOPIC_LINK.findall(main[0] if main else b""):
        targets.add(topic(code.decode(), slug.decode()))
    if path.startswith("/sitemap"):
        targets.add(SITEMAPS)
    found = _PATH.match(path)
    if found is None:
        return targets
    language, kind, slug = found["language"], found["kind"], found["slug"]
    if kind == "topics":
        targets.add(topic(language, slug))
    elif kind == "authors":
        targets.add(author(language, slug))
    elif kind == "articles":
        targets.update((page(language, slug), newest_in(language)))
    else:
        # The lists and the feed.
        targets.add(articles_in(language))
    return targets
