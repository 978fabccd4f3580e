"""Finished background-task rows, pruned.

django-tasks-db keeps a row for every task it runs (search indexing, reference index,
report deliveries …) for ever. ``prune_task_results`` deletes those that finished more than
``TASK_RESULTS_KEEP_DAYS`` ago; ``manage.py run_worker`` runs it every hour. Tasks that are
waiting or running are never touched.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from django_tasks_db.models import DBTaskResult


def prune_task_results(now=None):
    """Delete task rows that finished (successfully or not) before the kept period; return
    how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.TASK_RESULTS_KEEP_DAYS)
    deleted, _by_model = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted
