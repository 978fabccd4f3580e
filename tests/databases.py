"""Migrated databases, made once and copied: every test database the suite needs starts as a
copy of a template, instead of running the migrations again (about 25 s of CPU each).

A template is named after a fingerprint of what shapes the schema (every migration file of the
project, the pinned packages in ``requirements.lock``, which fix Wagtail's and Django's own
migrations): while they are unchanged, runs on this machine reuse the template, and the first
run after a change builds a new one. One process builds it while the others wait on a lock
(PostgreSQL's advisory lock, a file lock for SQLite), so parallel test processes and parallel
suites never build it twice or read it half-built.

- ``postgres_template()``: a database on the test settings' PostgreSQL server, for
  ``CREATE DATABASE ... TEMPLATE`` (the main test database, ``tests/conftest.py``, and the
  concurrency tests').
- ``sqlite_template()``: a migrated SQLite file, to copy.
"""

import contextlib
import fcntl
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from django.conf import settings

import psycopg

REPO = Path(__file__).resolve().parents[1]
PREFIX = "solh_template_"
SQLITE_FOLDER = Path(tempfile.gettempdir()) / "solh-test-templates"
# Any number: the advisory lock that serialises building the PostgreSQL template.
LOCK_KEY = 7_420_117


def fingerprint():
    """A short hash of everything that shapes the migrated schema."""
    digest = hashlib.sha256(sys.version.encode())
    files = sorted(
        path
        for path in REPO.glob("*/migrations/*.py")
        if not any(part in (".venv", "node_modules") for part in path.parts)
    )
    for path in [*files, REPO / "requirements.lock"]:
        digest.update(str(path.relative_to(REPO)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def migrate(database_url):
    """Run the real migrations on ``database_url`` in a process of its own."""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=REPO,
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
        capture_output=True,
    )


def postgres_url(name):
    """``DATABASE_URL`` of database ``name`` on the test settings' PostgreSQL server."""
    server = settings.DATABASES["default"]
    credentials = quote(server["USER"] or "", safe="")
    if server["PASSWORD"]:
        credentials += ":" + quote(server["PASSWORD"], safe="")
    host = server["HOST"] or "127.0.0.1"
    port = f":{server['PORT']}" if server["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(name, safe='')}"


@contextlib.contextmanager
def postgres_server():
    """An autocommit connection to the server's maintenance database."""
    with psycopg.connect(postgres_url("postgres"), autocommit=True) as server:
        yield server


def _database_exists(server, name):
    return server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()


def postgres_template():
    """The name of a migrated template database, built if this fingerprint has none yet."""
    name = PREFIX + fingerprint()
    with postgres_server() as server:
        if _database_exists(server, name):
            return name
        server.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            if not _database_exists(server, name):
                partial = name + "_partial"
                server.execute(f'DROP DATABASE IF EXISTS "{partial}" WITH (FORCE)')
                server.execute(f'CREATE DATABASE "{partial}"')
                migrate(postgres_url(partial))
                server.execute(f'ALTER DATABASE "{partial}" RENAME TO "{name}"')
                _drop_older_templates(server, keep=name)
        finally:
            server.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    return name


def _drop_older_templates(server, keep):
    rows = server.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
        [PREFIX + "%", keep],
    ).fetchall()
    for (old,) in rows:
        # Another suite may be copying it right now: then it stays until a later run.
        with contextlib.suppress(psycopg.Error):
            server.execute(f'DROP DATABASE IF EXISTS "{old}"')


def sqlite_template():
    """The path of a migrated SQLite file (copy it; never open it directly)."""
    SQLITE_FOLDER.mkdir(exist_ok=True)
    # "-wal": a template in write-ahead-log mode (earlier ones, in rollback-journal mode, are
    # built again).
    path = SQLITE_FOLDER / f"{fingerprint()}-wal.sqlite3"
    if path.exists():
        return path
    with (SQLITE_FOLDER / "build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            partial = path.with_suffix(".partial")
            partial.unlink(missing_ok=True)
            migrate(f"sqlite:///{partial}")
            with contextlib.closing(sqlite3.connect(partial)) as database:
                # Fold the write-ahead log into the file, so the file alone is the database. It
                # stays in WAL mode, as every database Django has opened is (the settings'
                # init_command): the first connections of two processes, or of a worker's two
                # threads, switching a copy's mode at once would get "database is locked" at
                # once, whatever their busy timeout.
                database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            for leftover in (Path(f"{partial}-wal"), Path(f"{partial}-shm")):
                leftover.unlink(missing_ok=True)
            partial.rename(path)
            for old in SQLITE_FOLDER.glob("*.sqlite3"):
                if old != path:
                    old.unlink(missing_ok=True)
    return path


def copy_sqlite_template(destination):
    """Copy the migrated SQLite template to ``destination``; return its ``DATABASE_URL``."""
    shutil.copyfile(sqlite_template(), destination)
    return f"sqlite:///{destination}"
