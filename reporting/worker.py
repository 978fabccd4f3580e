"""The task worker behind ``manage.py run_worker``: django-tasks-db's, polling without a lock.

django-tasks-db's ``db_worker`` looks for work by opening an exclusive transaction and trying
to claim a task in it. On SQLite that takes the database's one write lock on every poll, ready
task or not, so an idle worker queues for the lock with the web server and management commands
every ``--interval`` seconds; and if another process holds the lock for longer than the busy
timeout, the failed ``BEGIN`` ends the worker. ``Worker`` first looks with a plain read, which
takes no lock in WAL mode (nor on PostgreSQL), and opens the claiming transaction only when a
task is ready; a claim that cannot get the lock is tried again on the next poll.
"""

import contextlib
import logging
import os
import random
import time

from django.core.management.base import CommandError
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader

from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

logger = logging.getLogger("reporting.worker")

# The database not answering (down, restarting, unreachable), as Django reports it.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
DATABASE_RETRY_MAX_SECONDS = 5


class Worker(db_worker.Worker):
    """``db_worker``'s worker (same options, signals and task handling), reading before it
    claims."""

    database_failures = 0  # in a row

    def ready_tasks(self):
        """The tasks this worker may run now."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        return tasks

    def claim_next(self):
        """``(task, settled)``: the next ready task, claimed for this worker (or None), and
        whether the answer is sure (False when the database stayed locked)."""
        tasks = self.ready_tasks()
        # Autocommit, outside any transaction: a read, no write lock.
        if not tasks.exists():
            return None, True
        try:
            with exclusive_transaction(tasks.db):
                task = tasks.get_locked()
                if task is not None:
                    task.claim(self.worker_id)
                return task, True
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise
            logger.warning("The database stayed locked: the task is claimed on a later poll.")
            return None, False

    def run(self):
        logger.info("Worker %s started (queues: %s)", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # several workers started together spread out
        while self.running:
            try:
                close_old_connections()
                task, settled = self.claim_next()
                if task is not None:
                    self.run_task(task)
            except DATABASE_UNAVAILABLE as error:
                self.wait_for_database(error)
                continue
            self.database_failures = 0
            if task is None and self.batch and settled:
                logger.info("Worker %s: no task left, stopping (--batch).", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info(
                    "Worker %s ran %s tasks, stopping (--max-tasks).",
                    self.worker_id,
                    self._run_tasks,
                )
                return
            close_old_connections()
            # After a task, straight on to the next; otherwise wait (unless Ctrl-C stopped it).
            if self.running and task is None:
                time.sleep(self.interval)

    def wait_for_database(self, error):
        """The database is down or restarting: wait for it (longer each time, up to
        ``DATABASE_RETRY_MAX_SECONDS``) rather than end the worker. A task it cut off stays
        claimed; the sweep hands its delivery out again once the lease runs out."""
        self.database_failures += 1
        delay = min(DATABASE_RETRY_MAX_SECONDS, 0.5 * 2 ** (self.database_failures - 1))
        logger.error(
            "The database is not answering (%s): trying again in %.1f s",
            type(error).__name__,
            delay,
        )
        for connection in connections.all(initialized_only=True):
            with contextlib.suppress(Exception):
                connection.close()
        time.sleep(delay)


def run_tasks(command, *, verbosity, queue_name, exclude_queues, interval, batch, backend_name,
              startup_delay, reload, max_tasks, worker_id, **_options):  # fmt: skip
    """Run ``Worker`` with ``db_worker``'s options, as its command would (``command`` is the
    management command, for its logging set-up)."""
    command.configure_logging(verbosity)
    if reload and batch:
        logger.warning("--reload does not apply to --batch: the worker runs without it.")
        reload = False
    queue_names = queue_name.split(",")
    excluded = exclude_queues.split(",") if exclude_queues else []
    if excluded and "*" not in queue_names:
        raise CommandError("--exclude-queues can only be used with --queue-name=*")
    worker = Worker(
        queue_names=queue_names,
        excluded_queue_names=excluded,
        interval=interval,
        batch=batch,
        backend_name=backend_name,
        startup_delay=startup_delay,
        max_tasks=max_tasks,
        worker_id=worker_id,
    )
    if not reload:
        worker.configure_signals()
        worker.run()
        return
    # The reloader's parent only watches files; the child (which runs the worker) takes signals.
    if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
        worker.configure_signals()
    run_with_reloader(worker.run)
