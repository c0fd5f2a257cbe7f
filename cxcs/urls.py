from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from articles import sitemaps
from articles import views as articles
from operations import views as operations

# The admin's header and page titles name the site, not Django.
admin.site.site_header = admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    path("healthz", operations.health, name="health"),
    path("robots.txt", articles.robots_txt, name="robots_txt"),
    path("favicon.ico", articles.favicon, name="favicon"),
    path("apple-touch-icon.png", articles.touch_icon, name="touch_icon"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap_section"),
]

urlpatterns += i18n_patterns(
    path(settings.ADMIN_PATH, admin.site.urls),
    path("", include("marketing.urls")),
    path("", include("articles.urls")),
)

if settings.SERVE_MEDIA:
    # Uploaded images, for a single instance; several instances keep media on
    # shared storage behind the CDN instead. Nothing whose name starts with a
    # dot: the folders of backups and restores in progress live there.
    urlpatterns += [
        re_path(r"^media/(?P<path>(?!\.)(?:(?!/\.).)*)$", articles.media),
    ]

handler400 = operations.bad_request
handler403 = operations.permission_denied
handler404 = operations.page_not_found
handler500 = operations.server_error
