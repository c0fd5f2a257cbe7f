from django import forms
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import http_date, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from . import campaigns
from .languages import language_links
from .models import LANGUAGE_CODES, Article, CampaignCount, TourPage, localized
from .rendering import normalize_for_search, places_figure, reading_minutes, render_body


def view_url_in(viewname):
    def url_in(code):
        with translation.override(code):
            return reverse(viewname)

    return url_in


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search articles"),
        max_length=100,
        # A query may be typed in either direction, whatever the page's.
        widget=forms.SearchInput(attrs={"dir": "auto"}),
        error_messages={
            "required": _("Type a word to search for."),
            "max_length": _("Type at most %(limit_value)d characters."),
        },
    )

    def clean_q(self):
        query = self.cleaned_data["q"]
        if not normalize_for_search(query, language=translation.get_language()):
            raise forms.ValidationError(_("Type letters or numbers to search for."))
        return query


class ArticleListView(ListView):
    def get_queryset(self):
        return Article.objects.published().available_in(translation.get_language())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            language_links=language_links(view_url_in("articles:list"), LANGUAGE_CODES),
            search_form=SearchForm(),
            **kwargs,
        )


def not_available(request, article):
    """The 404 for an article that exists, but not in the page's language."""
    context = {"language_links": language_links(article.get_absolute_url, article.languages)}
    return render(request, "404.html", context, status=404)


def is_staff(request):
    """Whether an editor is logged in, asked only of requests that carry a session.

    Not touching the session otherwise keeps public pages free of "Vary: Cookie",
    so the page cache and CDNs keep one copy for every reader.
    """
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_staff


def article_detail(request, slug):
    language = translation.get_language()
    staff = is_staff(request)
    # Editors also reach versions not published yet, to preview them.
    articles = Article.objects.all() if staff else Article.objects.published()
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
            return render(request, "404.html", status=404)
        if can_show(article, language):
            return redirect(article.get_absolute_url(language), permanent=True)
    if not can_show(article, language):
        return not_available(request, article)
    is_preview = not article.is_live_in(language)

    figure = render_to_string(
        "includes/article_figure.html",
        {"article": article, "is_below_the_fold": places_figure(article.body)},
    )
    body = render_body(article.body, language=language, figure_html=figure)
    tour_page = TourPage.load()
    context = {
        "article": article,
        "is_preview": is_preview,
        "body": body,
        "reading_minutes": reading_minutes(body.html),
        "tour": tour_page,
        "language_links": language_links(article.get_absolute_url, article.languages),
    }
    response = render(request, "articles/article_detail.html", context)
    # The page shows the article and the tour's call to action: the later edit dates it.
    changes = [article.updated_at, tour_page.updated_at]
    response["Last-Modified"] = http_date(max(filter(None, changes)).timestamp())
    if is_preview:
        # For the editor's eyes only: never stored by a cache, never indexed.
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
    return response


def search(request):
    """Published articles available in the page's language that hold every word typed."""
    language = translation.get_language()
    form = SearchForm(request.GET if "q" in request.GET else None)
    articles = Article.objects.none()
    if form.is_valid():
        articles = (
            Article.objects.published()
            .available_in(language)
            .matching(form.cleaned_data["q"], language)
        )
    query = {"q": request.GET["q"]} if "q" in request.GET else {}

    def url_in(code):
        with translation.override(code):
            return reverse("articles:search") + (f"?{urlencode(query)}" if query else "")

    context = {
        "form": form,
        "articles": articles,
        "language_links": language_links(url_in, LANGUAGE_CODES),
    }
    return render(request, "articles/search.html", context)


def robots_txt(request):
    search_pages = []
    for code in LANGUAGE_CODES:
        with translation.override(code):
            search_pages.append(reverse("articles:search"))
    context = {
        "search_pages": search_pages,
        "sitemap_url": request.build_absolute_uri(reverse("sitemap")),
    }
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")


# Every request must reach the view to be counted: no cache may answer for it.
@never_cache
def tour(request):
    page = TourPage.load()
    if not page.is_available_in(translation.get_language()):
        return render(request, "404.html", status=404)
    parameters = campaigns.campaign_parameters(request.GET)
    campaigns.record(request, CampaignCount.Kind.VISIT, parameters)
    context = {
        "tour": page,
        "go_url": campaigns.add_parameters(reverse("articles:tour_go"), parameters),
        "language_links": language_links(view_url_in("articles:tour"), page.languages),
    }
    return render(request, "articles/tour.html", context)


@never_cache
@require_safe
def tour_go(request):
    """Count a click on the tour button and send the visitor to the editors' destination.

    The destination comes from the tour page only, never from the request, so
    this address cannot be used to redirect anywhere else.
    """
    page = TourPage.load()
    if not page.destination_url:
        return render(request, "404.html", status=404)
    parameters = campaigns.campaign_parameters(request.GET)
    campaigns.record(request, CampaignCount.Kind.CLICK, parameters)
    return HttpResponseRedirect(campaigns.add_parameters(page.destination_url, parameters))


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
