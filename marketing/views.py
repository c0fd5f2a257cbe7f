from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles import languages
from articles.models import TourPage
from articles.views import not_found

from . import counting
from .models import CampaignCount


# Every request must reach the view to be counted: no cache may answer for it.
@never_cache
def tour(request):
    page = TourPage.load()
    if not page.is_available_in(translation.get_language()):
        return not_found(request)
    parameters = counting.campaign_parameters(request.GET)
    counting.record(request, CampaignCount.Kind.VISIT, parameters)
    context = {
        "tour": page,
        "go_url": languages.reverse_in(
            translation.get_language(), "marketing:tour_go", query=parameters
        ),
        "language_links": languages.language_links(
            lambda code: languages.reverse_in(code, "marketing:tour"), page.languages
        ),
        # A visitor who changes language keeps the campaign they came with.
        "switcher_links": languages.language_links(
            lambda code: languages.reverse_in(code, "marketing:tour", query=parameters),
            page.languages,
        ),
    }
    return render(request, "marketing/tour.html", context)


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
    parameters = counting.campaign_parameters(request.GET)
    counting.record(request, CampaignCount.Kind.CLICK, parameters)
    return HttpResponseRedirect(counting.add_parameters(page.destination_url, parameters))
