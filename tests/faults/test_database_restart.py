"""Fault: PostgreSQL restarted under a running web server and worker.

The platform runs as in production — gunicorn with the project's ``gunicorn.conf.py`` (two
workers) and ``manage.py run_worker`` — on a PostgreSQL cluster of this test's own, which the
test stops and starts again (``pg_ctl -m fast``: open connections are cut). Nothing is
restarted but the database.

- While it is down: ``/healthz`` answers 503 (a load balancer takes the server out), pages
  answer 503 with a page that needs no database, and someone sending their report is told
  plainly that it has not been sent. The worker waits for the database instead of ending.
- Once it is back: the same server processes answer again from their first request (stale
  connections are noticed: ``CONN_HEALTH_CHECKS``), journeys carry on with the answers given
  before, a report sent again is made once, and the worker delivers every report exactly once
  at the back office (a delivery cut off by the restart is sent again; the back office
  dedupes by ``Idempotency-Key``).
"""

import re
import time
from datetime import timedelta

from django.utils import timezone

import pytest

from demo.receiver import Receiver
from forces.models import Force
from reporting.models import Delivery, DeliveryStatus, Draft, Submission
from tests.faults.processes import stop
from tests.faults.seed import FORCE, JOURNEY_PATH
from tests.faults.services import (
    Browser,
    Reporter,
    WebServer,
    server_environ,
    start_worker,
    wait_until,
)
from tests.reporting.receiver import SECRET, configure

NAME = "Ada Restart-7c41"
REPORT_NOT_SENT = "Sorry, your report has not been sent"
SERVICE_PROBLEM = "Sorry, there is a problem with the service"


@pytest.fixture(scope="module")
def stack(private_postgres, tmp_path_factory):
    """A copy of the seeded database, and a web server on it."""
    database_url = private_postgres.clone("solh_restart")
    environ = server_environ(database_url, tmp_path_factory.mktemp("restart"))
    server = WebServer(environ)
    server.start()
    try:
        yield {"cluster": private_postgres, "environ": environ, "server": server}
    finally:
        server.stop()
        if not private_postgres.running():
            private_postgres.start()


@pytest.fixture
def outage(stack):
    """``with outage():`` PostgreSQL is down inside the block (and started again after it,
    whatever the test did)."""
    cluster = stack["cluster"]

    class Outage:
        def __enter__(self):
            cluster.stop()

        def __exit__(self, *exc_info):
            cluster.start()

    yield Outage
    if not cluster.running():
        cluster.start()


def healthz(server):
    return Browser(server).get("/healthz", host="127.0.0.1")


def submissions(name):
    return [item for item in Submission.objects.all() if _name(item) == name]


def _name(submission):
    return (submission.contact or {}).get("name")


def test_during_a_restart_the_service_says_so_and_afterwards_journeys_carry_on(
    stack, outage, private_orm
):
    server = stack["server"]
    visitor = Browser(server)
    assert visitor.get("/").status_code == 200
    assert healthz(server).json()["status"] == "ok"

    # One reporter half-way through, another at "Check your answers".
    halfway = Reporter(server, JOURNEY_PATH)
    halfway.start()
    assert halfway.answer("about", {"name": "Halfway Reporter"}).status_code == 302
    sender = Reporter(server, JOURNEY_PATH)
    sender.start()
    sender.answer("about", {"name": NAME})
    assert sender.answer("photos").headers["Location"].endswith("/check-your-answers/")

    with outage():
        health = healthz(server)
        assert health.status_code == 503
        assert health.json() == {
            "status": "unavailable",
            "checks": {"database": "unavailable", "cache": "ok"},
        }

        page = visitor.get("/")
        assert page.status_code == 503
        assert page.headers["Retry-After"]
        assert SERVICE_PROBLEM in page.text
        assert 'class="govuk-heading-l"' in page.text

        step = halfway.answer("photos")
        assert step.status_code == 503
        assert "the answers you had already saved are kept" in step.text

        sent = sender.submit()
        assert sent.status_code == 503
        assert REPORT_NOT_SENT in sent.text
        assert "we have not given it a reference number" in sent.text
        assert f'href="{JOURNEY_PATH}check-your-answers/"' in sent.text
        assert "call 999" in sent.text

    # The same server processes, from their first request after the restart.
    assert healthz(server).status_code == 200
    assert visitor.get("/").status_code == 200

    # The answers given before the outage are still there.
    assert halfway.answer("photos").headers["Location"].endswith("/check-your-answers/")
    assert "Halfway Reporter" in halfway.get(JOURNEY_PATH + "check-your-answers/").text

    # Sent again: one report, with a reference; sending once more changes nothing.
    again = sender.submit()
    assert again.status_code == 302, again.text[:2000]
    confirmation = sender.get(again.headers["Location"])
    assert confirmation.status_code == 200
    assert sender.submit().headers["Location"] == again.headers["Location"]
    with private_orm(server.environ["DATABASE_URL"]):
        made = submissions(NAME)
        assert len(made) == 1
        assert reference_on(confirmation.text) == made[0].reference
        assert not Draft.objects.get(submitted_reference=made[0].reference).answers


