"""Production: every secret and host comes from the environment, or the process refuses to start."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, env_bool, env_int
from .content_security import content_security_policies

for required in (
    "SECRET_KEY",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "BASE_DOMAIN",
    "REPORTS_ENCRYPTION_KEYS",
):
    if not env(required):
        raise ImproperlyConfigured(f"{required} must be set in production.")
if len(SECRET_KEY) < 50:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long in production.")

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
# Only ever served over HTTPS: any http:// address left in content is fetched as https://.
(
    CONTENT_SECURITY_POLICY,
    CONTENT_SECURITY_POLICY_REPORT_ONLY,
    CONTENT_SECURITY_POLICY_ADMIN,
) = content_security_policies(os.environ, MEDIA_URL, upgrade_insecure_requests=True)  # noqa: F405
CSRF_COOKIE_SECURE = True
# On by default with or without Redis: without it each worker keeps pages in its own memory,
# and every change moves the version tokens in the database that each worker reads once per
# request (solh/versions.py), so no worker serves a page older than its next request (proved
# with two gunicorn workers in tests/solh/test_processes.py).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
