"""Real processes for the fault-injection tests (and the worker tests): the platform's own
commands (``manage.py run_worker``, ``manage.py shell``) started on this test process's
database, and the committed data they need.

A subprocess only sees committed rows, so tests using these work outside the per-test
transaction (``committed_force``) and remove what they made. Each process's output goes to a
temporary file (a pipe nobody reads would fill up and stall it) and is returned by ``stop``.
"""

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.db import connection

import pytest
from django_tasks_db.models import DBTaskResult

from forces.models import Force
from reporting.models import Draft, ReportAccessRecord, Submission
from tests.reporting.receiver import configure, own_connection

ROOT = Path(__file__).resolve().parents[2]
# The database task backend, as production queues jobs (the test settings run them at once).
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WORKER_SETTINGS = "tests.reporting.worker_settings"
WAIT = 30  # seconds: generous, for a loaded machine


def database_url():
    """``DATABASE_URL`` for this process's test database."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


def start_manage(*arguments, env=None):
    """Start ``manage.py ARGUMENTS`` on the test database (worker settings: jobs go to the
    database). ``env`` adds or overrides environment variables, e.g. delivery timeouts."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": WORKER_SETTINGS,
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    # Closed by ``stop``: it outlives this call, with the process.
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    process.log = log
    return process


def start_worker(*options, timeout_seconds=30, env=None):
    """Start ``manage.py run_worker`` polling every 0.1 s (each try's timeout in seconds)."""
    return start_manage(
        "run_worker",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.1",
        *options,
        env={"REPORT_DELIVERY_TIMEOUT_SECONDS": str(timeout_seconds), **(env or {})},
    )


def output(process):
    """What ``process`` has written so far."""
    process.log.seek(0)
    return process.log.read()


def stop(process):
    """Stop ``process`` (SIGTERM, then SIGKILL after 10 s) and return everything it wrote."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    text = output(process)
    process.log.close()
    return text


def wait_for(condition, what, process=None, timeout=WAIT):
    """Poll ``condition`` every 0.1 s; fail the test (with the process's output) on timeout or
    if ``process`` stops first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            pytest.fail(f"The process stopped before {what}:\n{output(process)}")
        time.sleep(0.1)
    text = stop(process) if process is not None else ""
    pytest.fail(f"Timed out waiting until {what}.\n{text}")


@contextlib.contextmanager
def committed_force(slug="thames-valley"):
    """ORM access outside the test transaction, on force ``slug``; cleaned up afterwards.

    Yields ``{"force", "pages", "users"}``: add pages and users made, and they are deleted with
    the force's reports, drafts, access records and every task row.
    """
    with own_connection():
        force = Force.objects.get(slug=slug)
        made = {"force": force, "pages": [], "users": []}
        try:
            yield made
        finally:
            Submission.objects.filter(force=force).delete()
            Draft.objects.filter(force=force).delete()
            ReportAccessRecord.objects.filter(force=force).delete()
            for page in made["pages"]:
                page.delete()
            get_user_model().objects.filter(pk__in=[user.pk for user in made["users"]]).delete()
            configure(force)
            DBTaskResult.objects.all().delete()
