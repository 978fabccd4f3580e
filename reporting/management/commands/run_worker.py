"""The background worker: django-tasks-db's ``db_worker``, plus the reporting app's schedule.

Takes every ``db_worker`` option (``--interval``, ``--queue-name``, ``--batch``, ``--reload`` …)
and, in a thread beside the worker, runs ``reporting.delivery.sweep`` every minute (recovering
deliveries whose worker died or whose job was lost) with
``solh.task_results.fail_stale_running_tasks`` (task rows left RUNNING by a dead worker are
marked failed), and every hour
``reporting.retention.purge_expired`` and ``solh.task_results.prune_task_results`` (finished
task rows older than ``TASK_RESULTS_KEEP_DAYS``). Each also runs once at start. Several
workers may run: every job is safe to run concurrently.
"""

import logging
import os
import threading
import time
from dataclasses import dataclass

from django.db import close_old_connections, connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from reporting.delivery import sweep
from reporting.retention import purge_expired
from reporting.save_and_return import sweep as sweep_saved_links
from reporting.worker import run_tasks
from solh.task_results import fail_stale_running_tasks, prune_task_results

logger = logging.getLogger("reporting.worker")


@dataclass(frozen=True)
class Job:
    name: str
    every: float  # seconds
    run: object  # callable returning a count


class Schedule(threading.Thread):
    """Runs each job at start and then every ``job.every`` seconds, one at a time."""

    def __init__(self, jobs):
        super().__init__(name="reporting-schedule", daemon=True)
        self.jobs = jobs
        self.stopped = threading.Event()

    def run(self):
        due = {job.name: time.monotonic() for job in self.jobs}
        while not self.stopped.is_set():
            for job in self.jobs:
                if time.monotonic() >= due[job.name]:
                    self.run_job(job)
                    due[job.name] = time.monotonic() + job.every
            self.stopped.wait(max(0.05, min(due.values()) - time.monotonic()))

    def run_job(self, job):
        close_old_connections()
        try:
            count = job.run()
        except Exception as error:
            # The error's kind only: a message could quote data. The next run tries again.
            logger.error("%s failed (%s)", job.name, type(error).__name__)
        else:
            logger.info("%s: %s", job.name, count)
        finally:
            connection.close()

    def stop(self):
        self.stopped.set()


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background worker (django-tasks-db's db_worker) with the reporting schedule: "
        "a delivery sweep (and stale running task rows marked failed) every minute, and every "
        "hour a retention purge and the pruning of finished task rows."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--sweep-every",
            type=float,
            default=60,
            help=(
                "Seconds between delivery sweeps and checks for stale running task rows "
                "(default: %(default)s)."
            ),
        )
        parser.add_argument(
            "--purge-every",
            type=float,
            default=3600,
            help="Seconds between retention purges and task row pruning (default: %(default)s).",
        )

    def handle(self, *args, sweep_every, purge_every, **options):
        # With --reload, the parent process only watches files: the schedule runs in the child.
        reloading = options.get("reload") and not options.get("batch")
        if not reloading or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            Schedule(
                [
                    Job("Delivery sweep: deliveries queued again", sweep_every, sweep),
                    Job("Saved-report emails queued again", sweep_every, sweep_saved_links),
                    Job(
                        "Stale running task rows marked failed",
                        sweep_every,
                        fail_stale_running_tasks,
                    ),
                    Job("Retention purge: reports purged", purge_every, purge_expired),
                    Job("Finished task rows pruned", purge_every, prune_task_results),
                ]
            ).start()
        # db_worker's options, run by a worker that polls without taking the write lock.
        run_tasks(self, **options)
