"""Benchmark settings: the production settings, pointed at the bench database and domain.

The values below are forced rather than defaulted, so a ``DATABASE_URL`` or ``BASE_DOMAIN`` left
in the operator's shell can never send the benchmark (which drops and rebuilds its database) at
a real one. The changes to production behaviour:

- ``ROOT_URLCONF``: ``tests.bench.urls`` adds the floor view in front of the site's own URLs, so
  production URLs stay clean;
- reporting's abuse traps are off (``REPORT_MIN_SECONDS = 0``, ``REPORT_RATE_LIMIT_PER_HOUR = 0``):
  the load generator finishes a journey in milliseconds, from one address;
- a fixed, bench-only key encrypts the reports (production requires one from the environment);
- every cache (the page cache too) has a key prefix of the bench's own in Redis.

``PAGE_CACHE_ENABLED`` is left to the environment: the runner starts its second, *uncached*
gunicorn with ``PAGE_CACHE_ENABLED=false``.

Tasks go through the database backend (``django_tasks_db.DatabaseBackend``), as in production:
the reporting benchmark runs ``manage.py run_worker`` to deliver what the server stores.

``BENCH_POSTGRES_URL`` (server, no database name) and ``BENCH_REDIS_URL`` (empty: no Redis) can
point the benchmark at other local services.
"""

import base64
import hashlib
import os

from tests.bench import (
    BENCH_CACHE_PREFIX,
    BENCH_DATABASE_NAME,
    BENCH_DOMAIN,
    DEFAULT_POSTGRES_URL,
    DEFAULT_REDIS_URL,
)

BENCH_POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)
# Set but empty: no Redis (each gunicorn worker then has its own local-memory cache).
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)

BENCH_SECRET_KEY = "bench-only-secret-key-never-used-outside-the-benchmark-0123456789"

os.environ.update(
    {
        "SECRET_KEY": BENCH_SECRET_KEY,
        # A Fernet key (32 url-safe base64 bytes) for the bench's reports only.
        "REPORTS_ENCRYPTION_KEYS": base64.urlsafe_b64encode(
            hashlib.sha256(b"solh-bench-reports:" + BENCH_SECRET_KEY.encode()).digest()
        ).decode(),
        "DATABASE_URL": f"{BENCH_POSTGRES_URL.rstrip('/')}/{BENCH_DATABASE_NAME}",
        "ALLOWED_HOSTS": f"{BENCH_DOMAIN},.{BENCH_DOMAIN}",
        "BASE_DOMAIN": BENCH_DOMAIN,
        "SITE_PORT": "80",
        # Plain HTTP on the loopback interface: no TLS to redirect to.
        "SECURE_SSL_REDIRECT": "false",
        "REDIS_URL": BENCH_REDIS_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
    }
)

from solh.settings.production import *  # noqa: E402, F403

ROOT_URLCONF = "tests.bench.urls"

REPORT_MIN_SECONDS = 0
REPORT_RATE_LIMIT_PER_HOUR = 0  # 0: no limit
# django_tasks_db's backend, writing the jobs of a batch (43 forces' copies) with one INSERT.
TASKS = {"default": {"BACKEND": "solh.tasks_backend.DatabaseBackend"}}

for _alias, _cache in CACHES.items():  # noqa: F405
    if "KEY_PREFIX" in _cache:
        # Keys of their own (the page cache's too), which the benchmark clears before and after
        # each run.
        _cache["KEY_PREFIX"] = (
            BENCH_CACHE_PREFIX if _alias == "default" else f"{BENCH_CACHE_PREFIX}-{_alias}"
        )
