from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from operations.page_cache import on_next_change, on_targets, shown_on_pages
from operations.page_drops import on_sitewide


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        # Models can be imported only once the app registry is ready.
        from .models import AdminLanguage, Article, Author, Brand, Topic, TourPage, next_publication
        from .text import page_targets
        from .translating import jobs
        from .writing import cached_pages, editing, history

        for model in (Article, TourPage, Author, Topic, Brand):
            history.register(model)
        # Whoever writes them (a script, loaddata, a data migration), the cached
        # pages that show them go: those an article's change changes, every page
        # for the others, which the header, a byline or the call to action show
        # on nearly every page; the term base (Concept) shows on none.
        cached_pages.follow_every_writer()
        shown_on_pages(TourPage, Author, Topic, Brand)
        on_targets(page_targets.of_page)
        on_sitewide(cached_pages.shown_on_every_page)
        on_next_change(next_publication)
        # A change of the source reopens the approved translations it touches,
        # whoever saves it through the write path.
        editing.saved.connect(jobs.reopen_after_source_change)
        # Mails about translation jobs are written in the language of the admin
        # their recipient logged into.
        user_logged_in.connect(AdminLanguage.remember_at_login)
        post_migrate.connect(keep_search_index, sender=self)


def keep_search_index(using, **kwargs):
    """Make the search index again where a migration left it out: SQLite drops a
    table's triggers when a migration rebuilds the table, and a language added to
    the settings needs its own."""
    # Imported here: models cannot be imported while apps are being loaded.
    from django.db import connections

    from .models import search_index

    search_index.install(connections[using])
