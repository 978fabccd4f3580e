"""Making a report: one transaction, one report per draft, a unique reference, or nothing."""

import re
import threading

from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings

import pytest
from django_tasks_db.models import DBTaskResult

from reporting import submissions
from reporting.evidence import save_evidence
from reporting.models import Delivery, Draft, Evidence, Submission
from reporting.references import ALPHABET, new_reference
from reporting.submissions import submit
from tests.reporting.receiver import (
    StandInJourney,
    answer_rows,
    configure,
    journey_page,
    make_draft,
    make_report,
    own_connection,
    running_receiver,
)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def tvp(forces):
    return configure(forces["thames-valley"], "http://127.0.0.1:9/tvp/")


def test_a_reference_names_the_force_and_journey_and_is_easy_to_read(forces):
    pattern = re.compile(r"^TVP-RTI-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{6}$")
    references = {new_reference(forces["thames-valley"], "RTI") for _ in range(200)}
    assert all(pattern.match(reference) for reference in references)
    assert len(references) == 200
    assert not set("0O1ILU") & set(ALPHABET)
    assert new_reference(forces["hampshire"], "ASB").startswith("HIOW-ASB-")


def test_submit_stores_the_report_with_its_revision_and_reference(tvp):
    page = journey_page(tvp)
    draft = make_draft(tvp, page, language="cy")
    journey = StandInJourney(contact={"name": "Sam", "email": "sam@example.com"})

    submission = submit(draft=draft, journey_page=page, journey=journey, answers=draft.answers)

    submission.refresh_from_db()
    assert submission.force == tvp
    assert submission.journey.pk == page.pk
    assert (submission.journey_slug, submission.journey_code) == ("test-journey", "RTI")
    assert submission.journey_title == page.title
    assert submission.revision_id == page.live_revision_id
    assert submission.revision_number == page.live_revision_id
    assert submission.language == "cy"
    assert submission.answers == answer_rows()
    assert submission.contact == {"name": "Sam", "email": "sam@example.com", "phone": ""}
    assert submission.delivery_status == "pending"
    draft.refresh_from_db()
    assert draft.submitted_reference == submission.reference
    assert set(submission.deliveries.values_list("channel", flat=True)) == {
        "webhook",
        "reporter-email",
    }


def test_a_revision_that_is_gone_keeps_its_number(tvp):
    page = journey_page(tvp)
    draft = make_draft(tvp, page)
    Draft.objects.filter(pk=draft.pk).update(revision_id=987654)
    draft.refresh_from_db()

    submission = make_report(tvp, page=page, draft=draft)

    assert (submission.revision, submission.revision_number) == (None, 987654)


def test_submitting_twice_gives_one_report_and_the_same_reference(tvp):
    page = journey_page(tvp)
    draft = make_draft(tvp, page)

    first = make_report(tvp, page=page, draft=draft)
    again = make_report(tvp, page=page, draft=draft)  # back and resubmit, or a double click

    assert again.pk == first.pk
    assert again.reference == first.reference
    assert Submission.objects.filter(draft_key=draft.key).count() == 1
    assert Delivery.objects.filter(submission=first).count() == 1


def test_a_taken_reference_is_drawn_again(tvp, monkeypatch):
    taken = make_report(tvp).reference
    fresh = "TVP-RTI-ZZZZZZ"
    draws = iter([taken, fresh])
    monkeypatch.setattr(submissions, "new_reference", lambda force, code: next(draws))

    submission = make_report(tvp, draft=make_draft(tvp, journey_page(tvp)))

    assert submission.reference == fresh


def test_a_failure_inside_the_transaction_stores_nothing(tvp, monkeypatch):
    page = journey_page(tvp)
    draft = make_draft(tvp, page)
    upload = save_evidence(draft, "dashcam", SimpleUploadedFile("a.jpg", b"jpeg"), "image/jpeg")
    journey = StandInJourney(evidence_ids=[upload.pk])

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    # The last step of the transaction: everything before it has been written by then.
    monkeypatch.setattr(Draft, "save", fail)
    with override_settings(TASKS=DATABASE_TASKS), pytest.raises(RuntimeError):
        submit(draft=draft, journey_page=page, journey=journey, answers=draft.answers)

    assert not Submission.objects.exists()
    assert not Delivery.objects.exists()
    assert not DBTaskResult.objects.filter(task_path="reporting.tasks.deliver").exists()
    upload.refresh_from_db()
    assert upload.submission_id is None
    assert Draft.objects.get(pk=draft.pk).submitted_reference == ""


def test_the_delivery_job_commits_with_the_report(tvp):
    with override_settings(TASKS=DATABASE_TASKS):
        submission = make_report(tvp)

    [job] = DBTaskResult.objects.filter(task_path="reporting.tasks.deliver")
    delivery = submission.deliveries.get()
    assert job.args_kwargs == {"args": [delivery.pk], "kwargs": {}}


def test_a_failed_submit_sends_nothing(forces, monkeypatch, django_capture_on_commit_callbacks):
    with running_receiver() as receiver:
        force = configure(forces["met"], receiver.url("met"))
        draft = make_draft(force, journey_page(force))
        monkeypatch.setattr(Draft, "save", lambda *args, **kwargs: 1 / 0)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ZeroDivisionError):
            make_report(force, draft=draft)
        assert receiver.requests == []


def test_evidence_in_the_answers_is_attached_and_the_rest_deleted(
    tvp, django_capture_on_commit_callbacks
):
    page = journey_page(tvp)
    draft = make_draft(tvp, page)
    kept = save_evidence(draft, "dashcam", SimpleUploadedFile("kept.jpg", b"one"), "image/jpeg")
    dropped = save_evidence(draft, "dashcam", SimpleUploadedFile("gone.jpg", b"two"), "image/jpeg")
    private = storages["private"]

    with django_capture_on_commit_callbacks(execute=True):
        submission = make_report(tvp, page=page, draft=draft, evidence_ids=[kept.pk])

    assert list(submission.evidence.all()) == [kept]
    assert not Evidence.objects.filter(pk=dropped.pk).exists()
    assert private.exists(kept.file.name)
    assert not private.exists(dropped.file.name)


# --- Two tabs at once: needs committed data, as each tab has its own connection ---------------


@pytest.fixture
def committed(db):
    """ORM access outside the test transaction; what it makes is removed afterwards."""
    with own_connection():
        made = {}
        try:
            yield made
        finally:
            Submission.objects.filter(force__in=made.get("forces", [])).delete()
            Draft.objects.filter(force__in=made.get("forces", [])).delete()
            for page in made.get("pages", []):
                page.delete()
            for force in made.get("forces", []):
                configure(force)
            DBTaskResult.objects.all().delete()


def test_two_tabs_submitting_at_once_make_one_report(committed):
    from forces.models import Force

    force = configure(Force.objects.get(slug="met"), "http://127.0.0.1:9/met/")
    page = journey_page(force, slug="two-tabs-journey")
    committed.update(forces=[force], pages=[page])
    draft = make_draft(force, page)
    results, errors = [], []
    barrier = threading.Barrier(4)

    def tab():
        try:
            barrier.wait()
            results.append(make_report(force, page=page, draft=draft).reference)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    with override_settings(TASKS=DATABASE_TASKS):
        threads = [threading.Thread(target=tab) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert errors == []
    assert len(results) == 4
    assert len(set(results)) == 1
    assert Submission.objects.filter(draft_key=draft.key).count() == 1
