from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import http_date
from django.views.generic import ListView

from . import languages
from .forms import SearchForm
from .languages import language_links, localized, reverse_in
from .models import Article, TourPage
from .rendering import place_figure, places_figure

# Articles on a page of the list, or of search results.
ARTICLES_PER_PAGE = 20


class ArticleListView(ListView):
    """The latest articles in the page's language, a page of them at a time:
    the first page at /<lang>/, the others at /<lang>/page/<n>/."""

    paginate_by = ARTICLES_PER_PAGE

    def get(self, request, *args, **kwargs):
        # One address per page: the first is the list itself, and there is no page 0.
        if kwargs.get("page") == 1:
            return redirect("articles:list", permanent=True)
        if kwargs.get("page") == 0:
            return not_found(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Article.objects.published().available_in(translation.get_language()).listed()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        all_languages = language_links(
            lambda code: reverse_in(code, "articles:list"), languages.CODES
        )
        if page.number == 1:
            context["language_links"] = all_languages
        else:
            # Another language's page n holds other articles: only the first
            # pages are each other's translations.
            language = translation.get_language()
            context["language_links"] = language_links(
                lambda code: list_page_url(page.number), [language]
            )
            context["switcher_links"] = all_languages
        context.update(
            search_form=SearchForm(),
            **page_links(page, list_page_url),
        )
        return context


def list_page_url(number):
    if number == 1:
        return reverse("articles:list")
    return reverse("articles:list_page", kwargs={"page": number})


def page_links(page, url_of):
    """The addresses of the pages before and after `page`, for links and rel links."""
    return {
        "previous_url": url_of(page.previous_page_number()) if page.has_previous() else None,
        "next_url": url_of(page.next_page_number()) if page.has_next() else None,
    }


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
PAGE_TEXTS = ("title", "slug", "lede", "meta_description", "image_alt", "body_html", "toc")
PAGE_COLUMNS = ("updated_at", "published_at", "image", "image_width", "image_height")


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


def article_detail(request, slug):
    language = translation.get_language()
    staff = is_staff(request)
    # Editors also reach versions not published yet, to preview them.
    articles = Article.objects.all() if staff else Article.objects.published()
    articles = articles.only(*page_columns(language))
    can_show = Article.has_content_in if staff else Article.is_available_in
    article = articles.filter(**{localized("slug", language): slug}).first()
    if article is None:
        # The slug this language's version had before an editor changed it.
        moved = articles.filter(
            slug_redirects__language=language, slug_redirects__slug=slug
        ).first()
        if moved is not None and can_show(moved, language):
            return redirect(moved.get_absolute_url(language), permanent=True)
        # Someone changed the language prefix of a link by hand: the slug is
        # another language's. Lead them to this language's version.
        article = articles.with_slug_in_any_language(slug).first()
        if article is None:
            return not_found(request)
        if can_show(article, language):
            return redirect(article.get_absolute_url(language), permanent=True)
    if not can_show(article, language):
        return not_found(
            request, language_links=language_links(article.get_absolute_url, article.languages)
        )
    is_preview = not article.is_live_in(language)

    figure = render_to_string(
        "includes/article_figure.html",
        {"article": article, "is_below_the_fold": places_figure(article.body_html)},
    )
    tour_page = TourPage.load()
    context = {
        "article": article,
        "is_preview": is_preview,
        "body_html": place_figure(article.body_html, figure),
        "tour_page": tour_page,
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


def search(request):
    """Published articles available in the page's language that hold every word typed,
    a page of them at a time."""
    language = translation.get_language()
    form = SearchForm(request.GET if "q" in request.GET else None)
    articles = Article.objects.none()
    if form.is_valid():
        articles = (
            Article.objects.published()
            .available_in(language)
            .matching(form.cleaned_data["q"], language)
            .listed()
        )
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    query = {"q": request.GET["q"]} if "q" in request.GET else {}
    context = {
        "form": form,
        "page_obj": page,
        "articles": page.object_list,
        "language_links": language_links(
            lambda code: reverse_in(code, "articles:search", query=query or None),
            languages.CODES,
        ),
        **page_links(
            page,
            lambda number: reverse_in(language, "articles:search", query={**query, "page": number}),
        ),
    }
    return render(request, "articles/search.html", context)


def robots_txt(request):
    context = {
        "search_pages": [reverse_in(code, "articles:search") for code in languages.CODES],
        "sitemap_url": request.build_absolute_uri(reverse("sitemap")),
    }
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")
