"""Retention: reports are deleted, with their evidence files, when their force's period ends.

``purge_expired`` runs every hour in ``manage.py run_worker`` and on demand as
``manage.py purge_reports``. Each report purged or erased leaves a ``ReportAccessRecord`` (its
reference, which is not personal data); the evidence files go from storage once the deletion
commits.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from forces.models import Force

from .evidence import delete_evidence, delete_files_on_commit
from .models import AccessAction, Draft, Evidence, ReportAccessRecord, Submission

logger = logging.getLogger(__name__)

BATCH = 500


def expired_reports(force, now=None):
    """``force``'s reports older than its retention period (none if it keeps them for ever)."""
    days = force.report_retention_days
    if not days:
        return Submission.objects.none()
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return Submission.objects.filter(force=force, submitted_at__lt=cutoff)


def expired_drafts(now=None):
    """Journeys in progress that were abandoned (past their ``expires_at``)."""
    return Draft.objects.filter(expires_at__lt=now or timezone.now())


def orphaned_evidence(now=None):
    """Unsubmitted evidence whose draft is gone (e.g. deleted before its files could be)."""
    cutoff = (now or timezone.now()) - timedelta(minutes=settings.REPORT_DRAFT_TIMEOUT_MINUTES)
    return Evidence.objects.filter(submission__isnull=True, uploaded_at__lt=cutoff).exclude(
        draft_key__in=Draft.objects.values("key")
    )


@dataclass
class PurgeCounts:
    """What a purge deleted (or, in a dry run, would delete)."""

    reports: dict = field(default_factory=dict)  # force slug -> reports
    drafts: int = 0
    orphaned_files: int = 0
    journey_events: int = 0  # insight/: past INSIGHT_EVENT_RETENTION_DAYS
    feedback: int = 0  # feedback/: past FEEDBACK_RETENTION_DAYS

    @property
    def total_reports(self):
        return sum(self.reports.values())


def purge(now=None, *, dry_run=False):
    """Purge (or with ``dry_run`` count) what retention says must go. Returns ``PurgeCounts``."""
    now = now or timezone.now()
    counts = PurgeCounts()
    for force in Force.objects.only("pk", "slug", "report_retention_days"):
        expired = expired_reports(force, now)
        counts.reports[force.slug] = expired.count() if dry_run else purge_reports(expired, force)
    if dry_run:
        counts.drafts = expired_drafts(now).count()
        counts.orphaned_files = orphaned_evidence(now).count()
        counts.journey_events, counts.feedback = _purge_insight_and_feedback(now, dry_run=True)
        return counts
    counts.drafts = purge_drafts(expired_drafts(now))
    counts.orphaned_files = delete_evidence(orphaned_evidence(now)[:BATCH])
    counts.journey_events, counts.feedback = _purge_insight_and_feedback(now)
    logger.info(
        "Purge: %s reports past retention, %s abandoned drafts, %s orphaned files",
        counts.total_reports,
        counts.drafts,
        counts.orphaned_files,
    )
    return counts


def _purge_insight_and_feedback(now, dry_run=False):
    """Journey events and feedback past their retention: ``(events, feedback)``."""
    from feedback.retention import purge as purge_feedback
    from insight.funnel import purge as purge_events

    return purge_events(now, dry_run=dry_run), purge_feedback(now, dry_run=dry_run)


def purge_expired(now=None):
    """Delete every force's reports past its retention period, and abandoned drafts.

    Reports go with their evidence files and delivery records; each leaves a ``purge`` access
    record. Drafts go with the evidence uploaded to them and not submitted. Returns the number
    of reports purged.
    """
    return purge(now).total_reports


def purge_reports(queryset, force):
    """Delete the reports in ``queryset`` (all ``force``'s), in batches. Returns the count."""
    total = 0
    while True:
        with transaction.atomic():
            batch = list(
                queryset.select_for_update(skip_locked=True)
                .order_by("submitted_at")
                .values_list("pk", "reference")[:BATCH]
            )
            if not batch:
                return total
            ids = [pk for pk, _reference in batch]
            files = list(Evidence.objects.filter(submission__in=ids).values_list("file", flat=True))
            Submission.objects.filter(pk__in=ids).delete()
            ReportAccessRecord.objects.bulk_create(
                ReportAccessRecord(force=force, action=AccessAction.PURGE, reference=reference)
                for _pk, reference in batch
            )
            delete_files_on_commit(files)
        total += len(batch)


def purge_drafts(queryset):
    """Delete the drafts in ``queryset`` with their unsubmitted evidence. Returns the count."""
    total = 0
    while True:
        with transaction.atomic():
            # A draft being submitted is locked by ``submit``: skipped until the next run.
            keys = list(
                queryset.select_for_update(skip_locked=True).values_list("key", flat=True)[:BATCH]
            )
            if not keys:
                return total
            delete_evidence(Evidence.objects.filter(draft_key__in=keys, submission__isnull=True))
            Draft.objects.filter(key__in=keys).delete()
        total += len(keys)


def erase(submission, user):
    """Erase one report now (a handler's decision), with its evidence files.

    Records an ``erase`` access record naming the handler and the reference.
    """
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        files = list(submission.evidence.values_list("file", flat=True))
        ReportAccessRecord.objects.create(
            user=user,
            username=user.get_username(),
            force_id=submission.force_id,
            action=AccessAction.ERASE,
            reference=submission.reference,
        )
        submission.delete()
        delete_files_on_commit(files)
    logger.info("Report %s erased", submission.reference)
