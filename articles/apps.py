from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from operations.page_cache import on_next_change


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        # Models can be imported only once the app registry is ready.
        from .models import Article, Author, Brand, Topic, TourPage, next_publication
        from .writing import history

        for model in (Article, TourPage, Author, Topic, Brand):
            history.register(model)
        on_next_change(next_publication)
        post_migrate.connect(keep_search_index, sender=self)


def keep_search_index(using, **kwargs):
    """Make the search index again where a migration left it out: SQLite drops a
    table's triggers when a migration rebuilds the table, and a language added to
    the settings needs its own."""
    # Imported here: models cannot be imported while apps are being loaded.
    from django.db import connections

    from .models import search_index

    search_index.install(connections[using])
