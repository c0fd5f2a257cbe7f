from django.urls import path, register_converter

from . import feeds, views


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
    path("authors/<uslug:slug>/", views.AuthorView.as_view(), name="author"),
    path("authors/<uslug:slug>/page/<int:page>/", views.AuthorView.as_view(), name="author_page"),
    path("topics/<uslug:slug>/", views.TopicView.as_view(), name="topic"),
    path("topics/<uslug:slug>/page/<int:page>/", views.TopicView.as_view(), name="topic_page"),
    path("topics/<uslug:slug>/feed/", feeds.topic_articles, name="topic_feed"),
    path("search/", views.search, name="search"),
    path("feed/", feeds.latest_articles, name="feed"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
