"""Settings shared by every environment, read from environment variables.

Every variable read here is documented in the README's environment table. ``dev`` (the default
for ``manage.py``) gives zero-setup values; ``production`` refuses to start without the secrets.
"""

import ipaddress
import os
import sys
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import dj_database_url

from search.backends import search_backends

from .content_security import DEFAULT_REPORT_URI as DEFAULT_CSP_REPORT_URI
from .content_security import content_security_policies
from .frontend_cache import frontend_cache_backends
from .storage import media_storages

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# BeautifulSoup, which Wagtail imports with its admin panels, loads its lxml tree builder (and
# lxml, 5 MB) in every process whenever lxml is installed, as it is for the site import. Every
# BeautifulSoup call (ours, Wagtail's, wagtail-localize's) names "html.parser", so the builder
# is never used; marked as missing, BeautifulSoup skips it. lxml itself still imports where the
# site import uses it. Guarded by tests/solh/test_lean_imports.py.
sys.modules.setdefault("bs4.builder._lxml", None)


def env(name, default=None):
    """Return an environment variable, or ``default`` when it is unset or empty."""
    value = os.environ.get(name, "")
    return value if value != "" else default


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from error


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The domain under which force sites are derived when onboarding from the CSV:
# ``<slug>.<BASE_DOMAIN>`` for each force, ``BASE_DOMAIN`` itself for the national hub.
BASE_DOMAIN = env("BASE_DOMAIN", "localhost")
# Port appended to derived site URLs (the demo serves on 8000; production on 80/443).
SITE_PORT = env_int("SITE_PORT", 80)

INSTALLED_APPS = [
    "forces",
    "home",
    "neighbourhoods",
    "reporting",
    "tracking",
    "search",
    "insight",
    "feedback",
    "site_import",
    "demo",
    "solh",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.api.v2",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # /healthz first: probed by address, and must answer 503 (not fail) without the database.
    "solh.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous pages from the cache, before anything that could touch the database.
    "solh.page_cache.PageCacheMiddleware",
    # Inside the page cache: a stored page keeps its policy, and one with a nonce is not stored.
    "solh.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "solh.middleware.SiteMiddleware",
    "solh.middleware.SiteLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Admin sessions: idle timeout, then the second factor (solh/signin.py, solh/two_factor/).
    "solh.signin.AdminIdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "solh.two_factor.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "solh.middleware.SecurityHeadersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "solh.urls"
WSGI_APPLICATION = "solh.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "home.context_processors.force",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# SQLite (the zero-setup default) is shared by several processes: the web server, the worker
# and management commands. Write-ahead logging lets readers go on while one process writes;
# IMMEDIATE transactions take the write lock when they begin, so two writers queue for it
# (up to SQLITE_BUSY_TIMEOUT seconds) instead of one failing with "database is locked" when
# a read lock cannot be upgraded; synchronous=NORMAL is safe in WAL mode.
SQLITE_BUSY_TIMEOUT = env_int("SQLITE_BUSY_TIMEOUT", 30)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One process's memory: right for the demo and tests; several processes need REDIS_URL
# (a purge in one process cannot reach another's memory).
# The report rate limit's counts (reporting/abuse.py) must be shared by every process, or each
# worker would give a client its own allowance: without Redis they are kept in a database table
# (created by the solh migration 0003; Django's DatabaseCache).
RATE_LIMIT_DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "solh_rate_limit",
    "OPTIONS": {"MAX_ENTRIES": 100_000},
}
# Rendered parts of pages (the templates' {% cache %}), kept in each process with the other
# per-process entries (home.lookups.kept, unpickled): their keys carry the shared version tokens
# (solh/versions.py), so an entry is never out of date.
TEMPLATE_FRAGMENTS_CACHE = {"BACKEND": "home.lookups.KeptCache"}
LOCAL_MEMORY_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    "ratelimit": RATE_LIMIT_DATABASE_CACHE,
    "template_fragments": TEMPLATE_FRAGMENTS_CACHE,
}
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
        for alias, prefix in (
            ("default", "solh"),
            ("pages", "solh-pages"),
            ("ratelimit", "solh-ratelimit"),
        )
    } | {"template_fragments": TEMPLATE_FRAGMENTS_CACHE}
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = LOCAL_MEMORY_CACHES

