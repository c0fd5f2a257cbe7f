from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = _("Operations")

    def ready(self):
        # Registers the checks on import; they import models, so not before apps are ready.
        from . import checks  # noqa: F401
