from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from .models import Article, Author, Brand, Topic, TourPage
        from .writing import history

        for model in (Article, TourPage, Author, Topic, Brand):
            history.register(model)
