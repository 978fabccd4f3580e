"""Making a report: the submission, its evidence and its delivery jobs, in one transaction."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from wagtail.models import Revision

from .delivery import create_deliveries
from .evidence import check_stored, delete_evidence
from .models import Draft, Evidence, Submission
from .references import new_reference

logger = logging.getLogger(__name__)

REFERENCE_TRIES = 10
CONTACT_KEYS = ("name", "email", "phone")


class ReferenceUnavailable(Exception):
    """No free reference was found (practically impossible: 30⁶ per force and journey)."""


def submit(*, draft, journey_page, journey, answers):
    """Store the report made with ``draft`` and queue its delivery; return the ``Submission``.

    Everything happens in one transaction: the submission (answers and contact encrypted), its
    evidence, its ``Delivery`` rows and their jobs (written to the same database by the
    database task backend), and the draft's ``submitted_reference``. If anything fails nothing
    is stored and the exception propagates: the caller shows an error, never a reference. That
    includes evidence storage not showing it holds the report's files
    (``evidence.EvidenceNotStored``).

    Submitting a draft again (double click, back and resubmit, two tabs) returns the report
    already made from it: the draft's row is locked first, so concurrent submits queue behind
    each other and the second finds the first's report.

    ``journey_page`` is the journey page on the force's site (an alias, for a national journey);
    ``journey`` the ``reporting.journey.Journey`` of the draft's revision, of which only
    ``summary``, ``contact_details`` and ``evidence_ids`` are used.
    """
    with transaction.atomic():
        draft = Draft.objects.select_for_update().select_related("force").get(pk=draft.pk)
        existing = Submission.objects.filter(draft_key=draft.key).first()
        if existing is not None:
            return existing

        evidence_ids = [str(value) for value in journey.evidence_ids(answers)]
        unsubmitted = Evidence.objects.filter(draft_key=draft.key, submission__isnull=True)
        attached = unsubmitted.filter(pk__in=evidence_ids)
        # A reference means the whole report is kept, files too: storage must show it holds
        # them (when it is down, the report is not sent, and the reporter is told).
        check_stored(attached.only("pk", "file", "question_id"))

        submission = _create_submission(draft, journey_page, journey, answers)
        attached.update(submission=submission)
        # Files uploaded on the way but no longer among the answers (removed, or on a path not
        # taken) are not part of the report: they go.
        delete_evidence(unsubmitted.exclude(pk__in=evidence_ids))

        create_deliveries(submission)

        # The answers now live in the submission: the draft keeps only the reference, so the
        # confirmation page (and a second submit) can find the report until the draft expires.
        draft.submitted_reference = submission.reference
        draft.answers = {}
        draft.save(update_fields=["submitted_reference", "answers"])
    logger.debug("Stored report %s (%s)", submission.reference, submission.pk)
    return submission


def _create_submission(draft, journey_page, journey, answers):
    contact = journey.contact_details(answers) or {}
    fields = {
        "force": draft.force,
        "journey": journey_page,
        "journey_slug": journey_page.slug,
        "journey_title": journey_page.title,
        "journey_code": journey_page.code,
        # The id alone: a revision deleted since the draft began leaves the FK empty below.
        "revision_id": draft.revision_id
        if Revision.objects.filter(pk=draft.revision_id).exists()
        else None,
        "revision_number": draft.revision_id,
        "language": draft.language,
        "submitted_at": timezone.now(),
        "draft_key": draft.key,
        "answers": journey.summary(answers),
        "contact": {key: contact.get(key) or "" for key in CONTACT_KEYS},
    }
    for _try in range(REFERENCE_TRIES):
        reference = new_reference(draft.force, journey_page.code)
        try:
            # A savepoint: a taken reference rolls back this insert only, and we draw again.
            with transaction.atomic():
                return Submission.objects.create(reference=reference, **fields)
        except IntegrityError:
            if not Submission.objects.filter(reference=reference).exists():
                raise
    raise ReferenceUnavailable
