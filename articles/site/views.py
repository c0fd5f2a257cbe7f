import functools

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.functional import cached_property
from django.utils.http import http_date
from django.views.generic import ListView
from django.views.static import serve

from articles import images, languages
from articles.languages import language_links, localized, reverse_in
from articles.models import Article, Author, Topic
from articles.models.search_index import SearchResults

from . import sitewide
from .forms import SearchForm
from .middleware import same_in_every_language

# Articles on a page of a list: the home page's first holds the featured one and 11 more.
ARTICLES_PER_PAGE = 12
# Related articles at the end of an article.
RELATED_COUNT = 3


class ListPages(Paginator):
    """A list's pages, a page past the middle counted from the oldest end, so that
    reaching one skips at most half the list; and the articles skipped are
    skipped in the list's index (their ids), with no row read. `count()` counts
    the list."""

    def __init__(self, object_list, per_page, *, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._count = count

    @cached_property
    def count(self):
        return self._count()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        articles = self.object_list
        if bottom > self.count - top:
            # From the oldest end, then in the list's order again.
            articles, bottom, top = articles.reverse(), self.count - top, self.count - bottom
        if bottom:
            ids = articles.values_list("pk", flat=True)[bottom:top]
            # In the list's order, whichever end the ids were counted from.
            rows = self.object_list.filter(pk__in=list(ids))
        else:
            rows = list(articles[:top])
            if articles is not self.object_list:
                rows.reverse()
        return self._get_page(rows, number, self)


class ArticleListView(ListView):
    """The latest articles in the page's language, a page of them at a time: the first
    page at /<lang>/ (the newest one featured), the others at /<lang>/page/<n>/.

    A language with neither an article nor the tour page has no home page (404),
    but the default language's always answers.
    """

    paginate_by = ARTICLES_PER_PAGE
    paginator_class = ListPages
    url_name = "articles:list"
    # The header's section this list is (shown as the current one).
    section = "home"

    def get(self, request, *args, **kwargs):
        # One address per page: the first is the list itself, there is no page 0,
        # and a page asked for as ?page=n (Django's own way) is sent to its address.
        asked = request.GET.get("page")
        if asked is not None and "page" not in kwargs:
            if asked.isdecimal() and 0 < int(asked) <= self.page_count():
                return redirect(self.page_url(int(asked)), permanent=True)
            return not_found(request)
        if kwargs.get("page") == 1:
            return redirect(self.page_url(1), permanent=True)
        if kwargs.get("page") == 0 or not self.is_offered():
            return not_found(request)
        return super().get(request, *args, **kwargs)

    def is_offered(self):
        """Whether the page's language has this list at all."""
        language = translation.get_language()
        return language == settings.LANGUAGE_CODE or not sitewide.has_nothing_in(language)

    def get_queryset(self):
        language = translation.get_language()
        return Article.objects.published().available_in(language).as_cards(language)

    def get_paginator(self, queryset, per_page, **kwargs):
        return self.paginator_class(queryset, per_page, count=self.article_count, **kwargs)

    def article_count(self):
        return sitewide.listed_count(translation.get_language())

    def page_count(self):
        return self.get_paginator(self.get_queryset(), self.paginate_by).num_pages

    def page_url(self, number):
        kwargs = {key: value for key, value in self.kwargs.items() if key != "page"}
        if number == 1:
            return reverse(self.url_name, kwargs=kwargs)
        return reverse(f"{self.url_name}_page", kwargs={**kwargs, "page": number})

    def languages(self):
        """The languages the first page has a version in, the others' links included."""
        return sitewide.languages_with_content()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        language = translation.get_language()
        visible = self.languages()
        all_languages = language_links(self.translated_url, visible)
        if language not in visible:
            # Nothing here for search engines: the page names no other version.
            context["language_links"] = []
            context["switcher_links"] = all_languages
            context["is_unlisted"] = True
        elif page.number == 1:
            context["language_links"] = all_languages
        else:
            # Another language's page n holds other articles: only the first
            # pages are each other's translations.
            context["language_links"] = language_links(
                lambda code: self.page_url(page.number), [language]
            )
            context["switcher_links"] = all_languages
        context.update(
            search_form=SearchForm(language=language),
            section=self.section,
            **page_links(page, self.page_url),
        )
        return context

    def translated_url(self, language):
        return reverse_in(language, self.url_name)


def page_links(page, url_of):
    """The addresses of the pages before and after `page`, for links and rel links."""
    return {
        "previous_url": url_of(page.previous_page_number()) if page.has_previous() else None,
        "next_url": url_of(page.next_page_number()) if page.has_next() else None,
    }


class NamedListView(ArticleListView):
    """The articles of one author or topic (`model`) in the page's language."""

    model = None
    section = None

    def get(self, request, *args, **kwargs):
        language = translation.get_language()
        slug = kwargs["slug"]
        found = self.model.objects.filter(**{localized("slug", language): slug}).first()
        if found is None:
            # A link whose language prefix was changed by hand: the slug is
            # another language's.
            found = self.model.objects.with_slug_in_any_language(slug).first()
            if found is not None and found.is_available_in(language):
                return redirect(found.get_absolute_url(language), permanent=True)
        if found is None or not found.is_available_in(language):
            links = language_links(found.get_absolute_url, found.languages) if found else ()
            return not_found(request, language_links=links)
        self.owner = found
        return super().get(request, *args, **kwargs)

    def is_offered(self):
        # Whether the owner has a page here was asked above.
        return True

    def get_queryset(self):
        return super().get_queryset().filter(**{self.owner_field: self.owner})

    def article_count(self):
        language = translation.get_language()
        return sitewide.listed_count(language, self.owner_field, self.owner.pk)

    def languages(self):
        visible = sitewide.languages_with_content()
        return [code for code in self.owner.languages if code in visible]

    def translated_url(self, language):
        return self.owner.get_absolute_url(language)

    def get_context_data(self, **kwargs):
        return super().get_context_data(owner=self.owner, **kwargs)


class AuthorView(NamedListView):
    model = Author
    owner_field = "author"
    url_name = "articles:author"
    template_name = "articles/author_detail.html"


class TopicView(NamedListView):
    model = Topic
    owner_field = "topic"
    url_name = "articles:topic"
    template_name = "articles/topic_detail.html"


def not_found(request, *, language_links=()):
    """The 404 page; `language_links` lists where the page can be read instead."""
    context = {"status": 404, "available_in": language_links}
    return render(request, "error.html", context, status=404)


def is_staff(request):
    """Whether an editor is logged in, asked only of requests that carry a session.

    Not touching the session otherwise keeps public pages free of "Vary: Cookie",
    so the page cache and CDNs keep one copy for every reader.
    """
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_staff


# What an article's page shows: these in its language, these whatever the language.
PAGE_TEXTS = (
    "title",
    "slug",
    "lede",
    "meta_description",
    "image_alt",
    "image_caption",
    "body_html",
    "toc",
)
PAGE_COLUMNS = (
    "updated_at",
    "published_at",
    "image",
    "image_width",
    "image_height",
    "image_credit",
    "author",
    "topic",
)


def page_columns(language):
    """The columns an article's page in `language` reads: what it shows, and what
    says whether each language has the article (for the switcher); not every text
    of every language, which would make reading the row most of the page's work."""
    texts = [localized(name, language) for name in (*PAGE_TEXTS, "reading_minutes")]
    availability = [
        localized(name, code)
        for code in languages.CODES
        for name in (*Article.REQUIRED_CONTENT, "is_published")
    ]
    return [*PAGE_COLUMNS, "image_renditions", *texts, *availability]


@functools.cache
def page_query(language):
    """The SQL reading an article's page in `language` by its slug (page_columns),
    published or not: made once per language, since building and compiling
    the queryset took longer than the database takes to answer it."""
    articles = Article.objects.only(*page_columns(language))
    found = articles.filter(**{localized("slug", language): "slug"})[:1]
    sql, _params = found.query.sql_with_params()
    return sql


def article_with_slug(slug, language):
    """The article whose slug in `language` is `slug`, published or not, or None."""
    return next(iter(Article.objects.raw(page_query(language), [slug])), None)


def article_detail(request, slug):
    language = translation.get_language()
    staff = is_staff(request)
    article = article_with_slug(slug, language)
    if article is None or not (staff or article.is_live_in(language)):
        article, elsewhere = find_elsewhere(request, slug, language, staff)
        if elsewhere is not None:
            return elsewhere
    can_show = Article.has_content_in if staff else Article.is_available_in
    if not can_show(article, language):
        return not_found(
            request, language_links=language_links(article.get_absolute_url, article.languages)
        )
    is_preview = not article.is_live_in(language)
    sitewide.with_byline(article)

    tour_page = sitewide.tour_page()
    context = {
        "article": article,
        "is_preview": is_preview,
        "tour_page": tour_page,
        "related_articles": sitewide.related_articles(article, language, RELATED_COUNT),
        "language_links": language_links(article.get_absolute_url, article.languages),
    }
    response = render(request, "articles/article_detail.html", context)
    # The page ends with the tour's call to action: the later edit dates it.
    changes = [article.updated_at, tour_page.updated_at]
    response["Last-Modified"] = http_date(max(filter(None, changes)).timestamp())
    if is_preview:
        # For the editor's eyes only: never stored by a cache, never indexed.
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
    return response


def find_elsewhere(request, slug, language, staff):
    """For an address whose slug names no article readers see in `language`, the
    ORM's way: (the article it names, None), to be shown if it can be, or
    (None, the response: a redirect or a 404)."""
    # Editors also reach versions not published yet, to preview them.
    articles = Article.objects.all() if staff else Article.objects.published()
    articles = articles.only(*page_columns(language))
    can_show = Article.has_content_in if staff else Article.is_available_in
    article = articles.filter(**{localized("slug", language): slug}).first()
    if article is not None:
        return article, None
    # The slug this language's version had before an editor changed it.
    moved = articles.filter(slug_redirects__language=language, slug_redirects__slug=slug).first()
    if moved is not None and can_show(moved, language):
        return None, redirect(moved.get_absolute_url(language), permanent=True)
    # Someone changed the language prefix of a link by hand: the slug is
    # another language's. Lead them to this language's version.
    article = articles.with_slug_in_any_language(slug).first()
    if article is None:
        return None, not_found(request)
    if can_show(article, language):
        return None, redirect(article.get_absolute_url(language), permanent=True)
    return article, None


def search(request):
    """Published articles available in the page's language that hold every word typed,
    best first (SearchResults), a page of them at a time."""
    language = translation.get_language()
    form = SearchForm(request.GET if "q" in request.GET else None, language=language)
    articles, more_than = [], None
    if form.is_valid():
        articles = SearchResults(form.cleaned_data["q"], language=language)
        if articles.has_more:
            more_than = articles.MOST_RESULTS
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    query = {"q": request.GET["q"]} if "q" in request.GET else {}
    context = {
        "form": form,
        "section": "search",
        "more_than": more_than,
        "page_obj": page,
        "articles": page.object_list,
        "language_links": language_links(
            lambda code: reverse_in(code, "articles:search", query=query or None),
            sitewide.languages_with_content(),
        ),
        **page_links(
            page,
            lambda number: reverse_in(language, "articles:search", query={**query, "page": number}),
        ),
    }
    return render(request, "articles/search.html", context)


def media(request, path):
    """An uploaded file, for a single instance serving its own media. Renditions and
    icons are kept by browsers for a year: their names change with their content.
    An upload keeps its name when replaced by a file of the same name, so it is
    kept an hour."""
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except (OSError, ValueError) as error:
        # A name the file system cannot look up (too long, a NUL byte) names no file.
        raise Http404 from error
    response["Content-Security-Policy"] = settings.MEDIA_CONTENT_SECURITY_POLICY
    if path.startswith(f"{images.RENDITIONS_DIR}/"):
        patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=3600)
    return response


def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for whatever the page says."""
    return icon_redirect(sitewide.brand().favicon_url)


def touch_icon(request):
    """/apple-touch-icon.png, which iOS asks for whatever the page says."""
    return icon_redirect(sitewide.brand().touch_icon_url)


def icon_redirect(url):
    response = redirect(url)
    # A day: editors may replace the icon, whose address then changes.
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


def manifest(request):
    """The web manifest of the site in the page's language."""
    language = translation.get_language()
    brand = sitewide.brand()
    data = {
        "name": brand.name,
        "short_name": brand.name,
        "description": brand.tagline(language),
        "lang": language,
        "dir": languages.direction(language),
        "start_url": reverse("articles:list"),
        "scope": reverse("articles:list"),
        "display": "browser",
        "background_color": "#ffffff",
        "theme_color": "#0b5cad",
        "icons": [
            {"src": url, "sizes": f"{width}x{width}", "type": "image/png"}
            for width, url in brand.icon_urls.items()
            if width != 180
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@same_in_every_language
def robots_txt(request):
    context = {
        "search_pages": [reverse_in(code, "articles:search") for code in languages.CODES],
        "sitemap_url": request.build_absolute_uri(reverse("sitemap")),
    }
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")
