"""Development defaults: what ``make demo`` and a bare ``manage.py`` use.

SQLite in the checkout, local media, console email, the database task backend, and the demo
hostnames (``localhost``, ``<force>.localhost``) on port 8000.
"""

import os

os.environ.setdefault("SITE_PORT", "8000")

from .base import *  # noqa: F403
from .base import env, env_bool, env_list

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
REPORTS_ENCRYPTION_KEYS = REPORTS_ENCRYPTION_KEYS or [  # noqa: F405
    derived_encryption_key(SECRET_KEY)  # noqa: F405
]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,.localhost,127.0.0.1,[::1]")
# Emails (reporters' confirmations included) are written to files, not the console: they hold
# personal data, which must not end up in logs.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "sent_emails"))  # noqa: F405
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