# Where the version tokens live that tell every process of a change made in another
# (solh/versions.py): in the shared cache when there is one, else in the database, which every
# process shares. Either way each process's next request sees a change another committed.
SHARED_VERSIONS = env("SHARED_VERSIONS", "cache" if REDIS_URL else "database")
if SHARED_VERSIONS not in {"cache", "database"}:
    raise ImproperlyConfigured(
        f"SHARED_VERSIONS must be 'cache' or 'database', not {SHARED_VERSIONS!r}."
    )
if SHARED_VERSIONS == "cache" and not REDIS_URL:
    raise ImproperlyConfigured(
        "SHARED_VERSIONS=cache needs REDIS_URL: a local-memory cache is not shared by processes."
    )

# The anonymous page cache (solh/page_cache.py) and its purges (solh/purge.py).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
# Purges keep pages fresh; this only bounds how long an entry can outlive a change made
# behind the platform's back (straight in the database).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600)
# Cookies that make a request private: never answered from the cache, never stored.
PAGE_CACHE_PRIVATE_COOKIES = ["sessionid", "messages", "solh_report_"]
# CDN purges through Wagtail's frontend-cache backends (solh/settings/frontend_cache.py).
WAGTAILFRONTENDCACHE = frontend_cache_backends(os.environ)
# The URLs purged are exact per language already.
WAGTAILFRONTENDCACHE_LANGUAGES = []
# How long a CDN may keep a page (s-maxage): long when purges reach it, short otherwise.
CDN_CACHE_SECONDS = env_int("CDN_CACHE_SECONDS", 86_400 if WAGTAILFRONTENDCACHE else 60)

# django_tasks_db's backend, writing the jobs of a batch (43 forces' copies) with one INSERT.
TASKS = {"default": {"BACKEND": "solh.tasks_backend.DatabaseBackend"}}
# Finished task rows are kept this long (a failure's traceback to look at), then pruned by
# manage.py run_worker (solh/task_results.py).
TASK_RESULTS_KEEP_DAYS = env_int("TASK_RESULTS_KEEP_DAYS", 14)
# A task row still RUNNING this long after it started lost its worker (killed, or its machine
# gone): run_worker marks it failed. Longer than any task runs (a report delivery is given at
# most 2 x REPORT_DELIVERY_TIMEOUT_SECONDS + 30 s); the delivery itself is re-sent by the sweep.
TASK_RUNNING_STALE_MINUTES = env_int("TASK_RUNNING_STALE_MINUTES", 30)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Admin sign-in (README "Security") -----------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out account or client before any password is checked (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Proxies (addresses or networks) whose X-Forwarded-For is believed; without any, the client is
# the connection's address, whatever headers it sends (solh/client_ip.py).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network."
        ) from error
# Failed sign-ins allowed per account (from any client) and per client (for any account) before
# both are locked out; the lockout lasts this long after the latest attempt.
ADMIN_SIGNIN_FAILURE_LIMIT = env_int("ADMIN_SIGNIN_FAILURE_LIMIT", 5)
ADMIN_SIGNIN_LOCKOUT_MINUTES = env_int("ADMIN_SIGNIN_LOCKOUT_MINUTES", 15)
AXES_FAILURE_LIMIT = ADMIN_SIGNIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=ADMIN_SIGNIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "solh.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "solh.signin.locked_out_response"
# The audit trail: axes logs every failure, lockout and sign-in with the username and client
# (never the password) and keeps them in its tables (AccessAttempt, AccessFailureLog, AccessLog).
AXES_SENSITIVE_PARAMETERS = []
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# An admin session with no request for this long is signed out.
ADMIN_SESSION_IDLE_MINUTES = env_int("ADMIN_SESSION_IDLE_MINUTES", 30)
# Two-factor sign-in (solh/two_factor/): always for superusers, national approvers, force admins
# and report handlers; for everyone else who uses the admin too when this is on.
TWO_FACTOR_REQUIRED_FOR_EDITORS = env_bool("TWO_FACTOR_REQUIRED_FOR_EDITORS", False)
OTP_TOTP_ISSUER = "Single Online Home"

