from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _


class LoginSecurityConfig(AxesConfig):
    """django-axes, named in the admin for what it does."""

    verbose_name = _("Login security")
