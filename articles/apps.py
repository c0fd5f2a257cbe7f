from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from operations.page_cache import on_next_change, shown_on_pages


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        # Models can be imported only once the app registry is ready.
        from .models import Article, Author, Brand, Topic, TourPage, next_publication
        from .writing import history

        for model in (Article, TourPage, Author, Topic, Brand):
            history.register(model)
        # Whoever writes them (a script, loaddata, a data migration), the cached
        # pages that show them go; the term base (Concept) shows on none.
        shown_on_pages(Article, TourPage, Author, Topic, Brand)
        on_next_change(next_publication)
