"""Fault: one draft submitted twice at the same moment, by two processes (two web workers
taking the same "Accept and send", say), against PostgreSQL.

One report, one reference, one set of delivery jobs, and both submitters are shown that same
reference. To be sure the two really race, this test holds the draft's row while both
processes start submitting, waits until PostgreSQL shows both waiting on a lock, then lets go.
"""

import json

from django.db import connection

import psycopg
import pytest
from django_tasks_db.models import DBTaskResult
from psycopg import sql

from reporting.models import Delivery, Draft, Submission
from tests.faults.processes import (
    committed_force,
    database_url,
    start_manage,
    stop,
    wait_for,
)
from tests.reporting.receiver import journey_page, make_draft

MARK = "SUBMITTED "
# What each process runs: the submit path, on the draft, printing what the reporter is shown.
SUBMIT = """
import json
from reporting.models import Draft, ReportJourneyPage
from tests.reporting.receiver import make_report
draft = Draft.objects.select_related("force").get(pk="{draft}")
page = ReportJourneyPage.objects.get(pk={page})
submission = make_report(draft.force, page=page, draft=draft)
print("{mark}" + json.dumps({{"reference": submission.reference, "id": str(submission.pk)}}))
"""


@pytest.fixture
def committed(db):
    with committed_force("thames-valley") as made:
        yield made


def waiting_on_locks():
    """How many sessions on this test database are waiting for a lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def shown(output):
    lines = [line for line in output.splitlines() if line.startswith(MARK)]
    assert len(lines) == 1, output
    return json.loads(lines[0].removeprefix(MARK))


def test_two_processes_submitting_one_draft_make_one_report(committed):
    force = committed["force"]
    page = journey_page(force, slug="double-submit")
    committed["pages"].append(page)
    draft = make_draft(force, page)
    code = SUBMIT.format(draft=draft.pk, page=page.pk, mark=MARK)

    table, key = Draft._meta.db_table, Draft._meta.pk.column
    processes = []
    with psycopg.connect(database_url()) as holder:
        # Hold the draft's row (as a third submit would) so both processes pile up behind it.
        lock = sql.SQL("SELECT 1 FROM {} WHERE {} = %s FOR UPDATE")
        holder.execute(lock.format(sql.Identifier(table), sql.Identifier(key)), [draft.pk])
        processes = [start_manage("shell", "-c", code) for _ in range(2)]
        try:
            wait_for(
                lambda: waiting_on_locks() >= 2 or any(p.poll() is not None for p in processes),
                "both processes were waiting to submit",
            )
            ended = [stop(process) for process in processes if process.poll() is not None]
            assert not ended, ended
        except BaseException:
            for process in processes:
                stop(process)
            raise
        holder.rollback()  # let go: both go on at once

    outputs = []
    for process in processes:
        process.wait(timeout=30)
        outputs.append(stop(process))
    assert [process.returncode for process in processes] == [0, 0], outputs

    first, second = (shown(output) for output in outputs)
    assert first == second  # both reporters are shown the same reference
    submissions = Submission.objects.filter(draft_key=draft.pk)
    assert [str(pk) for pk in submissions.values_list("pk", flat=True)] == [first["id"]]
    assert Submission.objects.filter(force=force).count() == 1
    assert Delivery.objects.filter(submission_id=first["id"]).count() == 1
    assert DBTaskResult.objects.filter(task_path="reporting.tasks.deliver").count() == 1
    draft.refresh_from_db()
    assert draft.submitted_reference == first["reference"]
