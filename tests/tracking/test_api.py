"""The inbound status-update API: signatures, idempotency, scoping, and the reporter's email."""

import json
import smtplib
import uuid

from django.core import mail
from django.db import connection

import pytest

from reporting.delivery import sign, sweep
from reporting.models import Delivery, DeliveryChannel, DeliveryStatus
from tests.reporting.receiver import CANARY, SECRET, Clock
from tracking.models import ReportUpdate, UpdateSource

from .conftest import EMAIL, OTHER_SECRET

pytestmark = pytest.mark.django_db

UPDATE = {"status": "investigating", "message_en": "An officer is looking into it."}


def test_a_signed_update_is_stored_encrypted_and_the_reporter_is_emailed(tvp, report, post_update):
    submission = report(tvp)
    document = {**UPDATE, "officer_reference": "PC 1234", "message_cy": "Mae swyddog yn edrych."}

    response = post_update(tvp, submission.reference, document, key="bo-1")

    assert response.status_code == 201
    answer = response.json()
    assert answer["reference"] == submission.reference and answer["status"] == "investigating"
    update = ReportUpdate.objects.get()
    assert (update.submission, update.source, update.idempotency_key) == (
        submission,
        UpdateSource.API,
        "bo-1",
    )
    assert update.message_en == UPDATE["message_en"] and update.officer_reference == "PC 1234"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT message_en, message_cy, officer_reference FROM tracking_reportupdate"
        )
        stored = " ".join(cursor.fetchone())
    assert "officer" not in stored and "swyddog" not in stored and "1234" not in stored

    (email,) = mail.outbox
    assert email.to == [EMAIL]
    assert submission.reference in email.subject
    assert "Being investigated" in email.body
    assert "http://thames-valley.localhost/report/track/" in email.body
    # No report content and not the message: only that there is news, and where to read it.
    assert CANARY not in email.body and UPDATE["message_en"] not in email.body
    delivery = Delivery.objects.get(channel=DeliveryChannel.UPDATE_EMAIL)
    assert (delivery.item_id, delivery.status) == (update.pk, DeliveryStatus.DELIVERED)


def test_the_email_is_in_the_reporters_language(tvp, report, post_update):
    submission = report(tvp, language="cy")
    assert post_update(tvp, submission.reference, UPDATE).status_code == 201
    (email,) = mail.outbox
    assert "Diweddariad" in email.subject
    assert "/cy/report/track/" in email.body


def test_no_email_without_an_address(tvp, report, post_update):
    submission = report(tvp, email="")
    assert post_update(tvp, submission.reference, UPDATE).status_code == 201
    assert mail.outbox == []
    assert not Delivery.objects.filter(channel=DeliveryChannel.UPDATE_EMAIL).exists()


