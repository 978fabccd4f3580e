"""Who holds SQLite's write lock, and for how long: the worker only while it claims a task (and
a lock it cannot get does not stop it); onboarding from a CSV one force at a time.

Both on an SQLite file of their own, with real processes; this test process takes the lock
itself (``BEGIN IMMEDIATE``) or watches what is committed (a read, which WAL never blocks).
"""

import contextlib
import json
import sqlite3
import threading
import time
import uuid

from tests import databases
from tests.concurrency.conftest import (
    Process,
    actor,
    environment,
    lock_errors,
    manage,
    run,
    wait_until,
)

WAIT = 60  # seconds: generous, for a loaded machine
# Polling 10 times a second; the schedule's jobs only once, at start.
WORKER_OPTIONS = ["--no-reload", "--no-startup-delay", "--interval", "0.1",
                  "--sweep-every", "3600", "--purge-every", "3600"]  # fmt: skip


@contextlib.contextmanager
def write_lock(path):
    """Hold the database's write lock, as a long writer in another process would."""
    database = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        database.execute("BEGIN IMMEDIATE")
        yield
        database.execute("COMMIT")
    finally:
        database.close()


def task_status(path, task_id):
    with contextlib.closing(sqlite3.connect(path)) as database:
        row = database.execute(
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?",
            [uuid.UUID(task_id).hex],
        ).fetchone()
    return row[0] if row else None


def test_the_worker_polls_without_the_write_lock_and_outlasts_a_long_writer(
    sqlite_database, tmp_path
):
    database_url, path = sqlite_database
    # A busy timeout of 1 s: a worker that asks for the lock while it is held finds out fast.
    env = environment(database_url, SQLITE_BUSY_TIMEOUT=1)
    worker = Process("worker", manage("run_worker", *WORKER_OPTIONS), env, tmp_path)
    try:
        # Its schedule runs each job once at start (writes of their own): wait for the last.
        wait_until(lambda: "Finished task rows pruned" in worker.output(), "the worker started",
                   WAIT, [worker])  # fmt: skip

        # Idle, it polls 10 times a second; none of those polls waits for the lock.
        with write_lock(path):
            time.sleep(3)
        assert worker.running, worker.output()

        # A task becomes ready while the lock is held: claiming it waits, gives up after the
        # busy timeout, and tries again on the next poll, until the lock is free.
        queued = json.loads(run(actor("enqueue", "--delay", 5), env).splitlines()[-1])
        with write_lock(path):
            assert time.time() < queued["ready_at"], "the lock came too late for this test"
            while time.time() < queued["ready_at"] + 3:
                time.sleep(0.1)
        wait_until(lambda: task_status(path, queued["id"]) == "SUCCESSFUL", "the task ran",
                   WAIT, [worker])  # fmt: skip
        assert worker.running
    finally:
        output = worker.stop()
    assert "The database stayed locked" in output
    # The warning above is the only trace the held lock left.
    assert not lock_errors("worker", output), output


def test_onboarding_from_a_csv_commits_one_force_at_a_time(sqlite_database, tmp_path):
    database_url, path = sqlite_database
    forces = tmp_path / "forces.csv"
    forces.write_text(
        "slug,name\n" + "".join(f"lock-{number},Lock {number} Police\n" for number in range(1, 5))
    )
    onboarding = Process(
        "onboard_force",
        manage("onboard_force", "--from-csv", forces),
        environment(database_url),
        tmp_path,
    )
    seen = set()
    with contextlib.closing(sqlite3.connect(path)) as database:
        while onboarding.running:
            seen |= {database.execute("SELECT count(*) FROM forces_force").fetchone()[0]}
            time.sleep(0.02)
    output = onboarding.stop()
    assert onboarding.popen.returncode == 0, output
    assert "4 forces: 4 created" in output
    # Other processes saw the forces arrive one by one: each was committed (and the write
    # lock let go) before the next was begun. In one transaction, they would all appear at once.
    assert {1, 2, 3} <= seen, seen


def test_first_connections_to_a_new_copy_do_not_lock_each_other_out(tmp_path):
    """Two processes (or a worker's two threads) opening a new copy of the template at once, each
    setting WAL mode as the settings' init_command does: a file still in rollback-journal mode
    made one of them fail at once with "database is locked", whatever its busy timeout (about
    one race in ten here: hence 60 races)."""
    errors = []

    def first_connection(path, barrier):
        try:
            with contextlib.closing(sqlite3.connect(path, timeout=1, isolation_level=None)) as db:
                barrier.wait()
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("BEGIN IMMEDIATE")
                db.execute("SELECT count(*) FROM django_migrations").fetchone()
                db.execute("COMMIT")
        except sqlite3.Error as error:
            errors.append(repr(error))

    for number in range(60):
        path = tmp_path / f"copy-{number}.sqlite3"
        databases.copy_sqlite_template(path)
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=first_connection, args=(path, barrier)) for _ in "ab"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
