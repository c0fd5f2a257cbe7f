import base64
from urllib.parse import urlsplit

from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles import languages
from articles.models import Article, TourPage
from articles.site import sitewide
from articles.site.views import is_staff, not_found

from . import counting, experiments
from .models import CampaignCount

# A transparent 1×1 GIF: the answer to the article page's read count.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def referring_page_query(request):
    """The query of the page of this site the request came from (the Referer header),
    empty for another site's page or none."""
    try:
        referrer = urlsplit(request.headers.get("Referer", ""))
    except ValueError:
        # Not a URL ("http://[::1"): it names no page of ours.
        return QueryDict()
    if referrer.netloc != request.get_host():
        return QueryDict()
    return QueryDict(referrer.query)


def campaign_of(request):
    """The request's campaign parameters; a link without a campaign of its own (the
    call to action at the end of an article) keeps the campaign of the page it was on."""
    parameters = counting.campaign_parameters(request.GET)
    if "utm_campaign" not in parameters:
        arrived_with = counting.campaign_parameters(referring_page_query(request))
        if "utm_campaign" in arrived_with:
            parameters["utm_campaign"] = arrived_with["utm_campaign"]
    return parameters


# Every request must reach the view to be counted: no cache may answer for it.
@never_cache
def tour(request):
    language = translation.get_language()
    page = TourPage.load()
    # Editors also reach a language not published yet, to preview it.
    can_show = page.has_content_in if is_staff(request) else page.is_available_in
    if not can_show(language):
        return not_found(request)
    is_preview = not page.is_available_in(language)
    parameters = campaign_of(request)
    words = experiments.tour_page_words(page, language)
    # A visit from an article's call to action counts for the variant it showed.
    shown, credited = experiments.credit(request.GET.get("variant"), language)
    if not is_preview:
        counting.record(
            request,
            CampaignCount.Kind.VISIT,
            parameters,
            language=language,
            variant=words.code or credited,
        )
    carried = words.variant or shown
    go_query = (
        {**parameters, "variant": experiments.variant_token(carried)} if carried else parameters
    )
    # Languages without articles are not offered (see articles/sitewide.py).
    offered = [code for code in page.languages if code in sitewide.languages_with_content()]
    context = {
        "tour": page,
        "words": words,
        "section": "tour",
        "is_preview": is_preview,
        # A language without articles is not offered to search engines either.
        "is_unlisted": language not in offered,
        "go_url": languages.reverse_in(language, "marketing:tour_go", query=go_query),
        "language_links": languages.language_links(
            lambda code: languages.reverse_in(code, "marketing:tour"),
            offered if language in offered else [],
        ),
        # A visitor who changes language keeps the campaign they came with.
        "switcher_links": languages.language_links(
            lambda code: languages.reverse_in(code, "marketing:tour", query=parameters), offered
        ),
    }
    response = render(request, "marketing/tour.html", context)
    if is_preview:
        response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_safe
def tour_go(request):
    """Count a click on the tour button and send the visitor to the editors' destination.

    The destination comes from the tour page only, never from the request, so
    this address cannot be used to redirect anywhere else.
    """
    page = TourPage.load()
    if not page.destination_url:
        return not_found(request)
    language = translation.get_language()
    parameters = counting.campaign_parameters(request.GET)
    _shown, credited = experiments.credit(request.GET.get("variant"), language)
    counting.record(
        request, CampaignCount.Kind.CLICK, parameters, language=language, variant=credited
    )
    return HttpResponseRedirect(counting.add_parameters(page.destination_url, parameters))


@never_cache
@require_safe
def read(request, article_pk):
    """Count the article as read: its page asks for this tiny image.

    Counting here, not when the page is made, keeps the page itself in the
    cache; the campaign is the page's own (the Referer), the variant the one
    the page showed.
    """
    language = translation.get_language()
    if Article.objects.published().available_in(language).filter(pk=article_pk).exists():
        _shown, credited = experiments.credit(request.GET.get("variant"), language)
        counting.record(
            request,
            CampaignCount.Kind.READ,
            counting.campaign_parameters(referring_page_query(request)),
            language=language,
            article_pk=article_pk,
            variant=credited,
        )
    return HttpResponse(PIXEL, content_type="image/gif")
