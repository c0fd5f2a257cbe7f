import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxcs.settings")

from operations.page_cache import PageCache  # noqa: E402  (needs the settings module)

# Cached public pages are answered before Django; everything else goes through it.
application = PageCache(get_wsgi_application())
