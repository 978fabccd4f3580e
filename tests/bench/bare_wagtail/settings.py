"""Settings of ``wagtail start``'s project, trimmed to what is loaded at startup: its apps,
middleware, templates and URLs, on the bench's PostgreSQL server."""

import os

import dj_database_url

from tests.bench import DEFAULT_POSTGRES_URL

SECRET_KEY = "bench-bare-wagtail-only"
INSTALLED_APPS = [
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]
ROOT_URLCONF = "tests.bench.bare_wagtail.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
# Only connected to, never written: the server's own maintenance database.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL).rstrip("/") + "/postgres"
    )
}
STATIC_URL = "/static/"
WAGTAIL_SITE_NAME = "bare"
WAGTAILADMIN_BASE_URL = "http://localhost"
