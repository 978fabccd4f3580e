"""A web worker does not load what only the site import or a report's encryption needs.

gunicorn's master loads the application, its URLs, middleware, templates and cache clients
(``solh.warmup``) before it forks its workers; whatever it imports, every worker holds. lxml
(loaded by BeautifulSoup's lxml tree builder, which nothing uses) and cryptography's Fernet
(``reporting.crypto``, imported on first use) are left out: together 13 MB of each process's
startup memory.
"""

import json
import os
import subprocess
import sys

from django.conf import settings

from bs4 import BeautifulSoup

from reporting import crypto
from tests.solh.production import PRODUCTION_ENV

# Modules a public page never needs; their packages may still be imported (``cryptography``
# alone is, by the Redis client, to see whether it is installed). Some are not imported by
# anything a worker loads today and are listed so that they never are: S3's clients (media on
# the file system, as here, need neither), Playwright (the browser tests'), Babel.
DEFERRED = [
    "lxml",
    "lxml.etree",
    "bs4.builder._lxml",
    "cryptography.fernet",
    "storages.backends.s3",
    "boto3",
    "botocore",
    "playwright",
    "babel",
]

# In a fresh interpreter, with production's settings: what gunicorn's master does before it
# forks (gunicorn.conf.py), then the modules every public request goes through.
LOAD_AS_GUNICORN_DOES = """
import json, sys
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver
get_wsgi_application()
get_resolver().url_patterns
from solh.warmup import load_before_fork
load_before_fork()
import home.models, home.site_context, solh.middleware, search.views, feedback.views
import reporting.journey, reporting.views, tracking.views
print(json.dumps(sorted(name for name in {deferred} if sys.modules.get(name) is not None)))
"""


def test_the_application_as_a_worker_holds_it_loads_none_of_the_deferred_modules():
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    result = subprocess.run(
        [sys.executable, "-c", LOAD_AS_GUNICORN_DOES.format(deferred=DEFERRED)],
        cwd=settings.BASE_DIR,
        env={**clean, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == [], f"imported before the first request: {loaded}"


def test_beautifulsoup_still_parses_with_the_parser_every_caller_names():
    page = BeautifulSoup("<p>Report a <b>crime</b></p>", "html.parser")
    assert page.get_text() == "Report a crime"


def test_the_site_import_still_has_lxml():
    from site_import import extract

    assert extract.lxml.html.fromstring("<p>Hello</p>").text_content() == "Hello"


def test_a_token_made_with_another_key_is_refused_with_cryptography_s_own_error():
    from cryptography.fernet import Fernet, InvalidToken

    assert crypto.InvalidToken is InvalidToken
    foreign = Fernet(Fernet.generate_key()).encrypt(b"secret")
    try:
        crypto.decrypt(foreign)
    except crypto.InvalidToken:
        pass
    else:
        raise AssertionError("a token made with another key was decrypted")
    assert crypto.decrypt(crypto.encrypt(b"secret")) == b"secret"