def test_a_mail_server_failure_is_retried_not_lost(
    tvp, report, post_update, monkeypatch, django_capture_on_commit_callbacks
):
    submission = report(tvp)
    clock = Clock(monkeypatch)
    sent = []

    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert post_update(tvp, submission.reference, UPDATE).status_code == 201
    delivery = Delivery.objects.get(channel=DeliveryChannel.UPDATE_EMAIL)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)

    monkeypatch.setattr("django.core.mail.EmailMessage.send", lambda self, **kw: sent.append(self))
    clock.advance(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        sweep()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and len(sent) == 1


@pytest.mark.parametrize(
    "signature",
    [None, "", "sha256=" + "0" * 64, "md5=abc", "the-secret"],
    ids=["missing", "empty", "wrong", "other-scheme", "garbage"],
)
def test_a_wrong_signature_is_refused_and_changes_nothing(tvp, report, client, signature):
    submission = report(tvp)
    headers = {"HTTP_IDEMPOTENCY_KEY": "k1"}
    if signature is not None:
        headers["HTTP_X_SOLH_SIGNATURE"] = signature
    response = client.post(
        f"/api/reports/{submission.reference}/updates/",
        data=json.dumps(UPDATE),
        content_type="application/json",
        HTTP_HOST="thames-valley.localhost",
        **headers,
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_signature"
    assert not ReportUpdate.objects.exists() and mail.outbox == []


def test_a_body_changed_after_signing_is_refused(tvp, report, client):
    submission = report(tvp)
    signed = json.dumps(UPDATE).encode()
    tampered = json.dumps({**UPDATE, "status": "closed"}).encode()
    response = client.post(
        f"/api/reports/{submission.reference}/updates/",
        data=tampered,
        content_type="application/json",
        HTTP_HOST="thames-valley.localhost",
        HTTP_IDEMPOTENCY_KEY="k2",
        HTTP_X_SOLH_SIGNATURE=sign(signed, SECRET),
    )
    assert response.status_code == 401
    assert not ReportUpdate.objects.exists()


def test_a_force_without_a_secret_takes_no_update(forces, report, post_update):
    tvp = forces["thames-valley"]
    submission = report(tvp)
    response = post_update(tvp, submission.reference, UPDATE)
    assert response.status_code == 401
    assert not ReportUpdate.objects.exists()


def test_another_forces_report_is_not_found_and_not_changed(tvp, met, report, post_update):
    theirs = report(tvp)
    # Met's back office, with Met's own secret, on Met's host, naming a Thames Valley report.
    response = post_update(met, theirs.reference, UPDATE, secret=OTHER_SECRET)
    assert response.status_code == 404
    unknown = post_update(met, "MPS-RTI-ZZZZZZ", UPDATE, secret=OTHER_SECRET)
    # Exactly the answer for a reference that does not exist.
    assert unknown.status_code == 404 and unknown.json() == response.json()
    # Thames Valley's secret on Met's host is a wrong signature there.
    assert post_update(met, theirs.reference, UPDATE, secret=SECRET).status_code == 401
    # Met's secret on Thames Valley's host, too.
    assert post_update(tvp, theirs.reference, UPDATE, secret=OTHER_SECRET).status_code == 401
    assert not ReportUpdate.objects.exists() and mail.outbox == []


def test_the_hub_has_no_inbound_api(tvp, report, client):
    submission = report(tvp)
    response = client.post(
        f"/api/reports/{submission.reference}/updates/",
        data=json.dumps(UPDATE),
        content_type="application/json",
        HTTP_HOST="localhost",
    )
    assert response.status_code == 404 and response.json()["error"] == "not_found"


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({**UPDATE, "status": "solved"}, "status"),
        ({"message_en": "No status"}, "status"),
        ({"status": "closed"}, "message_en"),
        ({"status": "closed", "message_en": "x" * 2001}, "message_en"),
        ({**UPDATE, "status": 3}, "status"),
        ({**UPDATE, "message": "typo"}, "message"),
        ({**UPDATE, "officer_reference": "x" * 65}, "officer_reference"),
    ],
    ids=["unknown", "no-status", "no-message", "long", "not-string", "unknown-field", "long-ref"],
)
def test_an_invalid_update_is_refused_with_its_field(tvp, report, post_update, document, field):
    submission = report(tvp)
    response = post_update(tvp, submission.reference, document)
    assert response.status_code == 422
    answer = response.json()
    assert answer["error"] == "invalid_update" and field in answer["fields"]
    assert not ReportUpdate.objects.exists()


def test_bad_requests_get_clear_errors(tvp, report, post_update, client):
    submission = report(tvp)
    assert post_update(tvp, submission.reference, None, body=b"{not json").json()["error"] == (
        "invalid_json"
    )
    assert post_update(tvp, submission.reference, None, body=b"[1]").status_code == 422
    body = json.dumps(UPDATE).encode()
    no_key = client.post(
        f"/api/reports/{submission.reference}/updates/",
        data=body,
        content_type="application/json",
        HTTP_HOST="thames-valley.localhost",
        HTTP_X_SOLH_SIGNATURE=sign(body, SECRET),
    )
    assert no_key.status_code == 400 and no_key.json()["error"] == "missing_idempotency_key"
    get = client.get(
        f"/api/reports/{submission.reference}/updates/", HTTP_HOST="thames-valley.localhost"
    )
    assert get.status_code == 405 and get["Allow"] == "POST"
    huge = post_update(tvp, submission.reference, {**UPDATE, "message_en": "x" * 70_000})
    assert huge.status_code == 413
    assert not ReportUpdate.objects.exists()


def test_the_same_key_and_body_returns_the_original_result(tvp, report, post_update):
    submission = report(tvp)
    first = post_update(tvp, submission.reference, UPDATE, key="bo-7")
    again = post_update(tvp, submission.reference, UPDATE, key="bo-7")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert ReportUpdate.objects.count() == 1 and len(mail.outbox) == 1


def test_the_same_key_with_another_body_is_a_conflict(tvp, report, post_update):
    submission = report(tvp)
    other = report(tvp)
    assert post_update(tvp, submission.reference, UPDATE, key="bo-8").status_code == 201
    changed = post_update(tvp, submission.reference, {**UPDATE, "status": "closed"}, key="bo-8")
    assert changed.status_code == 409 and changed.json()["error"] == "idempotency_key_reused"
    # The same body on another report is another request too.
    assert post_update(tvp, other.reference, UPDATE, key="bo-8").status_code == 409
    update = ReportUpdate.objects.get()
    assert (update.status, update.submission) == ("investigating", submission)
    assert len(mail.outbox) == 1


def test_keys_are_per_force(tvp, met, report, post_update):
    ours, theirs = report(tvp), report(met)
    key = str(uuid.uuid4())
    assert post_update(tvp, ours.reference, UPDATE, key=key).status_code == 201
    response = post_update(met, theirs.reference, UPDATE, key=key, secret=OTHER_SECRET)
    assert response.status_code == 201
    assert ReportUpdate.objects.count() == 2
