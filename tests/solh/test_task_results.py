"""Finished background-task rows are pruned after ``TASK_RESULTS_KEEP_DAYS``; nothing waiting
or running is touched. Rows left RUNNING by a dead worker are marked failed after
``TASK_RUNNING_STALE_MINUTES`` (a worker killed for real: tests/faults/test_worker_faults.py)."""

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

import pytest
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from solh.task_results import WORKER_LOST_PATH, fail_stale_running_tasks, prune_task_results

pytestmark = pytest.mark.django_db


def task_row(status, finished_days_ago=None):
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="reporting.tasks.deliver",
        backend_name="default",
        run_after=now,
        finished_at=None if finished_days_ago is None else now - timedelta(days=finished_days_ago),
    )


@override_settings(TASK_RESULTS_KEEP_DAYS=14)
def test_finished_rows_older_than_the_kept_period_are_pruned():
    old_success = task_row(TaskResultStatus.SUCCESSFUL, finished_days_ago=15)
    old_failure = task_row(TaskResultStatus.FAILED, finished_days_ago=30)
    recent = task_row(TaskResultStatus.SUCCESSFUL, finished_days_ago=13)
    waiting = task_row(TaskResultStatus.READY)
    running = task_row(TaskResultStatus.RUNNING)

    assert prune_task_results() == 2

    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert left == {recent.pk, waiting.pk, running.pk}
    assert not {old_success.pk, old_failure.pk} & left
    assert prune_task_results() == 0


@override_settings(TASK_RESULTS_KEEP_DAYS=0)
def test_a_kept_period_of_zero_prunes_every_finished_row():
    task_row(TaskResultStatus.SUCCESSFUL, finished_days_ago=0)
    waiting = task_row(TaskResultStatus.READY)
    assert prune_task_results(now=timezone.now() + timedelta(seconds=1)) == 1
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [waiting.pk]


def running_row(started_minutes_ago):
    row = task_row(TaskResultStatus.RUNNING)
    row.started_at = timezone.now() - timedelta(minutes=started_minutes_ago)
    row.worker_ids = ["a-worker-that-died"]
    row.save()
    return row


@override_settings(TASK_RUNNING_STALE_MINUTES=30)
def test_rows_running_past_the_threshold_are_marked_failed_and_later_pruned():
    stale = running_row(started_minutes_ago=31)
    busy = running_row(started_minutes_ago=29)
    waiting = task_row(TaskResultStatus.READY)

    assert fail_stale_running_tasks() == 1

    stale.refresh_from_db()
    assert stale.status == TaskResultStatus.FAILED
    assert stale.finished_at is not None
    assert stale.exception_class_path == WORKER_LOST_PATH
    assert "30 minutes" in stale.traceback
    assert DBTaskResult.objects.get(pk=busy.pk).status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.get(pk=waiting.pk).status == TaskResultStatus.READY
    assert fail_stale_running_tasks() == 0
    with override_settings(TASK_RESULTS_KEEP_DAYS=0):
        assert prune_task_results(now=timezone.now() + timedelta(seconds=1)) == 1
    assert not DBTaskResult.objects.filter(pk=stale.pk).exists()


@override_settings(TASK_RUNNING_STALE_MINUTES=30)
def test_a_task_that_was_only_slow_records_its_real_outcome_over_the_mark():
    slow = running_row(started_minutes_ago=45)
    assert fail_stale_running_tasks() == 1
    slow.set_successful("delivered")  # what its worker does when the task ends after all
    slow.refresh_from_db()
    assert (slow.status, slow.return_value) == (TaskResultStatus.SUCCESSFUL, "delivered")
