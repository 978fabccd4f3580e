"""Delivery to the force against a real receiver over HTTP on loopback (no HTTP mocks).

Tasks run at once in tests (ImmediateBackend), after the submit transaction commits; a retry is
left to ``sweep``, which the tests call with the clock moved on.
"""

import hmac
import json
from datetime import datetime, timedelta
from hashlib import sha256

from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

import pytest
import requests

from reporting import delivery
from reporting.delivery import SWEEP_AFTER, attempt, resend, sweep
from reporting.models import (
    AccessAction,
    Delivery,
    DeliveryChannel,
    DeliveryStatus,
    ReportAccessRecord,
)
from tests.reporting.receiver import (
    CANARY,
    SECRET,
    Clock,
    closed_port,
    configure,
    make_report,
    running_receiver,
)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def receiver():
    with running_receiver() as receiver:
        yield receiver


@pytest.fixture
def tvp(forces, receiver):
    return configure(forces["thames-valley"], webhook_url=receiver.url("thames-valley"))


@pytest.fixture
def report(django_capture_on_commit_callbacks):
    """``report(force, **options)``: submit a report and run its delivery jobs."""

    def make(force, **options):
        with django_capture_on_commit_callbacks(execute=True):
            submission = make_report(force, **options)
        submission.refresh_from_db()
        return submission

    return make


def webhook(submission):
    return submission.deliveries.get(channel=DeliveryChannel.WEBHOOK)


@pytest.fixture
def retry_when_due(clock, django_capture_on_commit_callbacks):
    """``retry_when_due(delivery)``: move the clock past its next try, then sweep (run jobs)."""

    def retry(delivery_row):
        delivery_row.refresh_from_db()
        clock.now = delivery_row.next_attempt_at + SWEEP_AFTER + timedelta(seconds=1)
        with django_capture_on_commit_callbacks(execute=True):
            return sweep()

    return retry


