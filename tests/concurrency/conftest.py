"""Real processes on a database of their own: an SQLite file or a PostgreSQL database, each a
copy of the migrated template (``tests.databases``).

Every process runs with the worker settings (``tests.reporting.worker_settings``: the test
settings, with jobs queued in the database as in production) and writes its output to a file,
which the tests search for errors.
"""

import contextlib
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from tests import databases

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.reporting.worker_settings"
LOCK_ERRORS = ("database is locked", "OperationalError")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(database_url, **extra):
    """The environment of a process on ``database_url`` (``extra`` adds variables)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": database_url,
        "PYTHONUNBUFFERED": "1",
        **{name: str(value) for name, value in extra.items()},
    }


class Process:
    """A subprocess whose output goes to ``log`` (a pipe nobody reads would stall it)."""

    def __init__(self, name, command, env, log_dir):
        self.name = name
        self.log = Path(log_dir) / f"{name}.log"
        with self.log.open("w") as output:
            self.popen = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
            )

    @property
    def running(self):
        return self.popen.poll() is None

    def output(self):
        return self.log.read_text(errors="replace")

    def wait(self, timeout):
        return self.popen.wait(timeout=timeout)

    def stop(self):
        if self.running:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        return self.output()


def manage(*arguments):
    """The command line of ``manage.py ARGUMENTS``."""
    return [sys.executable, str(ROOT / "manage.py"), *map(str, arguments)]


def actor(*arguments):
    """The command line of ``tests.concurrency.actors ARGUMENTS``."""
    return [sys.executable, "-m", "tests.concurrency.actors", *map(str, arguments)]


def run(command, env, timeout=300):
    """Run ``command`` to its end; return its output, failing the test if it fails."""
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    output = done.stdout + done.stderr
    if done.returncode != 0:
        pytest.fail(f"{' '.join(command[1:])} failed ({done.returncode}):\n{output[-4000:]}")
    return output


def wait_until(condition, what, timeout, processes=()):
    """Poll ``condition`` until it holds; fail (with the processes' output) if it does not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        for process in processes:
            if not process.running:
                pytest.fail(f"{process.name} stopped before {what}:\n{process.output()[-4000:]}")
        time.sleep(0.1)
    logs = "\n".join(f"--- {p.name}\n{p.output()[-2000:]}" for p in processes)
    pytest.fail(f"Timed out after {timeout} s waiting until {what}.\n{logs}")


def lock_errors(name, output):
    """The lines of ``output`` that report a locked database (or any database error)."""
    lines = output.splitlines()
    return [f"{name}: {line}" for line in lines if any(error in line for error in LOCK_ERRORS)]


def stored_reports(database_url):
    """The references of the reports in the database, and the statuses of their deliveries
    (read straight from the tables: quicker than one more Django process)."""
    queries = (
        "SELECT reference FROM reporting_submission",
        "SELECT DISTINCT status FROM reporting_delivery",
    )
    if database_url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as db:
            answers = [[row[0] for row in db.execute(query)] for query in queries]
    else:
        with psycopg.connect(database_url) as db:
            answers = [[row[0] for row in db.execute(query)] for query in queries]
    return dict(zip(("references", "delivery statuses"), answers, strict=True))


@pytest.fixture
def sqlite_database(tmp_path):
    """``(DATABASE_URL, path)`` of a migrated SQLite database for this test alone (a copy of
    the migrated template, ``tests.databases``)."""
    path = tmp_path / "db.sqlite3"
    return databases.copy_sqlite_template(path), path


_postgres_url = databases.postgres_url
postgres_server = databases.postgres_server


@pytest.fixture(scope="session")
def postgres_template():
    """The migrated PostgreSQL template (``tests.databases``): with nobody connected to it,
    ``CREATE DATABASE ... TEMPLATE`` copies it in a moment."""
    return databases.postgres_template()


@pytest.fixture
def postgres_database(postgres_template):
    """``DATABASE_URL`` of a migrated PostgreSQL database for this test alone."""
    name = f"solh_concurrency_{os.getpid()}"
    with postgres_server() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"')
    try:
        yield _postgres_url(name)
    finally:
        with postgres_server() as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
