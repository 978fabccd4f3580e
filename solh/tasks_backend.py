"""The task backend: ``django_tasks_db``'s, able to store many jobs with one ``INSERT``.

Saving a page queues two jobs (its search index entry and its reference index entries), one
``INSERT`` each. Writing the 43 forces' copies of a national page, or a force's copy of the
whole national library when it is onboarded, queues them for every copy: inside ``batched()``
the jobs are kept and written together when it ends. A worker sees them no earlier than
before: jobs become visible when the transaction that queued them commits.

Other backends (the immediate one in tests) are not affected: ``batched()`` changes nothing
there.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, router
from django.db.models.signals import pre_save

from django_tasks_db.backend import DatabaseBackend as BaseDatabaseBackend
from django_tasks_db.compat import normalize_json

# The jobs queued inside the outermost ``batched()``, not yet written.
_pending = ContextVar("solh_pending_tasks", default=None)


class DatabaseBackend(BaseDatabaseBackend):
    """``django_tasks_db.DatabaseBackend`` that holds the jobs queued inside ``batched()``."""

    def _task_to_db_task(self, task, args, kwargs):
        pending = _pending.get()
        if pending is None:
            return super()._task_to_db_task(task, args, kwargs)
        from django_tasks_db.models import DBTaskResult

        # The row the base backend creates, kept to be written with the others.
        result = DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.alias,
        )
        pre_save.send(
            sender=DBTaskResult,
            instance=result,
            raw=False,
            using=router.db_for_write(DBTaskResult),
            update_fields=None,
        )
        pending.append(result)
        return result


@contextmanager
def batched():
    """Write the jobs queued inside with one ``INSERT`` when it ends (nested: the outermost).
    If it ends with an error that leaves the transaction unusable, nothing is written: the
    transaction rolls back what queued them."""
    if _pending.get() is not None:
        yield
        return
    pending = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
        if pending and not connection.needs_rollback:
            from django_tasks_db.models import DBTaskResult

            DBTaskResult.objects.bulk_create(pending)
