"""Test settings: PostgreSQL always (``DATABASE_URL`` or the local trust-auth server)."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/solh")
os.environ.setdefault("SITE_PORT", "80")

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-" + "x" * 32
REPORTS_ENCRYPTION_KEYS = REPORTS_ENCRYPTION_KEYS or [  # noqa: F405
    derived_encryption_key(SECRET_KEY)  # noqa: F405
]
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TRACKING_SMS_BACKEND = "tracking.sms.LocmemBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://localhost"
# Each test process keeps its caches in its own memory, whatever REDIS_URL says: the suite
# empties them around every test (tests/conftest.py), which on Redis would flush a developer's
# whole database, and parallel test processes must not share them. The tests of the Redis
# backend point at a Redis database of their own.
CACHES = LOCAL_MEMORY_CACHES  # noqa: F405
# ... so the tokens every process shares are in the (test) database, as on the demo's default.
SHARED_VERSIONS = "database"

# One test database per test process, so several suites can run side by side on one server
# (pytest-django drops it at the end and adds its own suffix per xdist worker).
DATABASES["default"]["TEST"] = {"NAME": f"test_solh_{os.getpid()}"}  # noqa: F405
