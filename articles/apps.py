from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _

from operations.page_cache import on_next_change


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        # Models can be imported only once the app registry is ready.
        from .models import AdminLanguage, Article, Author, Brand, Topic, TourPage, next_publication
        from .translating import jobs
        from .writing import editing, history

        for model in (Article, TourPage, Author, Topic, Brand):
            history.register(model)
        on_next_change(next_publication)
        # A change of the source reopens the approved translations it touches,
        # whoever saves it through the write path.
        editing.saved.connect(jobs.reopen_after_source_change)
        # Mails about translation jobs are written in the language of the admin
        # their recipient logged into.
        user_logged_in.connect(AdminLanguage.remember_at_login)
