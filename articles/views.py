from django.db import DatabaseError, connection
from django.db.models import Q
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.views.generic import ListView

from .models import LANGUAGE_CODES, Article, TourPage, localized
from .rendering import render_body


def language_links(url_in, languages):
    """Links to this page in each of `languages`, for the switcher.

    `url_in(code)` gives the page's URL in language `code`.
    """
    links = []
    for code in languages:
        info = translation.get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "dir": "rtl" if info["bidi"] else "ltr",
                "url": url_in(code),
            }
        )
    return links


def view_url_in(viewname):
    def url_in(code):
        with translation.override(code):
            return reverse(viewname)

    return url_in


class ArticleListView(ListView):
    def get_queryset(self):
        return Article.objects.published().available_in(translation.get_language())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            language_links=language_links(view_url_in("articles:list"), LANGUAGE_CODES),
            **kwargs,
        )


def not_available(request, article):
    """The 404 for an article that exists, but not in the page's language."""
    context = {"language_links": language_links(article.get_absolute_url, article.languages)}
    return render(request, "404.html", context, status=404)


def article_detail(request, slug):
    language = translation.get_language()
    published = Article.objects.published()
    article = published.filter(**{localized("slug", language): slug}).first()
    if article is None:
        # Someone changed the language prefix of a link by hand: the slug is
        # another language's. Lead them to this language's version.
        any_language = Q()
        for code in LANGUAGE_CODES:
            any_language |= Q(**{localized("slug", code): slug})
        article = published.filter(any_language).first()
        if article is None:
            return render(request, "404.html", status=404)
        if article.is_available_in(language):
            return redirect(article.get_absolute_url(language), permanent=True)
    if not article.is_available_in(language):
        return not_available(request, article)

    figure = render_to_string("includes/article_figure.html", {"article": article})
    body = render_body(article.body, language=language, figure_html=figure)
    context = {
        "article": article,
        "body": body,
        "tour": TourPage.load(),
        "language_links": language_links(article.get_absolute_url, article.languages),
    }
    return render(request, "articles/article_detail.html", context)


def tour(request):
    page = TourPage.load()
    if not (page.text and page.button_label):
        return render(request, "404.html", status=404)
    languages = [
        code
        for code in LANGUAGE_CODES
        if getattr(page, localized("text", code)) and getattr(page, localized("button_label", code))
    ]
    context = {
        "tour": page,
        "language_links": language_links(view_url_in("articles:tour"), languages),
    }
    return render(request, "articles/tour.html", context)


def health(request):
    """200 while the database answers, 503 when it does not: for load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def bad_request(request, exception):
    return render(request, "400.html", status=400)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)


def server_error(request):
    # Whatever broke may break the page too: fall back to plain text, never a second error.
    try:
        return render(request, "500.html", status=500)
    except Exception:
        return HttpResponseServerError("Server error\n", content_type="text/plain")
