"""Real processes on a database of their own: an SQLite file or a PostgreSQL database, each
migrated once per test session and copied for each test.

Every process runs with the worker settings (``tests.reporting.worker_settings``: the test
settings, with jobs queued in the database as in production) and writes its output to a file,
which the tests search for errors.
"""

import contextlib
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings

import psycopg
import pytest

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


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """An SQLite database file, migrated once per test session (copy it before use)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "db.sqlite3"
    run(manage("migrate", "--no-input", "-v", "0"), environment(f"sqlite:///{path}"))
    with sqlite3.connect(path) as database:  # fold the write-ahead log into the file
        database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def sqlite_database(sqlite_template, tmp_path):
    """``(DATABASE_URL, path)`` of a migrated SQLite database for this test alone."""
    path = tmp_path / "db.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}", path


def _postgres_url(name):
    """``DATABASE_URL`` of the database ``name`` on the test settings' PostgreSQL server."""
    server = settings.DATABASES["default"]
    credentials = quote(server["USER"] or "", safe="")
    if server["PASSWORD"]:
        credentials += ":" + quote(server["PASSWORD"], safe="")
    host = server["HOST"] or "127.0.0.1"
    port = f":{server['PORT']}" if server["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(name, safe='')}"


@contextlib.contextmanager
def postgres_server():
    """A connection to the server's maintenance database, to create and drop databases."""
    with psycopg.connect(_postgres_url("postgres"), autocommit=True) as server:
        yield server


@pytest.fixture(scope="session")
def postgres_template():
    """A PostgreSQL database migrated once per test session (clone it before use): with
    nobody connected to it, ``CREATE DATABASE ... TEMPLATE`` copies it in a moment."""
    name = f"solh_concurrency_template_{os.getpid()}"
    with postgres_server() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        run(manage("migrate", "--no-input", "-v", "0"), environment(_postgres_url(name)))
        yield name
    finally:
        with postgres_server() as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
