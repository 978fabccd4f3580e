"""Background-task rows: finished ones pruned, and ones whose worker died marked failed.

django-tasks-db keeps a row for every task it runs (search indexing, reference index,
report deliveries …) for ever. ``prune_task_results`` deletes those that finished more than
``TASK_RESULTS_KEEP_DAYS`` ago; ``manage.py run_worker`` runs it every hour. Tasks that are
waiting or running are never deleted.

A worker killed mid-task (``kill -9``, out of memory, its machine gone) leaves its row RUNNING,
and django-tasks-db never looks at it again. ``fail_stale_running_tasks`` marks failed every row
RUNNING for longer than ``TASK_RUNNING_STALE_MINUTES``; ``run_worker`` runs it with each delivery
sweep. The work itself is not re-run from the row: a report delivery is recovered by the sweep
(``reporting.delivery.sweep``, from the delivery's own lease), which is what keeps reports safe.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult


class WorkerLost(Exception):
    """Recorded on a task row whose worker stopped while running it."""


WORKER_LOST_PATH = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
# Operators' text (the row's traceback field), like a log line.
WORKER_LOST_TRACEBACK = (
    "The worker running this task stopped before it finished: the task was still running "
    "{minutes} minutes after it started (TASK_RUNNING_STALE_MINUTES)."
)


def prune_task_results(now=None):
    """Delete task rows that finished (successfully or not) before the kept period; return
    how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.TASK_RESULTS_KEEP_DAYS)
    deleted, _by_model = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted


def fail_stale_running_tasks(now=None):
    """Mark failed the task rows still RUNNING ``TASK_RUNNING_STALE_MINUTES`` after they
    started (their worker died); return how many.

    One UPDATE, so two workers doing it at once do no harm. Should a task run longer than the
    threshold after all, its worker records its real outcome over this one when it ends.
    Marked rows are then pruned like any finished row.
    """
    now = now or timezone.now()
    minutes = settings.TASK_RUNNING_STALE_MINUTES
    return (
        DBTaskResult.objects.running()
        .filter(started_at__lt=now - timedelta(minutes=minutes))
        .update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            return_value=None,
            exception_class_path=WORKER_LOST_PATH,
            traceback=WORKER_LOST_TRACEBACK.format(minutes=minutes),
        )
    )
