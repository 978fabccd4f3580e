"""The real worker (``manage.py run_worker``) as a subprocess on the test database: its schedule.

The worker only sees committed rows, so these tests work outside the per-test transaction (the
``committed`` fixture) and remove what they made. The tests' process queues jobs with the
database task backend, as production does; the worker runs them and posts to a receiver on
loopback in this process. A worker killed mid-delivery is one of the fault tests
(``tests/faults/test_worker_faults.py``).
"""

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

import pytest
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from reporting.models import Delivery, Draft, Submission
from tests.faults.processes import DATABASE_TASKS, committed_force, start_worker, stop, wait_for
from tests.reporting.receiver import (
    configure,
    journey_page,
    make_draft,
    make_report,
    running_receiver,
)


@pytest.fixture
def committed(db):
    """ORM access outside the test transaction, on ``thames-valley``; cleaned up afterwards."""
    with committed_force("thames-valley") as made:
        yield made


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
