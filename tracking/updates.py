"""Posting a status update on a report: from the force's back office (``tracking.api``) or a
handler in the admin (``tracking.admin_views``).

``post_update`` stores the update and, in the same transaction, queues the email that tells the
reporter (if they gave an email address) through the reports' outbox, so a mail server that is
down delays the email rather than losing it.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from reporting.models import DeliveryChannel

from .delivery import queue_item
from .models import ReportUpdate, UpdateSource

logger = logging.getLogger(__name__)


class IdempotencyConflict(Exception):
    """The key was used before, for a different update (another body, or another report)."""


@dataclass(frozen=True)
class Posted:
    update: ReportUpdate
    created: bool  # False: the original result of an earlier request with the same key


def request_hash(reference, body):
    """What an idempotent request is recognised by: its report and its exact body."""
    return hashlib.sha256(reference.encode("utf-8") + b"\n" + body).hexdigest()


def post_update(submission, cleaned, *, source, user=None, idempotency_key=None, fingerprint=""):
    """Store a status update on ``submission`` and queue the reporter's email.

    ``cleaned``: an ``UpdateForm``'s cleaned data. With an ``idempotency_key`` (the API), a
    second request with the same key and ``fingerprint`` returns the first's update
    (``created=False``); the same key with another fingerprint raises ``IdempotencyConflict``.
    """
    # The key's uniqueness (per force) is the database's to enforce: a key seen before fails
    # the insert, and only then is the earlier update read, to compare.
    try:
        with transaction.atomic():
            update = ReportUpdate.objects.create(
                submission=submission,
                force_id=submission.force_id,
                status=cleaned["status"],
                message_en=cleaned["message_en"],
                message_cy=cleaned.get("message_cy") or "",
                officer_reference=cleaned.get("officer_reference") or "",
                source=source,
                author=user,
                author_name=user.get_username() if user is not None else "",
                idempotency_key=idempotency_key or None,
                request_hash=fingerprint,
            )
            if (submission.contact or {}).get("email"):
                queue_item(submission, DeliveryChannel.UPDATE_EMAIL, update.pk)
    except IntegrityError:
        earlier = (
            _earlier(submission.force_id, idempotency_key, fingerprint) if idempotency_key else None
        )
        if earlier is None:
            raise
        return earlier
    logger.info(
        "Status update %s on report %s (%s, by %s)",
        update.pk,
        submission.reference,
        update.status,
        "back office" if source == UpdateSource.API else update.author_name,
    )
    return Posted(update=update, created=True)


def _earlier(force_id, key, fingerprint):
    update = (
        ReportUpdate.objects.filter(force_id=force_id, idempotency_key=key)
        .select_related("submission")
        .first()
    )
    if update is None:
        return None
    if update.request_hash != fingerprint:
        raise IdempotencyConflict
    return Posted(update=update, created=False)


def timeline(submission):
    """The report's status updates, oldest first."""
    return list(ReportUpdate.objects.filter(submission=submission).order_by("created_at", "pk"))


def needs_more_information(updates):
    """Whether the latest update asks the reporter for more information."""
    return bool(updates) and updates[-1].status == "needs-more-information"
