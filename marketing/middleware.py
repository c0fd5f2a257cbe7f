from operations.page_cache import is_kept

from . import experiments


class ExperimentVariantMiddleware:
    """Each response keeps one of the call-to-action variants its page holds.

    A page the page cache keeps is left whole: the cache stores it with every
    variant and draws one for each response it sends (the alternatives hook,
    registered in MarketingConfig.ready).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not is_kept(request, response)
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and experiments.START in response.content
        ):
            response.content = experiments.choose_variant(response.content)
            response["Content-Length"] = str(len(response.content))
        return response
