"""The site's settings, made fast and self-contained for the test suite."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-suite-only")
# Browser tests talk plain http to 127.0.0.1.
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

from cxcs.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Static files straight from the source folders, without collectstatic.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"},
}
# Pages dropped by a save are made again only where a test asks for it: a thread
# of its own would not see the test's database.
PAGE_CACHE_REFRESH = "off"
