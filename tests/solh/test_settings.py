"""Production settings: refuse to start without secrets, and pass Django's deploy checks."""

import os
import subprocess
import sys

from django.conf import settings

import pytest

from tests.solh.production import PRODUCTION_ENV, manage


def test_production_settings_pass_the_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "BASE_DOMAIN"])
def test_production_refuses_to_start_without(missing):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set in production." in result.stderr


def test_production_refuses_a_short_secret_key():
    result = manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": "short"})
    assert "at least 50 characters" in result.stderr


def test_a_bad_boolean_is_a_clear_error():
    result = manage("check", env={**PRODUCTION_ENV, "SECURE_SSL_REDIRECT": "maybe"})
    assert "SECURE_SSL_REDIRECT must be true or false, not 'maybe'." in result.stderr


def test_bare_manage_py_uses_the_development_defaults():
    clean = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "manage.py", "diffsettings", "--all"],
        cwd=settings.BASE_DIR,
        env={k: v for k, v in clean.items() if k not in PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "db.sqlite3" in result.stdout
    assert "DEBUG = True" in result.stdout