@pytest.fixture
def run_sweep(django_capture_on_commit_callbacks):
    """``run_sweep()``: sweep now, running the jobs it queues."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return sweep()

    return run


# --- The webhook -------------------------------------------------------------------------------


def test_the_report_arrives_signed_with_its_payload(tvp, receiver, report, clock):
    submission = report(tvp, contact={"name": CANARY, "email": "", "phone": "+447700900123"})

    assert submission.delivery_status == DeliveryStatus.DELIVERED
    [received] = receiver.reports
    assert received.key == str(submission.pk)  # Idempotency-Key
    payload = received.payload
    assert payload["reference"] == submission.reference
    assert payload["reference"].startswith("TVP-RTI-")
    assert payload["force"] == "thames-valley"
    assert payload["journey"] == {
        "slug": "test-journey",
        "title": "Report a road traffic incident",
        "code": "RTI",
        "revision": submission.revision_number,
    }
    assert payload["language"] == "en"
    assert datetime.fromisoformat(payload["submitted_at"]) == submission.submitted_at
    assert payload["answers"][0] == {
        "question_id": "full_name",
        "label": "Your full name",
        "type": "text",
        "value": CANARY,
        "display": CANARY,
    }
    vehicles = payload["answers"][2]
    assert [item[0]["value"] for item in vehicles["value"]] == ["AB12 CDE", "XY34 ZZZ"]
    assert vehicles["value"][0][0]["question_id"] == "registration"
    assert payload["evidence"] == []
    assert payload["contact"] == {"name": CANARY, "email": "", "phone": "+447700900123"}

    [try_] = webhook(submission).tries.all()
    assert (try_.succeeded, try_.status_code, try_.error) == (True, 200, "")


def test_the_signature_is_the_hmac_of_the_raw_body(tvp, report):
    submission = report(tvp)
    body = json.dumps(delivery.webhook_payload(submission)).encode()
    expected = "sha256=" + hmac.new(SECRET.encode(), body, sha256).hexdigest()
    assert delivery.sign(body, SECRET) == expected


def test_a_receiver_refuses_a_wrong_signature(receiver):
    body = b'{"reference": "TVP-RTI-AAAAAA"}'
    answer = requests.post(
        receiver.url("thames-valley"),
        data=body,
        headers={"X-Solh-Signature": delivery.sign(body, "not-the-secret"), "Idempotency-Key": "1"},
        timeout=5,
    )
    assert answer.status_code == 401
    assert receiver.reports == []


def test_a_wrong_secret_is_dead_lettered_at_once(forces, receiver, report):
    force = configure(forces["hampshire"], receiver.url("hampshire"), secret="another-secret-xyz")
    submission = report(force)

    assert submission.delivery_status == DeliveryStatus.FAILED
    row = webhook(submission)
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, "HTTP 401")
    assert receiver.reports == []


def test_a_receiver_failing_k_times_gets_the_report_exactly_once(
    tvp, receiver, report, clock, retry_when_due
):
    receiver.fail_next(3, status=503)
    submission = report(tvp)
    row = webhook(submission)
    for _ in range(3):
        assert submission.delivery_status == DeliveryStatus.PENDING
        assert retry_when_due(row) == 1
        submission.refresh_from_db()

    assert submission.delivery_status == DeliveryStatus.DELIVERED
    assert len(receiver.by_reference(submission.reference)) == 1
    tries = list(row.tries.values_list("status_code", flat=True))
    assert tries == [503, 503, 503, 200]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at, row.lease_until) == (
        "delivered",
        4,
        None,
        None,
    )
    assert sweep() == 0  # nothing left to do


def test_a_report_delivered_twice_is_kept_once(
    tvp, receiver, report, clock, settings, retry_when_due
):
    """The receiver got the first try but its answer never came back: the retry is a duplicate."""
    settings.REPORT_DELIVERY_TIMEOUT_SECONDS = 1
    receiver.hang()
    submission = report(tvp)
    row = webhook(submission)
    row.refresh_from_db()
    assert (row.status, row.last_error) == ("pending", "Timed out")

    receiver.release()  # the held request is now handled: the receiver keeps the report
    retry_when_due(row)

    submission.refresh_from_db()
    assert submission.delivery_status == DeliveryStatus.DELIVERED
    assert len(receiver.by_reference(submission.reference)) == 1
    assert receiver.duplicates == 1


def test_retry_after_is_respected_within_the_cap(
    tvp, receiver, report, clock, settings, retry_when_due
):
    receiver.fail_next(1, status=429, retry_after=120)
    submission = report(tvp)
    row = webhook(submission)
    [try_] = row.tries.all()
    row.refresh_from_db()
    assert row.status == "pending"
    assert row.last_error == "HTTP 429"
    wait = row.next_attempt_at - (try_.started_at + timedelta(milliseconds=try_.duration_ms))
    assert wait == timedelta(seconds=120)

    settings.REPORT_DELIVERY_MAX_BACKOFF_SECONDS = 600
    receiver.fail_next(1, status=429, retry_after=86400)
    retry_when_due(row)
    row.refresh_from_db()
    latest = row.tries.last()
    wait = row.next_attempt_at - (latest.started_at + timedelta(milliseconds=latest.duration_ms))
    assert wait == timedelta(seconds=600)

    retry_when_due(row)
    row.refresh_from_db()
    assert row.status == "delivered"
    assert len(receiver.reports) == 1


@pytest.mark.parametrize("status", [400, 404, 410, 422])
def test_other_4xx_dead_letter_at_once(tvp, receiver, report, clock, status):
    receiver.always(status)
    submission = report(tvp)

    assert submission.delivery_status == DeliveryStatus.FAILED
    row = webhook(submission)
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 1, None)
    assert row.last_error == f"HTTP {status}"
    clock.advance(days=1)
    assert sweep() == 0


def test_after_the_last_attempt_the_report_is_failed(
    tvp, receiver, report, clock, settings, retry_when_due
):
    settings.REPORT_DELIVERY_MAX_ATTEMPTS = 4
    settings.REPORT_DELIVERY_MAX_BACKOFF_SECONDS = 100
    receiver.always(500)
    submission = report(tvp)
    row = webhook(submission)
    waits = []
    for _ in range(3):
        row.refresh_from_db()
        latest = row.tries.last()
        waits.append(row.next_attempt_at - latest.started_at)
        retry_when_due(row)

    submission.refresh_from_db()
    row.refresh_from_db()
    assert submission.delivery_status == DeliveryStatus.FAILED
    assert (row.status, row.attempts, row.last_error) == ("failed", 4, "HTTP 500")
    assert row.tries.count() == 4
    # Exponential with jitter (each wait in [d/2, d] for d = 30, 60, 100 capped).
    assert timedelta(seconds=15) <= waits[0] <= timedelta(seconds=31)
    assert timedelta(seconds=30) <= waits[1] <= timedelta(seconds=61)
    assert timedelta(seconds=50) <= waits[2] <= timedelta(seconds=101)


def test_backoff_is_capped_and_spans_hours_by_default(settings):
    settings.REPORT_DELIVERY_MAX_BACKOFF_SECONDS = 3600
    settings.REPORT_DELIVERY_MAX_ATTEMPTS = 12
    longest = [delivery.backoff_seconds(n) for n in range(1, 12)]
    assert max(longest) <= 3600
    shortest_total = sum(delivery.backoff_seconds(n) for n in range(1, 12))
    assert shortest_total > 2 * 3600


def test_connection_errors_are_retried(forces, report, clock):
    force = configure(forces["met"], f"http://127.0.0.1:{closed_port()}/met/")
    submission = report(force)
    row = webhook(submission)
    assert (row.status, row.last_error) == ("pending", "Could not connect")
    assert row.tries.get().status_code is None


def test_a_due_delivery_is_not_tried_while_another_worker_holds_it(
    tvp, receiver, report, clock, run_sweep
):
    receiver.fail_next(1)
    submission = report(tvp)
    row = webhook(submission)
    row.refresh_from_db()
    clock.now = row.next_attempt_at + SWEEP_AFTER
    Delivery.objects.filter(pk=row.pk).update(lease_until=clock.now + timedelta(seconds=30))

    assert sweep() == 0
    assert attempt(row) is None  # a job that runs anyway does nothing
    clock.advance(seconds=31)  # the holder died: its lease ran out
    assert run_sweep() == 1
    assert len(receiver.by_reference(submission.reference)) == 1


def test_a_delivery_that_is_not_due_is_left_alone(tvp, receiver, report, clock):
    receiver.fail_next(1)
    submission = report(tvp)
    row = webhook(submission)
    assert attempt(row) is None
    assert sweep() == 0
    assert len(receiver.requests) == 1


# --- Resend ------------------------------------------------------------------------------------


def test_resend_delivers_a_failed_report(
    tvp, receiver, report, make_user, django_capture_on_commit_callbacks
):
    receiver.always(422)
    submission = report(tvp)
    assert submission.delivery_status == DeliveryStatus.FAILED
    receiver.always(None)
    handler = make_user("handler", "report-handler", tvp)

    with django_capture_on_commit_callbacks(execute=True):
        resend(submission, handler)

    submission.refresh_from_db()
    assert submission.delivery_status == DeliveryStatus.DELIVERED
    row = webhook(submission)
    assert (row.status, row.attempts) == ("delivered", 1)
    assert len(receiver.by_reference(submission.reference)) == 1
    record = ReportAccessRecord.objects.get(action=AccessAction.RESEND)
    assert (record.user, record.username, record.force, record.reference) == (
        handler,
        "handler",
        tvp,
        submission.reference,
    )


def test_resend_follows_the_forces_current_configuration(
    forces, receiver, report, make_user, django_capture_on_commit_callbacks
):
    force = configure(forces["hampshire"])  # nowhere to deliver: failed, for handlers to see
    submission = report(force)
    assert submission.delivery_status == DeliveryStatus.FAILED
    assert webhook(submission).last_error == "No back-office webhook is configured"

    configure(force, reports_email="reports@hampshire.example")
    with django_capture_on_commit_callbacks(execute=True):
        resend(submission, make_user("hh", "report-handler", force))

    submission.refresh_from_db()
    assert submission.delivery_status == DeliveryStatus.DELIVERED
    assert list(submission.deliveries.values_list("channel", flat=True)) == ["email"]
    [message] = mail.outbox
    assert message.to == ["reports@hampshire.example"]


# --- Email -------------------------------------------------------------------------------------


def test_the_force_inbox_gets_the_report_with_evidence_links(forces, report):
    force = configure(forces["met"], reports_email="reports@met.example")
    submission = report(force, contact={"name": "", "email": "", "phone": ""})

    assert submission.delivery_status == DeliveryStatus.DELIVERED
    [message] = mail.outbox
    assert message.to == ["reports@met.example"]
    assert submission.reference in message.subject
    assert submission.reference in message.body
    assert "Your full name: " + CANARY in message.body
    assert "  1.\n    Registration: AB12 CDE" in message.body
    assert "&" not in message.subject


def test_a_force_with_webhook_and_inbox_is_delivered_when_both_are(
    forces, receiver, report, clock, retry_when_due
):
    force = configure(forces["met"], receiver.url("met"), reports_email="reports@met.example")
    receiver.fail_next(1)
    submission = report(force)
    assert submission.deliveries.get(channel="email").status == "delivered"
    assert submission.delivery_status == DeliveryStatus.PENDING  # the webhook is to retry

    retry_when_due(webhook(submission))
    submission.refresh_from_db()
    assert submission.delivery_status == DeliveryStatus.DELIVERED


def test_the_reporter_gets_a_confirmation_without_evidence_links(tvp, receiver, report):
    submission = report(tvp, contact={"name": "Sam", "email": "sam@example.com", "phone": ""})

    [message] = mail.outbox
    assert message.to == ["sam@example.com"]
    assert submission.reference in message.subject
    assert submission.reference in message.body
    assert "Thames Valley Police" in message.body
    assert "101" in message.body
    assert CANARY in message.body  # a copy of their answers
    assert "/report-files/" not in message.body
    reporter = submission.deliveries.get(channel=DeliveryChannel.REPORTER_EMAIL)
    assert reporter.status == "delivered"
    # The confirmation does not count towards delivery to the force.
    assert submission.delivery_status == DeliveryStatus.DELIVERED


def test_without_any_delivery_configured_the_fallback_inbox_is_used(forces, report, settings):
    settings.REPORTS_FALLBACK_EMAIL = "unrouted-reports@police.example"
    force = configure(forces["hampshire"])
    submission = report(force)

    assert submission.delivery_status == DeliveryStatus.DELIVERED
    [message] = mail.outbox
    assert message.to == ["unrouted-reports@police.example"]


# --- The receiver's own pages ------------------------------------------------------------------


def test_the_receiver_lists_what_arrived(tvp, receiver, report):
    submission = report(tvp)

    page = requests.get(receiver.base_url + "/", timeout=5)
    assert page.status_code == 200
    assert submission.reference in page.text
    listed = requests.get(receiver.base_url + "/reports.json", timeout=5).json()
    assert [item["reference"] for item in listed] == [submission.reference]
    assert listed[0]["force"] == "thames-valley"


def test_demo_receiver_needs_a_secret():
    with pytest.raises(CommandError):
        call_command("demo_receiver", "--port", "0")
