"""Retention: expired reports and abandoned drafts go, with their files; purges are recorded."""

from datetime import timedelta

from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

import pytest

from reporting.evidence import save_evidence
from reporting.models import (
    AccessAction,
    Delivery,
    DeliveryAttempt,
    Draft,
    Evidence,
    ReportAccessRecord,
    Submission,
)
from reporting.retention import erase, purge_expired
from tests.reporting.receiver import Clock, configure, journey_page, make_draft, make_report


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def immediate(django_capture_on_commit_callbacks):
    """Run what waits for the commit (file deletions, delivery jobs) as the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def report_with_file(force, name="photo.jpg"):
    page = journey_page(force)
    draft = make_draft(force, page)
    upload = save_evidence(draft, "photos", SimpleUploadedFile(name, b"jpeg bytes"), "image/jpeg")
    submission = make_report(force, page=page, draft=draft, evidence_ids=[upload.pk])
    upload.refresh_from_db()
    return submission, upload


def exists(evidence):
    return storages["private"].exists(evidence.file.name)


def test_reports_past_retention_go_with_their_files(forces, clock, immediate):
    tvp = configure(forces["thames-valley"], "http://127.0.0.1:9/tvp/")
    tvp.report_retention_days = 30
    tvp.save(update_fields=["report_retention_days"])
    old, old_file = report_with_file(tvp)
    Delivery.objects.filter(submission=old).update(status="failed")
    DeliveryAttempt.objects.create(delivery=old.deliveries.get(), started_at=clock.now)
    clock.advance(days=20)
    recent, recent_file = report_with_file(tvp)

    clock.advance(days=11)  # old is 31 days old, recent 11
    with immediate():
        assert purge_expired() == 1

    assert list(Submission.objects.filter(force=tvp)) == [recent]
    assert not Evidence.objects.filter(pk=old_file.pk).exists()
    assert not Delivery.objects.filter(submission_id=old.pk).exists()
    assert not exists(old_file)
    assert exists(recent_file)
    record = ReportAccessRecord.objects.get(action=AccessAction.PURGE)
    assert (record.force, record.reference, record.username, record.user) == (
        tvp,
        old.reference,
        "",
        None,
    )
    assert record.count == 1


def test_each_force_keeps_reports_for_its_own_period(forces, clock, immediate):
    met = configure(forces["met"], "http://127.0.0.1:9/met/")
    hampshire = configure(forces["hampshire"], "http://127.0.0.1:9/hampshire/")
    met.report_retention_days = 30
    met.save(update_fields=["report_retention_days"])
    hampshire.report_retention_days = 365
    hampshire.save(update_fields=["report_retention_days"])
    met_report = make_report(met)
    hampshire_report = make_report(hampshire)

    clock.advance(days=100)
    with immediate():
        purge_expired()

    assert not Submission.objects.filter(pk=met_report.pk).exists()
    assert Submission.objects.filter(pk=hampshire_report.pk).exists()


def test_many_reports_are_purged_in_batches(forces, clock, immediate, monkeypatch):
    from reporting import retention

    monkeypatch.setattr(retention, "BATCH", 3)
    met = configure(forces["met"], "http://127.0.0.1:9/met/")
    met.report_retention_days = 30
    met.save(update_fields=["report_retention_days"])
    page = journey_page(met)
    references = {
        make_report(met, page=page, draft=make_draft(met, page)).reference for _ in range(7)
    }

    clock.advance(days=31)
    with immediate():
        assert purge_expired() == 7

    purged = ReportAccessRecord.objects.filter(action=AccessAction.PURGE)
    assert set(purged.values_list("reference", flat=True)) == references


def test_abandoned_drafts_go_with_their_evidence(forces, clock, immediate):
    force = forces["hampshire"]
    page = journey_page(force)
    abandoned = make_draft(force, page, expires_in=timedelta(minutes=10))
    upload = save_evidence(abandoned, "photos", SimpleUploadedFile("a.jpg", b"x"), "image/jpeg")
    active = make_draft(force, page, expires_in=timedelta(hours=2))

    clock.advance(minutes=11)
    with immediate():
        purge_expired()

    assert list(Draft.objects.filter(force=force)) == [active]
    assert not Evidence.objects.filter(pk=upload.pk).exists()
    assert not exists(upload)


def test_an_expired_draft_that_was_submitted_leaves_the_reports_evidence(forces, clock, immediate):
    force = configure(forces["met"], "http://127.0.0.1:9/met/")
    submission, upload = report_with_file(force)

    clock.advance(days=1)  # past the draft's expiry, well within retention
    with immediate():
        purge_expired()

    assert not Draft.objects.filter(key=submission.draft_key).exists()
    assert Evidence.objects.filter(pk=upload.pk, submission=submission).exists()
    assert exists(upload)


def test_a_handler_erasing_a_report_is_recorded(forces, make_user, immediate):
    force = configure(forces["met"], "http://127.0.0.1:9/met/")
    submission, upload = report_with_file(force)
    handler = make_user("met-handler", "report-handler", force)

    with immediate():
        erase(submission, handler)

    assert not Submission.objects.filter(pk=submission.pk).exists()
    assert not exists(upload)
    record = ReportAccessRecord.objects.get(action=AccessAction.ERASE)
    assert (record.user, record.username, record.reference) == (
        handler,
        "met-handler",
        submission.reference,
    )


def test_purge_reports_command_counts_and_dry_runs(forces, clock, immediate, capsys):
    met = configure(forces["met"], "http://127.0.0.1:9/met/")
    met.report_retention_days = 30
    met.save(update_fields=["report_retention_days"])
    submission = make_report(met)
    clock.advance(days=31)

    call_command("purge_reports", "--dry-run")
    out = capsys.readouterr().out
    assert "met: 1 reports would be purged" in out
    assert "(dry run)" in out
    assert Submission.objects.filter(pk=submission.pk).exists()

    with immediate():
        call_command("purge_reports")
    out = capsys.readouterr().out
    assert "met: 1 reports purged" in out
    assert not Submission.objects.filter(pk=submission.pk).exists()


def test_evidence_left_behind_by_a_deleted_draft_goes(forces, clock, immediate):
    force = forces["met"]
    draft = make_draft(force, journey_page(force))
    upload = save_evidence(draft, "photos", SimpleUploadedFile("a.jpg", b"x"), "image/jpeg")
    Draft.objects.filter(pk=draft.pk).delete()  # e.g. by hand, without its files

    clock.advance(hours=2)
    with immediate():
        purge_expired()

    assert not Evidence.objects.filter(pk=upload.pk).exists()
    assert not exists(upload)
