"""Production settings pass Django's deployment checks, and send HSTS.

``manage.py check --deploy --fail-level WARNING`` with ``solh.settings.production`` and the
environment it requires (test values): any warning (no HSTS, cookies not secure, DEBUG, a weak
SECRET_KEY, …) fails. Then a request over HTTPS to a production-settings process, on the test
database, must carry ``Strict-Transport-Security`` and the security headers.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def production_env(**overrides):
    """What production refuses to start without, with test values (no Redis, no S3)."""
    database = connection.settings_dict
    url = (
        f"postgres://{quote(database['USER'] or 'postgres')}@{database['HOST'] or '127.0.0.1'}"
        f":{database['PORT'] or 5432}/{quote(database['NAME'])}"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "AWS_STORAGE_BUCKET_NAME", "DEBUG", "SECURE_HSTS_SECONDS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="solh.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=url,
        DATABASE_CONN_MAX_AGE="0",
        ALLOWED_HOSTS="met.localhost,localhost",
        BASE_DOMAIN="localhost",
        REPORTS_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        **overrides,
    )
    return env


@pytest.mark.django_db
def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


REQUEST = """
import json
import django
django.setup()
from django.test import Client
response = Client().get("/robots.txt", HTTP_HOST="met.localhost", secure=True)
print(json.dumps({"status": response.status_code, "headers": dict(response.headers)}))
"""


@pytest.mark.django_db
def test_production_sends_hsts_and_the_security_headers_over_https():
    result = subprocess.run(
        [sys.executable, "-c", REQUEST],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    headers = answer["headers"]
    assert answer["status"] == 200, answer
    hsts = headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts and "preload" in hsts
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    policy = headers["Content-Security-Policy"]
    assert "upgrade-insecure-requests" in policy and "frame-ancestors 'none'" in policy
