"""Adding information to a sent report, when the force asked for it (``needs-more-information``).

``add_information`` stores the text (encrypted) and any file (``reporting.evidence``, private
storage, attached to the report under the follow-up's id) and queues the signed
``report.follow_up`` webhook in one transaction: if anything fails, nothing is kept (a file
already written is removed) and the reporter is told.
"""

import logging

from django.db import transaction

from reporting.evidence import EvidenceNotStored, check_stored, private_storage, save_evidence
from reporting.models import DeliveryChannel

from .delivery import queue_item
from .models import FollowUp

logger = logging.getLogger(__name__)

QUESTION_ID = "follow-up"


def add_information(submission, text, upload=None, *, language="en", in_reply_to=None):
    """Store what the reporter added to ``submission`` and queue its delivery; return it."""
    stored = []
    try:
        with transaction.atomic():
            follow_up = FollowUp.objects.create(
                submission=submission, in_reply_to=in_reply_to, text=text, language=language
            )
            if upload is not None:
                evidence = save_evidence(follow_up, QUESTION_ID, upload, upload.content_type)
                stored.append(evidence.file.name)
                evidence.submission = submission
                evidence.save(update_fields=["submission"])
                check_stored([evidence])
            queue_item(submission, DeliveryChannel.FOLLOW_UP_WEBHOOK, follow_up.pk)
    except BaseException:
        for name in stored:
            try:
                private_storage().delete(name)
            except Exception as error:
                logger.warning("Could not delete evidence file %s (%s)", name, type(error).__name__)
        raise
    logger.info("Information added to report %s (%s)", submission.reference, follow_up.pk)
    return follow_up


__all__ = ["EvidenceNotStored", "add_information"]
