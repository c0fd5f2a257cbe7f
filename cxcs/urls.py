from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from articles.site import sitemaps
from articles.site import views as site_views
from operations import views as operations_views

# The admin's header and page titles name the site, not Django.
admin.site.site_header = admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    path("healthz", operations_views.health, name="health"),
    path("robots.txt", site_views.robots_txt, name="robots_txt"),
    path("favicon.ico", site_views.favicon, name="favicon"),
    path("apple-touch-icon.png", site_views.touch_icon, name="touch_icon"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap_section"),
]

urlpatterns += i18n_patterns(
    path(settings.ADMIN_PATH, admin.site.urls),
    path("", include("marketing.urls")),
    path("", include("articles.site.urls")),
)

if settings.SERVE_MEDIA:
    # Uploaded images, for a single instance; several instances keep media on
    # shared storage behind the CDN instead. Nothing whose name starts with a
    # dot: the folders of backups and restores in progress live there.
    urlpatterns += [
        re_path(r"^media/(?P<path>(?!\.)(?:(?!/\.).)*)$", site_views.media),
    ]

handler400 = operations_views.bad_request
handler403 = operations_views.permission_denied
handler404 = operations_views.page_not_found
handler500 = operations_views.server_error
