from django.urls import path, register_converter

from . import views
from .feeds import LatestArticlesFeed


class UnicodeSlugConverter:
    """A slug in any script (Hebrew slugs keep their letters); nothing else matches."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"
urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("page/<int:page>/", views.ArticleListView.as_view(), name="list_page"),
    path("articles/<uslug:slug>/", views.article_detail, name="detail"),
    path("search/", views.search, name="search"),
    path("feed/", LatestArticlesFeed(), name="feed"),
]
