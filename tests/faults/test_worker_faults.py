"""Fault: the background worker is killed (``kill -9``) in the middle of a webhook delivery.

Nothing lost: the report still reaches the force's back office. Nothing doubled: the back office
dedupes by ``Idempotency-Key`` and keeps it once. And nothing stuck: the task row the dead
worker held does not stay RUNNING for ever (``solh.task_results.fail_stale_running_tasks``,
run by the next worker's schedule).
"""

import signal
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

import pytest
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from reporting.models import Delivery, DeliveryStatus
from solh.task_results import WORKER_LOST_PATH
from tests.faults.processes import (
    DATABASE_TASKS,
    committed_force,
    start_worker,
    stop,
    wait_for,
)
from tests.reporting.receiver import configure, journey_page, make_report, running_receiver

STALE_MINUTES = 5  # the worker's TASK_RUNNING_STALE_MINUTES here


@pytest.fixture
def committed(db):
    with committed_force("thames-valley") as made:
        yield made


def test_a_worker_killed_mid_delivery_loses_nothing_and_leaves_nothing_running(committed):
    force = committed["force"]
    worker_env = {"TASK_RUNNING_STALE_MINUTES": str(STALE_MINUTES)}
    with running_receiver() as receiver:
        configure(force, receiver.url("thames-valley"))
        page = journey_page(force, slug="killed-worker-journey")
        committed["pages"].append(page)
        receiver.hang()
        with override_settings(TASKS=DATABASE_TASKS):
            submission = make_report(force, page=page)
        delivery = submission.deliveries.get()

        worker = start_worker("--sweep-every", "3600", "--purge-every", "3600", env=worker_env)
        try:
            wait_for(receiver.request_arrived.is_set, "the webhook was posted", worker)
            held = DBTaskResult.objects.get(task_path="reporting.tasks.deliver")
            assert held.status == TaskResultStatus.RUNNING
            delivery.refresh_from_db()
            assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
            assert delivery.lease_until is not None
            worker.send_signal(signal.SIGKILL)  # mid-request: no chance to record anything
            worker.wait(timeout=10)
        finally:
            stop(worker)

        delivery.refresh_from_db()
        held.refresh_from_db()
        assert delivery.status == DeliveryStatus.PENDING
        assert delivery.tries.count() == 0
        # ... and nothing of django-tasks-db's own will ever end it.
        assert held.status == TaskResultStatus.RUNNING
        # The back office did get the request, and now handles it: whether it kept it is
        # something the platform cannot know, so it must deliver again.
        receiver.release()
        wait_for(lambda: len(receiver.requests) == 1, "the held request was answered")

        # Time passes: the dead worker's lease runs out, and its task row goes stale.
        Delivery.objects.filter(pk=delivery.pk).update(
            lease_until=timezone.now() - timedelta(seconds=1)
        )
        DBTaskResult.objects.filter(pk=held.pk).update(
            started_at=timezone.now() - timedelta(minutes=STALE_MINUTES, seconds=1)
        )

        # A new worker: its schedule marks the stale row failed and sweeps the delivery up.
        new_worker = start_worker("--sweep-every", "0.5", "--purge-every", "3600", env=worker_env)
        try:
            wait_for(
                lambda: Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.DELIVERED,
                "the report was delivered again",
                new_worker,
            )
            wait_for(
                lambda: not DBTaskResult.objects.running().exists(),
                "no task row is left running",
                new_worker,
            )
        finally:
            output = stop(new_worker)

        held.refresh_from_db()
        assert held.status == TaskResultStatus.FAILED, output
        assert held.exception_class_path == WORKER_LOST_PATH
        assert held.finished_at is not None
        assert "Stale running task rows marked failed: 1" in output
        assert "Delivery sweep: deliveries queued again: 1" in output

        delivery.refresh_from_db()
        submission.refresh_from_db()
        assert delivery.attempts == 2
        assert [attempt.succeeded for attempt in delivery.tries.all()] == [True]
        assert submission.delivery_status == DeliveryStatus.DELIVERED
        assert len(receiver.requests) == 2
        assert len(receiver.by_reference(submission.reference)) == 1  # exactly once
        assert receiver.duplicates == 1
        # The new worker's own job row for the delivery finished normally.
        assert (
            DBTaskResult.objects.successful().filter(task_path="reporting.tasks.deliver").count()
            == 1
        )
