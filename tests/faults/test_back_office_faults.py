"""Faults at the force's back office, met by the real worker (``manage.py run_worker``).

Down (connection refused), slow (beyond ``REPORT_DELIVERY_TIMEOUT_SECONDS``), answering 500, 429
with ``Retry-After``, and 400: each retried or dead-lettered as the README's *Delivery* says.
Nothing lost (delivered once the back office answers, or failed for a handler to resend),
nothing doubled (one report at the back office after its ``Idempotency-Key`` dedupe), and the
force's report handler sees the state in the admin's *Public reports*, through HTTP.
"""

import re
import time
from html import unescape

from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

import pytest

from demo.receiver import Receiver
from forces.permissions import role_group
from forces.roles import REPORT_HANDLER
from reporting.models import Delivery, DeliveryStatus
from tests.faults.processes import (
    DATABASE_TASKS,
    committed_force,
    start_worker,
    stop,
    wait_for,
)
from tests.reporting.receiver import (
    SECRET,
    closed_port,
    configure,
    journey_page,
    make_report,
    running_receiver,
)

TIMEOUT_SECONDS = 1  # each try's timeout: a "slow" back office takes longer


@pytest.fixture
def committed(db):
    with committed_force("thames-valley") as made:
        yield made


@pytest.fixture
def handler(committed):
    """A Thames Valley report handler, logged in to the admin (an HTTP client)."""
    user = get_user_model().objects.create_user(username="fault-handler", password="x" * 20)
    user.groups.add(role_group(REPORT_HANDLER, committed["force"]))
    committed["users"].append(user)
    client = Client()
    client.force_login(user)
    return client


def worker(max_attempts, max_backoff_seconds=1):
    """A worker trying each delivery ``max_attempts`` times, at most ``max_backoff_seconds``
    apart, sweeping every 0.5 s."""
    return start_worker(
        "--sweep-every",
        "0.5",
        "--purge-every",
        "3600",
        timeout_seconds=TIMEOUT_SECONDS,
        env={
            "REPORT_DELIVERY_MAX_ATTEMPTS": str(max_attempts),
            "REPORT_DELIVERY_MAX_BACKOFF_SECONDS": str(max_backoff_seconds),
        },
    )


def report(committed, webhook_url):
    """A report to Thames Valley, whose back office is at ``webhook_url``; its job queued in
    the database for the worker."""
    force = configure(committed["force"], webhook_url)
    page = journey_page(force, slug="back-office-faults")
    if page not in committed["pages"]:
        committed["pages"].append(page)
    with override_settings(TASKS=DATABASE_TASKS):
        submission = make_report(force, page=page)
    return submission, submission.deliveries.get()


def status_of(delivery):
    return Delivery.objects.get(pk=delivery.pk).status


def tries(delivery):
    return list(Delivery.objects.get(pk=delivery.pk).tries.all())


