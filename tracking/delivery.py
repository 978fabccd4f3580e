"""Sending a report's items through the reports' own outbox (``reporting.delivery``).

A follow-up goes to the force's back office as a signed ``report.follow_up`` webhook; a status
update goes to the reporter as an email that says only that there is news, and where to read
it. Each is a ``reporting.Delivery`` with ``item_id`` set, created in the transaction that
stores the item, so it is retried with backoff, dead-lettered after its last attempt, swept up
after a lost worker, and listed with the report's deliveries in the admin, like the report's
own.
"""

import json
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reporting import delivery as report_delivery
from reporting.delivery import USER_AGENT, Outcome, sign
from reporting.evidence import download_url
from reporting.models import Delivery, Evidence

from .models import FollowUp, ReportUpdate

FOLLOW_UP_EVENT = "report.follow_up"


def queue_item(submission, channel, item_id):
    """Create and queue the delivery of one item (inside the transaction that stores it)."""
    delivery = Delivery.objects.create(
        submission=submission, channel=channel, item_id=item_id, next_attempt_at=timezone.now()
    )
    report_delivery.enqueue(delivery.pk)
    return delivery


# --- Follow-ups to the back office ------------------------------------------------------------


def follow_up_payload(follow_up):
    """The JSON document posted to the force's back office for ``follow_up``."""
    submission = follow_up.submission
    base_url = submission.force.site.root_url
    return {
        "event": FOLLOW_UP_EVENT,
        "id": str(follow_up.pk),
        "reference": submission.reference,
        "report_id": str(submission.pk),
        "force": submission.force.slug,
        "in_reply_to_update": str(follow_up.in_reply_to_id) if follow_up.in_reply_to_id else None,
        "language": follow_up.language,
        "submitted_at": follow_up.submitted_at.isoformat(),
        "text": follow_up.text,
        "evidence": [
            {
                "id": str(evidence.pk),
                "filename": evidence.original_name,
                "content_type": evidence.content_type,
                "size": evidence.size,
                "sha256": evidence.sha256,
                "url": download_url(evidence, base_url),
            }
            for evidence in Evidence.objects.filter(submission=submission, draft_key=follow_up.pk)
        ],
    }


def send_follow_up(submission, item_id):
    """POST the signed follow-up to the force's back office. Returns the ``Outcome``.

    Signed and keyed like a report (``X-Solh-Signature``, ``Idempotency-Key``: the follow-up's
    id), with ``X-Solh-Event: report.follow_up``; answers are read as for a report (2xx
    delivered; 5xx, 429 and network failures retried; anything else failed).
    """
    follow_up = FollowUp.objects.filter(pk=item_id, submission=submission).first()
    if follow_up is None:
        return Outcome(delivered=False, error=_("The added information no longer exists"))
    follow_up.submission = submission
    force = submission.force
    url = force.webhook_url
    secret = force.get_webhook_secret() if url else ""
    if not url or not secret:
        return Outcome(delivered=False, error=_("No back-office webhook is configured"))
    body = json.dumps(
        follow_up_payload(follow_up), cls=DjangoJSONEncoder, ensure_ascii=False
    ).encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "X-Solh-Signature": sign(body, secret),
        "X-Solh-Event": FOLLOW_UP_EVENT,
        "Idempotency-Key": str(follow_up.pk),
        "User-Agent": USER_AGENT,
    }
    return report_delivery.post_signed(url, body, headers)


# --- Status updates to the reporter -----------------------------------------------------------


def track_url(submission):
    """The full address of "Track my report" on the report's site, in the report's language."""
    with translation.override(submission.language):
        path = reverse("tracking:start")
    return submission.force.site.root_url.rstrip("/") + path


def send_update_email(submission, item_id):
    """Tell the reporter there is an update on their report, in their language.

    The email holds no report content and not the update's message: only the reference, the
    new status and where to read it once they have proved who they are.
    """
    update = ReportUpdate.objects.filter(pk=item_id, submission=submission).first()
    if update is None:
        return Outcome(delivered=False, error=_("The status update no longer exists"))
    recipient = (submission.contact or {}).get("email")
    if not recipient:
        return Outcome(delivered=False, error=_("No email address was given"))
    force = submission.force
    language = submission.language or "en"
    with translation.override(language):
        context = {
            "reference": submission.reference,
            "status": update.get_status_display(),
            "force_name": force.welsh_name if language == "cy" and force.welsh_name else force.name,
            "force_phone": force.phone_non_emergency,
            "track_url": track_url(submission),
            "needs_more_information": update.status == "needs-more-information",
        }
        subject = render_to_string("tracking/email/update_subject.txt", context)
        body = render_to_string("tracking/email/update.txt", context)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient],
        connection=get_connection(timeout=settings.REPORT_DELIVERY_TIMEOUT_SECONDS),
    )
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused:
        return Outcome(delivered=False, error=_("Address refused by the mail server"))
    except (smtplib.SMTPException, OSError) as error:
        return Outcome(
            delivered=False, retry=True, error=_("Mail not sent (%s)") % type(error).__name__
        )
    return Outcome(delivered=True)


__all__ = [
    "FOLLOW_UP_EVENT",
    "follow_up_payload",
    "queue_item",
    "send_follow_up",
    "send_update_email",
    "track_url",
]
