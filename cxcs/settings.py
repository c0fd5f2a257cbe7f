"""Settings for cxcs: one file, every deployment difference from the environment.

The defaults suit a laptop. Production is whatever runs with DJANGO_DEBUG off,
and there a missing DJANGO_SECRET_KEY stops start-up. See .env.example.
"""

from email.utils import getaddresses
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from operations.proxies import parse_trusted_proxies

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
# A .env file beside manage.py, when there is one; variables already set win.
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY, or DJANGO_DEBUG=1 for local use.")
    SECRET_KEY = "insecure-local-development-key"

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# The proxies in front of the site, as a count or their addresses: only then
# are X-Forwarded-For (the client's address) and X-Forwarded-Proto read. See
# operations/proxies.py.
TRUSTED_PROXIES = parse_trusted_proxies(env.str("DJANGO_TRUSTED_PROXIES", default=""))
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The admin's address, so it need not sit where every scanner looks for it.
ADMIN_PATH = env.str("DJANGO_ADMIN_PATH", default="admin/").strip("/") + "/"

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    # django-axes, named "Login security" in the admin.
    "cxcs.apps.LoginSecurityConfig",
    "reversion",
    "operations",
    "articles",
    "marketing",
]

MIDDLEWARE = [
    # gzip for what the page cache does not keep (it compresses its pages
    # itself); outermost, so it compresses what the others below made.
    "operations.cache_policy.CompressionMiddleware",
    # A page holding every call-to-action variant keeps one per response.
    "marketing.middleware.ExperimentVariantMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    # What each response caching proxies may keep shows, named for their BANs:
    # above the policy, so it sees what the response says of shared caches.
    "operations.page_cache.ProxyTargetsMiddleware",
    # Whether caches may keep a response; above sessions, so it sees their Vary.
    "operations.cache_policy.CachePolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware, leading "/" to a language with content.
    "articles.site.middleware.LanguageWithContentMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Which language each person reads the admin in, for the mails they get.
    "articles.admin.language.AdminLanguageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cxcs.urls"
WSGI_APPLICATION = "cxcs.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.site.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Each server thread keeps its connection a while instead of opening one per request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Readers and editors at the same time: WAL lets reads go on during a
    # write, IMMEDIATE takes the write lock when a transaction starts (so two
    # writers queue instead of failing half-way), and a writer waits up to
    # 20 s for the lock instead of raising "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Files by default, shared by the server processes of one machine; several
# machines share one Redis server (redis://) instead. It holds the page-cache
# generation (operations/page_cache.py).
CACHES = {
    "default": env.cache_url(
        "CACHE_URL", default=f"filecache://{BASE_DIR / '.cache'}?max_entries=5000"
    ),
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Keeps the site answering while Redis is away (operations/shared_cache.py).
    CACHES["default"]["BACKEND"] = "operations.shared_cache.ResilientRedisCache"
# Caching proxies in front of the site (Varnish) that drop every page on a BAN
# request to these URLs, sent on each save (operations/cdn.py).
CACHE_PURGE_URLS = env.list("DJANGO_CACHE_PURGE_URLS", default=[])

# The pages caches may keep, by URL name: the page cache in each server process
# (operations/page_cache.py) and shared caches such as a CDN. Nothing else is
# ever stored: health, the tour page and its redirect, search, the admin,
# errors and redirects are sent with "Cache-Control: no-store, private".
PAGE_CACHE_VIEWS = [
    "articles:list",
    "articles:list_page",
    "articles:detail",
    "articles:feed",
    "articles:author",
    "articles:author_page",
    "articles:topic",
    "articles:topic_page",
    "articles:topic_feed",
    "articles:manifest",
    "robots_txt",
    "sitemap",
    "sitemap_section",
]
# Longest a page is kept; saving content drops cached pages at once, and a
# scheduled publication ends them at its time (a hook the articles app registers).
PAGE_CACHE_SECONDS = env.int("DJANGO_PAGE_CACHE_SECONDS", default=600)
# Each server process keeps at most this many pages and bytes (the pages in
# every encoding, their headers, and Python's own overhead for each).
PAGE_CACHE_MAX_BYTES = env.int("DJANGO_PAGE_CACHE_MAX_BYTES", default=32 * 1024 * 1024)
PAGE_CACHE_MAX_ENTRIES = env.int("DJANGO_PAGE_CACHE_MAX_ENTRIES", default=2000)
# The pages a save drops are made again at once, in a thread of each server
# process ("thread"), or "inline" in the thread that learns of the drop, or
# "off" (operations/page_refresh.py).
PAGE_CACHE_REFRESH = env.str("DJANGO_PAGE_CACHE_REFRESH", default="thread")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Turkish first: it is the default language and the one translations start from.
LANGUAGE_CODE = "tr"
LANGUAGES = [
    ("tr", _("Turkish")),
    ("he", _("Hebrew")),
    ("en", _("English")),
]
# The project's catalogue (templates/, cxcs/) first: makemessages puts every
# string in the first of these whose folder holds its file, and the rest in it.
LOCALE_PATHS = [
    BASE_DIR / "cxcs" / "locale",
    BASE_DIR / "articles" / "locale",
    BASE_DIR / "marketing" / "locale",
]
USE_I18N = True
# Our own formats for the languages whose Django formats we change (cxcs/formats/).
FORMAT_MODULE_PATH = ["cxcs.formats"]
TIME_ZONE = "Europe/Istanbul"
USE_TZ = True

# A page never shows another language's text in place of a missing
# translation: availability is decided per language, and what is missing
# stays empty rather than silently falling back to Turkish.
MODELTRANSLATION_DEFAULT_LANGUAGE = "tr"
# Translation jobs: publishing a language whose job is not approved needs an
# editor's recorded reason; a job's reviewer is never its translator.
TRANSLATION_REVIEW_REQUIRED = env.bool("DJANGO_TRANSLATION_REVIEW_REQUIRED", default=True)
TRANSLATION_FOUR_EYES = env.bool("DJANGO_TRANSLATION_FOUR_EYES", default=True)
MODELTRANSLATION_FALLBACK_LANGUAGES = ()

# Machine translation for pre-translating (articles/translating/machine/):
# "deepl", "google", "libretranslate", "argos", or empty for none (the memory
# alone then fills new translations). Keys and addresses come from the
# environment; a service must answer within MACHINE_TRANSLATION_TIMEOUT seconds.
MACHINE_TRANSLATION = env.str("DJANGO_MACHINE_TRANSLATION", default="")
if MACHINE_TRANSLATION not in ("", "deepl", "google", "libretranslate", "argos"):
    raise ImproperlyConfigured(
        "DJANGO_MACHINE_TRANSLATION must be deepl, google, libretranslate, argos or empty."
    )
MACHINE_TRANSLATION_TIMEOUT = env.float("DJANGO_MACHINE_TRANSLATION_TIMEOUT", default=20.0)
DEEPL_AUTH_KEY = env.str("DEEPL_AUTH_KEY", default="")
DEEPL_SERVER_URL = env.str("DEEPL_SERVER_URL", default="")
GOOGLE_TRANSLATE_API_KEY = env.str("GOOGLE_TRANSLATE_API_KEY", default="")
GOOGLE_TRANSLATE_URL = env.str(
    "GOOGLE_TRANSLATE_URL", default="https://translation.googleapis.com/language/translate/v2"
)
LIBRETRANSLATE_URL = env.str("LIBRETRANSLATE_URL", default="")
LIBRETRANSLATE_API_KEY = env.str("LIBRETRANSLATE_API_KEY", default="")

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The brand's default files (static/brand/: logo.svg, icon.svg, favicon.ico,
# apple-touch-icon… see docs/reading.md); a folder holding any of them, named
# here, replaces those. Editors may replace them again in the admin (Brand).
if BRAND_DIR := env.str("DJANGO_BRAND_DIR", default=""):
    STATICFILES_DIRS.insert(0, ("brand", BRAND_DIR))
SITE_NAME = env.str("DJANGO_SITE_NAME", default="cxcs")
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
SERVE_MEDIA = env.bool("DJANGO_SERVE_MEDIA", default=True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Fingerprinted, compressed files that can be cached for ever.
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "operations.logins.ThrottledModelBackend",
]
# Five failed logins from one address lock that address out for an hour. A
# user name is never locked (a stranger could lock its owner out); once it has
# failed as often, from any addresses, each try at it waits a moment first
# (operations/logins.py).
AXES_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("DJANGO_LOGIN_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_CLIENT_IP_CALLABLE = "operations.proxies.client_address"
LOGIN_DELAY_SECONDS = env.float("DJANGO_LOGIN_DELAY_SECONDS", default=2.0)
AXES_RESET_ON_SUCCESS = True
# Failed logins are kept for the cool-off (manage.py prune_login_records);
# successful ones are not recorded unless asked for.
AXES_DISABLE_ACCESS_LOG = not env.bool("DJANGO_LOGIN_ACCESS_LOG", default=False)
AXES_LOCKOUT_TEMPLATE = "lockout.html"

# Errors and warnings go to stderr (gunicorn's and `make serve`'s terminal, or
# the service manager's journal), one line each with the traceback below: see
# operations/logs.py. Failed requests are mailed to ADMINS too, when set.
LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="WARNING").upper()
ADMINS = [
    (name, address)
    for name, address in getaddresses([env.str("DJANGO_ADMINS", default="")])
    if address
]
SERVER_EMAIL = env.str("DJANGO_SERVER_EMAIL", default="root@localhost")
EMAIL_SUBJECT_PREFIX = "[cxcs] "
# How mail leaves: the console (the terminal of `make run`) while debugging,
# else an SMTP server; EMAIL_URL names another ("smtp+tls://user:password@host:587").
vars().update(
    env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="cxcs <cxcs@localhost>")
# The site's address as its people reach it, for the links in mails sent with
# no request to take it from (the daily digest of translation jobs).
SITE_URL = env.str("DJANGO_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "as_warning": {"()": "operations.logs.AsWarning"},
    },
    "formatters": {"one_line": {"()": "operations.logs.Formatter"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "one_line"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        # Everything of Django's to stderr, through the root logger, instead of
        # its default handlers (the console only when debugging).
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # Server errors (5xx); a 404 is not an error to record.
        "django.request": {"handlers": ["mail_admins"], "level": "ERROR", "propagate": True},
        "django.security": {"handlers": ["mail_admins"], "level": "ERROR", "propagate": True},
        # A Host header not in ALLOWED_HOSTS: a warning, never mailed.
        "django.security.DisallowedHost": {"filters": ["as_warning"], "propagate": True},
    },
}

# Uploaded files (/media/), whoever serves them (the media view, nginx in
# deploy/nginx/cxcs.conf: the same policy): an SVG opened by itself may show its
# own styles and embedded pictures, and fetch or run nothing.
MEDIA_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"
)

# No inline script or style anywhere: every script and style sheet is a file we serve.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    if TRUSTED_PROXIES:
        # TLS ends at the proxy or CDN in front of gunicorn, which says so in this header.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
