"""Personal data is encrypted at rest, and keys can be rotated without losing a report."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

import pytest
from cryptography.fernet import Fernet, InvalidToken

from reporting.evidence import save_evidence
from reporting.models import Draft, Evidence, Submission
from tests.reporting.receiver import (
    CANARY,
    configure,
    journey_page,
    make_draft,
    make_report,
)

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


def raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def make_everything(force):
    """A report with a canary in its answers, contact and file name, and a draft in progress."""
    page = journey_page(force)
    draft = make_draft(force, page, answers={"full_name": CANARY})
    upload = save_evidence(draft, "photos", SimpleUploadedFile(f"{CANARY}.jpg", b"x"), "image/jpeg")
    submission = make_report(
        force,
        page=page,
        draft=draft,
        evidence_ids=[upload.pk],
        contact={"name": CANARY, "email": "canary@example.com", "phone": ""},
    )
    in_progress = make_draft(force, page, answers={"full_name": CANARY})
    return submission, upload, in_progress


def test_a_canary_answer_never_appears_in_the_raw_rows(forces):
    force = configure(forces["thames-valley"], "http://127.0.0.1:9/tvp/")
    submission, upload, draft = make_everything(force)

    answers, contact = raw(
        "SELECT answers::text, contact::text FROM reporting_submission WHERE id = %s",
        [submission.pk],
    )
    [draft_answers] = raw("SELECT answers::text FROM reporting_draft WHERE key = %s", [draft.key])
    [file_name] = raw("SELECT original_name FROM reporting_evidence WHERE id = %s", [upload.pk])
    for value in (answers, contact, draft_answers, file_name):
        assert CANARY not in value
        assert "canary@example.com" not in value
        assert value.startswith("gAAAA")  # a Fernet token
    # ... and the model reads it back.
    submission.refresh_from_db()
    assert submission.answers[0]["value"] == CANARY
    assert submission.contact["name"] == CANARY


def test_rotating_keys_keeps_every_value_readable_under_the_new_key_alone(forces, capsys):
    with override_settings(REPORTS_ENCRYPTION_KEYS=[KEY_A]):
        force = configure(forces["hampshire"], "http://127.0.0.1:9/hampshire/", secret="s" * 20)
        submission, upload, draft = make_everything(force)

    with override_settings(REPORTS_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        call_command("rotate_report_keys")
    out = capsys.readouterr().out
    assert "reporting.Submission: " in out
    assert "webhook secrets re-encrypted" in out

    with override_settings(REPORTS_ENCRYPTION_KEYS=[KEY_B]):
        assert Submission.objects.get(pk=submission.pk).answers[0]["value"] == CANARY
        assert Submission.objects.get(pk=submission.pk).contact["name"] == CANARY
        assert Draft.objects.get(pk=draft.pk).answers == {"full_name": CANARY}
        assert Evidence.objects.get(pk=upload.pk).original_name == f"{CANARY}.jpg"
        force.refresh_from_db()
        assert force.get_webhook_secret() == "s" * 20

    [token] = raw("SELECT answers::text FROM reporting_submission WHERE id = %s", [submission.pk])
    assert CANARY.encode() in Fernet(KEY_B).decrypt(token.encode())
    with pytest.raises(InvalidToken):
        Fernet(KEY_A).decrypt(token.encode())


def test_without_the_old_key_values_cannot_be_read(forces):
    with override_settings(REPORTS_ENCRYPTION_KEYS=[KEY_A]):
        force = configure(forces["met"], "http://127.0.0.1:9/met/")
        submission, _upload, _draft = make_everything(force)

    with override_settings(REPORTS_ENCRYPTION_KEYS=[KEY_B]), pytest.raises(InvalidToken):
        Submission.objects.get(pk=submission.pk)
