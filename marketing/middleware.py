from . import experiments


class ExperimentVariantMiddleware:
    """Each response keeps one of the call-to-action variants its page holds.

    Outermost, so that the page cache below stores the page with every
    variant, and each response, cached or not, gets its own draw.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and experiments.START in response.content
        ):
            response.content = experiments.choose_variant(response.content)
            response["Content-Length"] = str(len(response.content))
        return response
