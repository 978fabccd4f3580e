"""The real worker (``manage.py run_worker``) as a subprocess on the test database.

The worker only sees committed rows, so these tests work outside the per-test transaction (the
``committed`` fixture) and remove what they made. The tests' process queues jobs with the
database task backend, as production does; the worker runs them and posts to a receiver on
loopback in this process.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from django.db import connection
from django.test import override_settings
from django.utils import timezone

import pytest
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from forces.models import Force
from reporting.delivery import sweep
from reporting.models import Delivery, DeliveryStatus, Draft, Submission
from tests.reporting.receiver import (
    configure,
    journey_page,
    make_draft,
    make_report,
    own_connection,
    running_receiver,
)

ROOT = Path(__file__).resolve().parents[2]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
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


def start_worker(*options, timeout_seconds=30):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.reporting.worker_settings",
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "REPORT_DELIVERY_TIMEOUT_SECONDS": str(timeout_seconds),
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "run_worker",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.1",
        *options,
    ]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.stdout.read()


def wait_for(condition, what, process=None):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            pytest.fail(f"The worker stopped before {what}:\n{process.stdout.read()}")
        time.sleep(0.1)
    output = stop(process) if process is not None else ""
    pytest.fail(f"Timed out waiting until {what}.\n{output}")


@pytest.fixture
def committed(db):
    """ORM access outside the test transaction, on ``thames-valley``; cleaned up afterwards."""
    with own_connection():
        force = Force.objects.get(slug="thames-valley")
        made = {"force": force, "pages": []}
        try:
            yield made
        finally:
            Submission.objects.filter(force=force).delete()
            Draft.objects.filter(force=force).delete()
            for page in made["pages"]:
                page.delete()
            configure(force)
            DBTaskResult.objects.all().delete()


def test_a_worker_killed_mid_delivery_loses_nothing(committed):
    force = committed["force"]
    with running_receiver() as receiver:
        configure(force, receiver.url("thames-valley"))
        page = journey_page(force, slug="worker-journey")
        committed["pages"].append(page)
        receiver.hang()
        with override_settings(TASKS=DATABASE_TASKS):
            submission = make_report(force, page=page)
        delivery = submission.deliveries.get()

        worker = start_worker("--sweep-every", "3600", "--purge-every", "3600")
        try:
            wait_for(receiver.request_arrived.is_set, "the webhook was posted", worker)
            delivery.refresh_from_db()
            assert (delivery.status, delivery.attempts) == ("pending", 1)
            assert delivery.lease_until is not None
            worker.send_signal(signal.SIGKILL)  # mid-request: no chance to record anything
            worker.wait(timeout=10)
        finally:
            stop(worker)

        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.PENDING
        assert delivery.tries.count() == 0
        # The receiver did get the request, and now handles it: whether the back office kept
        # it is something the platform cannot know, so it must deliver again.
        receiver.release()

        # Time passes: the dead worker's lease runs out, and the sweep finds the delivery.
        Delivery.objects.filter(pk=delivery.pk).update(
            lease_until=timezone.now() - timedelta(seconds=1)
        )
        with override_settings(TASKS=DATABASE_TASKS):
            assert sweep() == 1
        new_worker = start_worker("--batch", "--sweep-every", "3600", "--purge-every", "3600")
        try:
            new_worker.wait(timeout=WAIT)
        finally:
            output = stop(new_worker)

        delivery.refresh_from_db()
        submission.refresh_from_db()
        assert delivery.status == DeliveryStatus.DELIVERED, output
        assert delivery.attempts == 2
        assert submission.delivery_status == DeliveryStatus.DELIVERED
        wait_for(lambda: len(receiver.requests) == 2, "the held request was answered")
        assert len(receiver.by_reference(submission.reference)) == 1  # exactly once
        assert receiver.duplicates == 1


def test_the_worker_sweeps_and_purges_on_its_schedule(committed):
    force = committed["force"]
    with running_receiver() as receiver:
        configure(force, receiver.url("thames-valley"))
        page = journey_page(force, slug="schedule-journey")
        committed["pages"].append(page)
        with override_settings(TASKS=DATABASE_TASKS):
            submission = make_report(force, page=page)
        # Its job is lost (say the queue was restored from an old backup), and it is overdue.
        DBTaskResult.objects.all().delete()
        Delivery.objects.filter(submission=submission).update(
            next_attempt_at=timezone.now() - timedelta(minutes=5)
        )
        abandoned = make_draft(force, page, expires_in=timedelta(minutes=-1))
        finished_long_ago = DBTaskResult.objects.create(
            status=TaskResultStatus.SUCCESSFUL,
            args_kwargs={"args": [], "kwargs": {}},
            task_path="reporting.tasks.deliver",
            backend_name="default",
            run_after=timezone.now() - timedelta(days=30),
            finished_at=timezone.now() - timedelta(days=30),
        )

        worker = start_worker("--sweep-every", "0.5", "--purge-every", "3600")
        try:
            wait_for(
                lambda: Submission.objects.get(pk=submission.pk).delivery_status == "delivered",
                "the sweep delivered the report",
                worker,
            )
            wait_for(
                lambda: not Draft.objects.filter(pk=abandoned.pk).exists(),
                "the purge removed the abandoned draft",
                worker,
            )
            wait_for(
                lambda: not DBTaskResult.objects.filter(pk=finished_long_ago.pk).exists(),
                "the old finished task row was pruned",
                worker,
            )
        finally:
            output = stop(worker)

        assert len(receiver.by_reference(submission.reference)) == 1
        assert "Delivery sweep: deliveries queued again: 1" in output
        assert "Retention purge: reports purged: 0" in output
        assert "Finished task rows pruned: 1" in output
