"""The web servers' gunicorn settings: the application preloaded, its objects frozen before
each fork so that the workers keep sharing the master's memory."""

import gc
import os
import runpy
import subprocess
import sys
from pathlib import Path

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_the_application_is_preloaded_and_frozen_before_each_fork():
    settings = runpy.run_path(str(GUNICORN_CONF))
    assert settings["preload_app"] is True
    frozen_before = gc.get_freeze_count()
    try:
        settings["pre_fork"](server=None, worker=None)
        assert gc.get_freeze_count() > frozen_before
    finally:
        gc.unfreeze()


def test_gunicorn_started_in_the_project_reads_it():
    """As the README runs it: ``gunicorn solh.wsgi`` from the project's directory."""
    printed = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--print-config", "solh.wsgi:application"],
        cwd=GUNICORN_CONF.parent,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "solh.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    settings = {
        name.strip(): value.strip()
        for name, _equals, value in (line.partition("=") for line in printed.splitlines())
    }
    assert settings["config"] == "./gunicorn.conf.py"
    assert settings["preload_app"] == "True"
    assert settings["pre_fork"] == "<pre_fork()>"
