"""Finished background-task rows are pruned after ``TASK_RESULTS_KEEP_DAYS``; nothing waiting
or running is touched."""

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

import pytest
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from solh.task_results import prune_task_results

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