# English, and Welsh for the Welsh forces (``Force.languages``). Public pages in Welsh are under
# /cy/ (solh.urls); English ones have no prefix. The project's own Welsh strings are in
# locale/cy/ (Django's and Wagtail's come with them).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "static_collected"))
# npm builds the themed GOV.UK Frontend bundle into static_build/ (git-ignored).
STATICFILES_DIRS = [BASE_DIR / "static_build"]
MEDIA_URL = env("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))

# Local files unless AWS_STORAGE_BUCKET_NAME is set (see solh/settings/storage.py).
STORAGES = {
    **media_storages(os.environ, BASE_DIR),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Single Online Home"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", f"http://{BASE_DOMAIN}")
# The database backend, or Elasticsearch / OpenSearch when ELASTICSEARCH_URL / OPENSEARCH_URL
# is set (search/backends.py).
WAGTAILSEARCH_BACKENDS = search_backends(os.environ)
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Also checks each upload's contents match its extension and refuses programs (solh/uploads.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "solh.uploads.ContentCheckedDocumentForm"
# Always through Wagtail's view (never a redirect to the storage), so collection privacy applies.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Only these are shown in the browser; everything else is served as an attachment.
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf", "text/plain"]
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 50
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAIL_PASSWORD_RESET_ENABLED = True
# The admin talks to no other site: no avatars from Gravatar (which would learn a hash of each
# editor's email address), no version check against wagtail.org. Both are also what keeps the
# admin's Content-Security-Policy to 'self'.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", f"no-reply@{BASE_DOMAIN}")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# No referrer to other sites at all, not even the origin: that someone came from a police
# force's site (its domestic abuse advice, say) is nobody else's business.
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy: public and admin policies (solh/settings/content_security.py,
# applied by solh.csp); CSP_REPORT_ONLY=true reports without blocking.
# (Named apart from django-csp 3.x's CSP_* settings, which django-csp 4 refuses.)
CONTENT_SECURITY_POLICY_REPORT_URI = env("CSP_REPORT_URI", DEFAULT_CSP_REPORT_URI)
(
    CONTENT_SECURITY_POLICY,
    CONTENT_SECURITY_POLICY_REPORT_ONLY,
    CONTENT_SECURITY_POLICY_ADMIN,
) = content_security_policies(os.environ, MEDIA_URL)

LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "without_template_context": {"()": "solh.log_filters.WithoutTemplateContext"},
        "without_query_strings": {"()": "solh.log_filters.WithoutQueryStrings"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # At DEBUG its exceptions carry the template context: a reporter's answers.
        "django.template": {"filters": ["without_template_context"]},
        # runserver's request lines, without their query strings (a saved report's token).
        "django.server": {
            "handlers": ["console"],
            "filters": ["without_query_strings"],
            "level": "INFO",
            "propagate": False,
        },
        # Wagtail logs every page action at INFO; the audit log keeps them in the database.
        "wagtail": {"level": env("WAGTAIL_LOG_LEVEL", "WARNING")},
        "django_tasks": {"level": env("TASKS_LOG_LEVEL", "WARNING")},
        # Not its banner at every start; its sign-in lines (the audit trail) stay.
        "axes.apps": {"level": "WARNING"},
    },
}

# Where "Exit this page" sends someone: a neutral, fast-loading page.
QUICK_EXIT_URL = env("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")

# --- Reporting journeys --------------------------------------------------------------------------
# Fernet keys for personal data at rest, newest first (see reporting.crypto). dev and test
# derive one from SECRET_KEY when unset; production refuses to start without them.
REPORTS_ENCRYPTION_KEYS = env_list("REPORTS_ENCRYPTION_KEYS")
# Minutes without activity after which a journey in progress is deleted, and the warning before.
REPORT_DRAFT_TIMEOUT_MINUTES = env_int("REPORT_DRAFT_TIMEOUT_MINUTES", 60)
REPORT_DRAFT_WARNING_MINUTES = env_int("REPORT_DRAFT_WARNING_MINUTES", 5)
# Evidence uploads: largest file, and most files per question.
REPORT_EVIDENCE_MAX_BYTES = env_int("REPORT_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
REPORT_EVIDENCE_MAX_FILES = env_int("REPORT_EVIDENCE_MAX_FILES", 10)
# Abuse: journeys started and reports submitted per client per hour; quickest human first step.
REPORT_RATE_LIMIT_PER_HOUR = env_int("REPORT_RATE_LIMIT_PER_HOUR", 30)
# django-ratelimit counts in the shared "ratelimit" cache; if that cache cannot be reached (Redis
# down), reporters are let through rather than all turned away.
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_FAIL_OPEN = True
REPORT_MIN_SECONDS = env_int("REPORT_MIN_SECONDS", 3)
# Delivery: tries before a report is marked failed, and the longest wait between two.
REPORT_DELIVERY_MAX_ATTEMPTS = env_int("REPORT_DELIVERY_MAX_ATTEMPTS", 12)
REPORT_DELIVERY_MAX_BACKOFF_SECONDS = env_int("REPORT_DELIVERY_MAX_BACKOFF_SECONDS", 3600)
REPORT_DELIVERY_TIMEOUT_SECONDS = env_int("REPORT_DELIVERY_TIMEOUT_SECONDS", 10)
# Where reports go for a force with neither a webhook nor a reports inbox (empty: they are
# marked failed at once, for handlers to see).
REPORTS_FALLBACK_EMAIL = env("REPORTS_FALLBACK_EMAIL", "")
# How long a handler's evidence download link works.
REPORT_EVIDENCE_URL_SECONDS = env_int("REPORT_EVIDENCE_URL_SECONDS", 600)
# Track my report (tracking/): one-time codes (minutes valid, tries), how long a verified
# browser may read its report, rate limits per hour, and the text-message sender for codes.
TRACKING_CODE_MINUTES = env_int("TRACKING_CODE_MINUTES", 15)
TRACKING_CODE_MAX_ATTEMPTS = env_int("TRACKING_CODE_MAX_ATTEMPTS", 5)
TRACKING_ACCESS_MINUTES = env_int("TRACKING_ACCESS_MINUTES", 30)
TRACKING_CODES_PER_CLIENT_PER_HOUR = env_int("TRACKING_CODES_PER_CLIENT_PER_HOUR", 10)
TRACKING_CODES_PER_REFERENCE_PER_HOUR = env_int("TRACKING_CODES_PER_REFERENCE_PER_HOUR", 5)
TRACKING_CODE_CHECKS_PER_CLIENT_PER_HOUR = env_int("TRACKING_CODE_CHECKS_PER_CLIENT_PER_HOUR", 30)
TRACKING_SMS_BACKEND = env("TRACKING_SMS_BACKEND", "tracking.sms.FileBackend")
TRACKING_SMS_FILE_PATH = env("TRACKING_SMS_FILE_PATH", str(BASE_DIR / "sent_texts"))
# "Save and come back later": how long a saved draft (and the link emailed for it) is kept.
REPORT_SAVED_DRAFT_DAYS = env_int("REPORT_SAVED_DRAFT_DAYS", 7)
# Journey insight events (insight/) and page feedback (feedback/) are purged after these days.
INSIGHT_EVENT_RETENTION_DAYS = env_int("INSIGHT_EVENT_RETENTION_DAYS", 400)
FEEDBACK_RETENTION_DAYS = env_int("FEEDBACK_RETENTION_DAYS", 400)
# The national hub's phase banner (alpha, beta or live: none) and where its feedback link goes
# (empty: the hub's own feedback form). Each force sets its own in its settings.
HUB_PHASE = env("HUB_PHASE", "live")
HUB_PHASE_FEEDBACK_URL = env("HUB_PHASE_FEEDBACK_URL", "")


def derived_encryption_key(secret):
    """A Fernet key derived from ``secret``: for dev and test only."""
    import base64
    import hashlib

    return base64.urlsafe_b64encode(hashlib.sha256(b"solh-reports:" + secret.encode()).digest())
