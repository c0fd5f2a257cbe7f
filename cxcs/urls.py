from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.static import serve

from articles import views
from articles.sitemaps import SITEMAPS

urlpatterns = [
    path("healthz", views.health, name="health"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]

urlpatterns += i18n_patterns(
    path(settings.ADMIN_PATH, admin.site.urls),
    path("", include("articles.urls")),
)

if settings.SERVE_MEDIA:
    # Uploaded images, for a single instance; several instances keep media on
    # shared storage behind the CDN instead.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

handler400 = views.bad_request
handler403 = views.permission_denied
handler500 = views.server_error