def test_the_worker_waits_for_the_database_and_delivers_every_report_once(
    stack, outage, private_orm
):
    server, environ = stack["server"], stack["environ"]
    database_url = environ["DATABASE_URL"]
    with Receiver(secret=SECRET) as receiver:
        with private_orm(database_url):
            configure(Force.objects.get(slug=FORCE), receiver.url(FORCE))
        receiver.hang()
        report(server, "First Reporter")
        # A lease of 2 × 30 + 30 s: the cut-off delivery stays leased however slow the machine.
        worker = start_worker({**environ, "REPORT_DELIVERY_TIMEOUT_SECONDS": "30"})
        try:
            wait_until(receiver.request_arrived.is_set, "a webhook was posted", 30, worker)

            with outage():
                # The back office answers while the database is down: the worker cannot
                # record it, and must neither end nor forget the delivery.
                receiver.release()
                wait_until(lambda: len(receiver.requests) == 1, "the back office answered")
                time.sleep(1.5)  # the worker polls (and fails) several times meanwhile
                assert worker.poll() is None, stop(worker)

            # No web request reached the server during the outage: its workers' connections
            # are stale, and the very first request on each must still succeed.
            last = report(server, "Last Reporter")
            wait_until(lambda: receiver.by_reference(last), "the last report arrived", 30, worker)

            with private_orm(database_url):
                # The delivery cut off before its outcome was recorded is still the dead
                # attempt's, until its lease runs out; every other one is recorded.
                wait_until(
                    lambda: Delivery.objects.exclude(status=DeliveryStatus.DELIVERED).count() == 1,
                    "every delivery but the cut-off one was recorded",
                    30,
                    worker,
                )
                cut_off = Delivery.objects.get(
                    status=DeliveryStatus.PENDING, lease_until__isnull=False
                )
                # Time passes:
                Delivery.objects.filter(pk=cut_off.pk).update(
                    lease_until=timezone.now() - timedelta(seconds=1)
                )
                wait_until(
                    lambda: not Delivery.objects.exclude(status=DeliveryStatus.DELIVERED).exists(),
                    "the sweep sent the cut-off report again",
                    30,
                    worker,
                )
                references = list(Submission.objects.values_list("reference", flat=True))
                statuses = set(Submission.objects.values_list("delivery_status", flat=True))
            assert statuses == {DeliveryStatus.DELIVERED}
            # Every report made (this test's and any earlier test's) is at the back office
            # once; the cut-off one was sent twice and kept once.
            assert len(references) >= 2
            assert sorted(item.reference for item in receiver.reports) == sorted(references)
            assert receiver.duplicates == 1
            assert worker.poll() is None
        finally:
            log = stop(worker)
    assert "The database is not answering" in log


def report(server, name):
    """Go through the journey and send the report; returns its reference."""
    reporter = Reporter(server, JOURNEY_PATH)
    reporter.start()
    assert reporter.answer("about", {"name": name}).status_code == 302
    assert reporter.answer("photos").status_code == 302
    sent = reporter.submit()
    assert sent.status_code == 302, sent.text[:2000]
    return reference_on(reporter.get(sent.headers["Location"]).text)


def reference_on(confirmation):
    """The reference number shown on a confirmation page."""
    found = re.search(r"<strong data-reference>([^<]+)</strong>", confirmation)
    assert found, confirmation[:2000]
    return found[1]