def words(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def listed_status(client, submission):
    """The report's row in the handler's list of reports, as text."""
    response = client.get(reverse("handled_reports:index"))
    assert response.status_code == 200
    body = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    rows = [words(row) for row in body.split("<tr")[1:] if submission.reference in row]
    assert len(rows) == 1, rows
    return rows[0]


def delivery_section(client, submission):
    """The *Delivery* section of the report's page in the admin, as text."""
    response = client.get(reverse("handled_reports:detail", args=[submission.pk]))
    assert response.status_code == 200
    return words(response.content.decode().split('id="report-delivery"')[1].split("</section>")[0])


def test_a_back_office_that_is_down_is_tried_again_until_it_answers(committed, handler):
    port = closed_port()
    submission, delivery = report(committed, f"http://127.0.0.1:{port}/thames-valley/")
    process = worker(max_attempts=6, max_backoff_seconds=2)
    try:
        wait_for(lambda: len(tries(delivery)) >= 2, "two tries were refused", process)
        # The handler sees it waiting, and why.
        assert "Waiting to be delivered" in listed_status(handler, submission)
        section = delivery_section(handler, submission)
        assert "Could not connect" in section
        assert "next try" in section

        with Receiver(port=port, secret=SECRET) as receiver:  # the back office is back
            wait_for(
                lambda: status_of(delivery) == DeliveryStatus.DELIVERED,
                "the report was delivered",
                process,
            )
    finally:
        output = stop(process)

    attempts = tries(delivery)
    assert [attempt.error for attempt in attempts[:-1]] == ["Could not connect"] * (
        len(attempts) - 1
    ), output
    assert attempts[-1].succeeded
    assert len(receiver.by_reference(submission.reference)) == 1
    assert receiver.duplicates == 0
    assert "Delivered" in listed_status(handler, submission)


def test_a_slow_back_office_times_out_and_its_late_copy_is_deduplicated(committed, handler):
    with running_receiver() as receiver:
        receiver.hang()
        submission, delivery = report(committed, receiver.url("thames-valley"))
        process = worker(max_attempts=10)
        try:
            wait_for(lambda: tries(delivery), "the first try ended", process)
            first = tries(delivery)[0]
            assert first.error == "Timed out"
            # Given up after the timeout, not left hanging.
            assert 1000 * TIMEOUT_SECONDS - 100 <= first.duration_ms < 5000
            assert "Timed out" in delivery_section(handler, submission)

            # The back office catches up: it keeps the report it was sent (too late for the
            # worker to know), and the next try is a duplicate.
            receiver.release()
            wait_for(
                lambda: status_of(delivery) == DeliveryStatus.DELIVERED,
                "the report was delivered",
                process,
            )
        finally:
            output = stop(process)

        made = Delivery.objects.get(pk=delivery.pk).attempts
        wait_for(lambda: len(receiver.requests) == made, "every try reached the back office")
        assert len(receiver.by_reference(submission.reference)) == 1, output
        assert receiver.duplicates == made - 1 >= 1
    assert "Delivered" in listed_status(handler, submission)


def test_a_back_office_answering_500_dead_letters_then_a_resend_delivers_once(committed, handler):
    with running_receiver() as receiver:
        receiver.always(500)
        submission, delivery = report(committed, receiver.url("thames-valley"))
        process = worker(max_attempts=3)
        try:
            wait_for(
                lambda: status_of(delivery) == DeliveryStatus.FAILED,
                "the delivery failed after its last try",
                process,
            )
            attempts = tries(delivery)
            assert [(attempt.status_code, attempt.error) for attempt in attempts] == [
                (500, "HTTP 500")
            ] * 3
            assert "Failed" in listed_status(handler, submission)
            section = delivery_section(handler, submission)
            assert "3 attempts" in section
            assert "HTTP 500" in section

            # The back office is mended; the handler resends from the admin.
            receiver.always(None)
            with override_settings(TASKS=DATABASE_TASKS):
                url = reverse("handled_reports:resend", args=[submission.pk])
                assert handler.post(url).status_code == 302
            wait_for(
                lambda: status_of(delivery) == DeliveryStatus.DELIVERED,
                "the resent report was delivered",
                process,
            )
        finally:
            output = stop(process)

        assert [status for _force, _key, status in receiver.requests] == [500] * 3 + [200]
        assert len(receiver.by_reference(submission.reference)) == 1, output
    assert "Delivered" in listed_status(handler, submission)


def test_a_429_is_tried_again_when_retry_after_says(committed, handler):
    retry_after = 2
    with running_receiver() as receiver:
        receiver.fail_next(1, status=429, retry_after=retry_after)
        submission, delivery = report(committed, receiver.url("thames-valley"))
        # Without Retry-After, the next try would come 15 to 30 s later.
        process = worker(max_attempts=3, max_backoff_seconds=60)
        try:
            wait_for(
                lambda: status_of(delivery) == DeliveryStatus.DELIVERED,
                "the report was delivered after the Retry-After",
                process,
                timeout=12,
            )
        finally:
            output = stop(process)

        first, second = tries(delivery)
        assert (first.status_code, first.error) == (429, "HTTP 429")
        assert second.succeeded
        waited = (second.started_at - first.started_at).total_seconds() - first.duration_ms / 1000
        assert retry_after - 0.05 <= waited < retry_after + 5, output  # not sooner, not ignored
        assert len(receiver.by_reference(submission.reference)) == 1
    section = delivery_section(handler, submission)
    assert "2 attempts" in section
    assert "HTTP 429" in section


def test_a_400_dead_letters_at_once(committed, handler):
    with running_receiver() as receiver:
        receiver.always(400)
        submission, delivery = report(committed, receiver.url("thames-valley"))
        process = worker(max_attempts=3)
        try:
            wait_for(
                lambda: status_of(delivery) == DeliveryStatus.FAILED,
                "the delivery failed",
                process,
            )
            time.sleep(1)  # two sweeps: a failed delivery is not taken up again
        finally:
            output = stop(process)

        assert [(attempt.status_code, attempt.error) for attempt in tries(delivery)] == [
            (400, "HTTP 400")
        ], output
        assert len(receiver.requests) == 1
    assert "Failed" in listed_status(handler, submission)
    section = delivery_section(handler, submission)
    assert "1 attempt" in section
    assert "HTTP 400" in section
