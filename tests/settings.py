"""The site's settings, made fast and self-contained for the test suite."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-suite-only")
# Browser tests log in over plain http on 127.0.0.1.
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")

from cxcs.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
