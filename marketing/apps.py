from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from operations.page_cache import on_alternatives, shown_on_pages


class MarketingConfig(AppConfig):
    name = "marketing"
    verbose_name = _("Campaigns")

    def ready(self):
        # Here, not at the top: experiments imports models, which need the app registry.
        from .experiments import alternatives
        from .models import Experiment, Variant

        # A cached page is sent as one of its call-to-action variants per response.
        on_alternatives(alternatives)
        # Starting, stopping or rewording an experiment, however it is done,
        # changes the call to action the pages show.
        shown_on_pages(Experiment, Variant)
