"""Delivery of reports to the force (signed webhook and/or email) and the reporter's confirmation.

The ``Delivery`` rows are an outbox: ``reporting.submissions.submit`` creates them, with their
jobs, in the transaction that stores the report. The background worker then runs
``reporting.tasks.deliver`` for each, which calls ``attempt``:

1. claim the row in a short transaction (``select_for_update(skip_locked=True)``, a lease);
2. do the HTTP or SMTP work outside any transaction;
3. record a ``DeliveryAttempt`` and the outcome, and recompute the report's delivery status.

Webhook: any 2xx is delivered; 5xx, 429, timeouts and connection errors are tried again with
capped exponential backoff and jitter (``Retry-After`` respected, within the cap) until
``REPORT_DELIVERY_MAX_ATTEMPTS``, then failed; any other answer fails at once (dead letter).

Retries are queued with ``run_after`` where the task backend can defer (the database backend);
``sweep`` re-queues any pending delivery that is due and held by no worker, which recovers jobs
lost with a killed worker (and drives retries where the backend cannot defer, as in tests). The
force's receiver deduplicates by ``Idempotency-Key``, so a delivery sent twice is harmless.

Nothing here logs personal data: ids, references, channels, status codes and error kinds only.
"""

import hmac
import json
import logging
import random
import smtplib
import threading
import time
import traceback
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parsedate_to_datetime
from functools import partial
from hashlib import sha256
from html.parser import HTMLParser
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wagtail.rich_text import expand_db_html

import requests

from .evidence import download_url
from .models import (
    AccessAction,
    Delivery,
    DeliveryAttempt,
    DeliveryChannel,
    DeliveryStatus,
    ReportAccessRecord,
    Submission,
)

logger = logging.getLogger(__name__)

FORCE_CHANNELS = (DeliveryChannel.WEBHOOK, DeliveryChannel.EMAIL)
USER_AGENT = "SingleOnlineHome-Delivery/1.0"
BASE_BACKOFF_SECONDS = 30
# Beyond the network timeout, how long a claimed delivery stays with its worker before a sweep
# may hand it to another (the worker is then presumed dead).
LEASE_MARGIN = timedelta(seconds=30)
# A due delivery is presumed to have lost its job when it is this far past due and unclaimed;
# until then its queued job is left to run, rather than queuing a second.
SWEEP_AFTER = timedelta(minutes=1)
SWEEP_BATCH = 1000


@dataclass(frozen=True)
class Outcome:
    """What one try came to. ``error`` is a kind (never a message from the far end)."""

    delivered: bool
    retry: bool = False
    status_code: int | None = None
    error: str = ""
    retry_after: float | None = None


# --- Which deliveries a report gets ------------------------------------------------------------


def fallback_email():
    """Where reports go for a force with neither webhook nor inbox (``REPORTS_FALLBACK_EMAIL``)."""
    return getattr(settings, "REPORTS_FALLBACK_EMAIL", "") or ""


def force_channels(force):
    """The channels a report made on ``force``'s site goes to the force by.

    The webhook if the force has one, its inbox if it has one. A force with neither sends to
    ``REPORTS_FALLBACK_EMAIL`` when that is set; otherwise the report gets a webhook delivery
    that fails as "not configured", so it shows as failed to the force's handlers (who can
    resend it once delivery is configured) rather than waiting silently.
    """
    channels = []
    if force.webhook_url:
        channels.append(DeliveryChannel.WEBHOOK)
    if force.reports_email or (not channels and fallback_email()):
        channels.append(DeliveryChannel.EMAIL)
    return channels or [DeliveryChannel.WEBHOOK]


def create_deliveries(submission):
    """Create and queue the deliveries of a new ``submission`` (inside its transaction)."""
    channels = force_channels(submission.force)
    if (submission.contact or {}).get("email"):
        channels.append(DeliveryChannel.REPORTER_EMAIL)
    deliveries = Delivery.objects.bulk_create(
        Delivery(submission=submission, channel=channel, next_attempt_at=submission.submitted_at)
        for channel in channels
    )
    for delivery in deliveries:
        enqueue(delivery.pk)
    return deliveries


# --- Queueing ----------------------------------------------------------------------------------


def _stores_jobs_in_database(backend):
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(backend, DatabaseBackend)


def enqueue(delivery_id, run_after=None):
    """Queue the job that delivers ``delivery_id`` (at ``run_after``, if given).

    With the database task backend the job is written in the caller's transaction, so it
    commits (or rolls back) with the report. With any other backend it is queued once the
    transaction commits; ``sweep`` covers the moment between. A deferred job is only queued
    where the backend can defer; elsewhere ``sweep`` runs it when it is due.
    """
    from .tasks import deliver

    task = deliver
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return
        task = task.using(run_after=run_after)
    if _stores_jobs_in_database(task.get_backend()):
        task.enqueue(delivery_id)
    else:
        transaction.on_commit(partial(_enqueue_after_commit, task, delivery_id))


def _enqueue_after_commit(task, delivery_id):
    try:
        task.enqueue(delivery_id)
    except Exception as error:
        # The delivery stays pending: the next sweep queues it again.
        logger.error("Could not queue delivery %s (%s)", delivery_id, type(error).__name__)


def sweep(now=None):
    """Queue again every pending delivery that is due and held by no worker. Returns the count.

    Run every minute by ``manage.py run_worker``. This recovers a delivery whose worker died
    mid-flight (its lease runs out), whose job was lost, or whose retry the task backend could
    not defer.
    """
    now = now or timezone.now()
    # Claimed by a worker whose lease ran out: that worker died, its job with it. Unclaimed and
    # overdue by SWEEP_AFTER: its job was lost, or was never queued (a backend that cannot defer).
    lost = Q(lease_until__lte=now) | Q(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now - SWEEP_AFTER),
        lease_until__isnull=True,
    )
    due = (
        Delivery.objects.filter(status=DeliveryStatus.PENDING)
        .filter(lost)
        .order_by("next_attempt_at", "pk")
    )
    ids = list(due.values_list("pk", flat=True)[:SWEEP_BATCH])
    with transaction.atomic():
        for delivery_id in ids:
            enqueue(delivery_id)
    return len(ids)


def resend(submission, user):
    """Deliver ``submission`` to its force again, through the force's current configuration.

    Each force delivery (webhook, inbox) starts again from attempt 0; a channel configured
    since the report was made is added, and one no longer configured is dropped unless it was
    delivered. The reporter is not emailed again. Records a ``resend`` access record.
    Returns the deliveries queued.
    """
    now = timezone.now()
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update().select_related("force").get(pk=submission.pk)
        )
        configured = force_channels(submission.force)
        existing = {
            delivery.channel: delivery
            for delivery in submission.deliveries.filter(channel__in=FORCE_CHANNELS)
        }
        for channel, delivery in existing.items():
            if channel not in configured and delivery.status != DeliveryStatus.DELIVERED:
                delivery.delete()
        queued = []
        for channel in configured:
            delivery = existing.get(channel) or Delivery(submission=submission, channel=channel)
            delivery.status = DeliveryStatus.PENDING
            delivery.attempts = 0
            delivery.next_attempt_at = now
            delivery.lease_until = None
            delivery.delivered_at = None
            delivery.last_error = ""
            delivery.save()
            queued.append(delivery)
        _update_submission_status(submission)
        ReportAccessRecord.objects.create(
            user=user,
            username=user.get_username(),
            force_id=submission.force_id,
            action=AccessAction.RESEND,
            reference=submission.reference,
        )
        for delivery in queued:
            enqueue(delivery.pk)
    logger.info("Report %s queued for delivery again", submission.reference)
    return queued


# --- One try -----------------------------------------------------------------------------------


def attempt(delivery, *, now=None):
    """Try ``delivery`` (a ``Delivery`` or its id) once, if it is pending, due and unclaimed.

    Returns the ``Outcome``, or None when there was nothing to do (already delivered or
    failed, not due yet, or being worked by another worker).
    """
    delivery_id = getattr(delivery, "pk", delivery)
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    started = time.monotonic()
    try:
        submission = Submission.objects.select_related("force__site").get(pk=delivery.submission_id)
        if delivery.item_id is None:
            outcome = SENDERS[delivery.channel](submission)
        else:
            outcome = item_sender(delivery.channel)(submission, delivery.item_id)
    except Exception as error:
        # Our fault, not the far end's (a template, a key): keep the report and try later. The
        # stack without the message, which could quote the report.
        logger.error(
            "Delivery %s could not be attempted (%s)\n%s",
            delivery_id,
            type(error).__name__,
            "".join(traceback.format_tb(error.__traceback__)),
        )
        outcome = Outcome(
            delivered=False, retry=True, error=_("Internal error (%s)") % type(error).__name__
        )
    duration_ms = round((time.monotonic() - started) * 1000)
    _record(delivery, outcome, started_at=now, duration_ms=duration_ms)
    return outcome


def _lease():
    # A webhook's connect and read may each take the full timeout.
    return timedelta(seconds=2 * settings.REPORT_DELIVERY_TIMEOUT_SECONDS) + LEASE_MARGIN


def _claim(delivery_id, now):
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
            .first()
        )
        if delivery is None:
            return None
        # Counted when claimed, so a delivery that kills its worker every time still ends.
        delivery.attempts += 1
        delivery.lease_until = now + _lease()
        delivery.save(update_fields=["attempts", "lease_until"])
    return delivery


def backoff_seconds(attempts, retry_after=None):
    """Seconds before the next try after ``attempts`` tries: exponential, capped, jittered.

    A ``Retry-After`` from the receiver is honoured up to the cap
    (``REPORT_DELIVERY_MAX_BACKOFF_SECONDS``).
    """
    cap = settings.REPORT_DELIVERY_MAX_BACKOFF_SECONDS
    if retry_after is not None:
        return max(1.0, min(float(cap), retry_after))
    delay = min(cap, BASE_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0))
    return random.uniform(delay / 2, delay)


def _record(claimed, outcome, *, started_at, duration_ms):
    # On the clock ``attempt`` was given, so tests can run it at any time.
    finished = started_at + timedelta(milliseconds=duration_ms)
    retry_at = None
    with transaction.atomic():
        # The report's row first: it serialises the status updates of its deliveries.
        submission = (
            Submission.objects.select_for_update()
            .only("pk", "reference", "delivery_status")
            .filter(pk=claimed.submission_id)
            .first()
        )
        if submission is None:
            return  # erased (or purged) while we worked: nothing left to record
        DeliveryAttempt.objects.create(
            delivery_id=claimed.pk,
            started_at=started_at,
            duration_ms=duration_ms,
            succeeded=outcome.delivered,
            status_code=outcome.status_code,
            error=outcome.error[:255],
        )
        delivery = Delivery.objects.select_for_update().get(pk=claimed.pk)
        if delivery.lease_until != claimed.lease_until or delivery.status != DeliveryStatus.PENDING:
            # Re-sent, or taken over after our lease ran out, while we worked: theirs now.
            return
        delivery.lease_until = None
        delivery.last_error = outcome.error[:255]
        if outcome.delivered:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = finished
            delivery.next_attempt_at = None
        elif outcome.retry and delivery.attempts < settings.REPORT_DELIVERY_MAX_ATTEMPTS:
            delay = backoff_seconds(delivery.attempts, outcome.retry_after)
            retry_at = delivery.next_attempt_at = finished + timedelta(seconds=delay)
        else:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
        delivery.save(
            update_fields=[
                "status",
                "lease_until",
                "last_error",
                "delivered_at",
                "next_attempt_at",
            ]
        )
        _update_submission_status(submission)
        if retry_at is not None:
            enqueue(delivery.pk, run_after=retry_at)

    if outcome.delivered:
        logger.info("Delivered report %s by %s", submission.reference, delivery.channel)
    elif retry_at is not None:
        logger.warning(
            "Delivery of report %s by %s: try %s failed (%s); next try at %s",
            submission.reference,
            delivery.channel,
            delivery.attempts,
            outcome.error,
            retry_at.isoformat(timespec="seconds"),
        )
    else:
        logger.error(
            "Delivery of report %s by %s failed after %s tries (%s)",
            submission.reference,
            delivery.channel,
            delivery.attempts,
            outcome.error,
        )


def _update_submission_status(submission):
    """Delivered when every delivery to the force is; failed when any is; else pending."""
    statuses = set(
        Delivery.objects.filter(
            submission_id=submission.pk, channel__in=FORCE_CHANNELS
        ).values_list("status", flat=True)
    )
    if DeliveryStatus.FAILED in statuses:
        status = DeliveryStatus.FAILED
    elif statuses == {DeliveryStatus.DELIVERED}:
        status = DeliveryStatus.DELIVERED
    else:
        status = DeliveryStatus.PENDING
    if submission.delivery_status != status:
        submission.delivery_status = status
        Submission.objects.filter(pk=submission.pk).update(delivery_status=status)


# --- Webhook -----------------------------------------------------------------------------------


def answer_payload(row):
    """One answer row as the webhook carries it; a repeating group's items nest as rows."""
    value = row.get("value")
    if _is_group_value(value):
        value = [[answer_payload(sub_row) for sub_row in item] for item in value]
    return {
        "question_id": row.get("question_id", ""),
        "label": row.get("label", ""),
        "type": row.get("type", ""),
        "value": value,
        "display": row.get("display", ""),
    }


def _is_group_value(value):
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, list) for item in value)
        and all(isinstance(row, dict) and "question_id" in row for item in value for row in item)
    )


def webhook_payload(submission):
    """The JSON document posted to the force's back office for ``submission``."""
    force = submission.force
    contact = submission.contact or {}
    return {
        "reference": submission.reference,
        "force": force.slug,
        "journey": {
            "slug": submission.journey_slug,
            "title": submission.journey_title,
            "code": submission.journey_code,
            "revision": submission.revision_number,
        },
        "language": submission.language,
        "submitted_at": submission.submitted_at.isoformat(),
        "answers": [answer_payload(row) for row in submission.answers or []],
        "evidence": _evidence_list(submission),
        "contact": {
            "name": contact.get("name", ""),
            "email": contact.get("email", ""),
            "phone": contact.get("phone", ""),
        },
        # Where the back office posts status updates on this report (``tracking.api``).
        "updates_url": _updates_url(submission),
    }


def _updates_url(submission):
    from django.urls import reverse

    path = reverse("tracking_api:updates", args=[submission.reference])
    return submission.force.site.root_url.rstrip("/") + path


def _evidence_list(submission):
    base_url = submission.force.site.root_url
    return [
        {
            "id": str(evidence.pk),
            "question_id": evidence.question_id,
            "filename": evidence.original_name,
            "content_type": evidence.content_type,
            "size": evidence.size,
            "sha256": evidence.sha256,
            "url": download_url(evidence, base_url),
        }
        for evidence in submission.evidence.all()
    ]


def sign(body, secret):
    """The ``X-Solh-Signature`` value: ``sha256=`` and the hex HMAC-SHA256 of the raw body."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, sha256).hexdigest()


_sessions = threading.local()


def _http():
    # One keep-alive session per worker thread.
    session = getattr(_sessions, "session", None)
    if session is None:
        session = _sessions.session = requests.Session()
    return session


def _retry_after(response):
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - timezone.now()).total_seconds())


def send_webhook(submission):
    """POST the signed report to the force's back office. Returns the ``Outcome``."""
    force = submission.force
    url = force.webhook_url
    secret = force.get_webhook_secret() if url else ""
    if not url or not secret:
        return Outcome(delivered=False, error=_("No back-office webhook is configured"))
    body = json.dumps(
        webhook_payload(submission), cls=DjangoJSONEncoder, ensure_ascii=False
    ).encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "X-Solh-Signature": sign(body, secret),
        "Idempotency-Key": str(submission.pk),
        "User-Agent": USER_AGENT,
    }
    return post_signed(url, body, headers)


def post_signed(url, body, headers):
    """POST a signed ``body`` to a back office and read its answer as an ``Outcome``."""
    try:
        response = _http().post(
            url,
            data=body,
            headers=headers,
            timeout=settings.REPORT_DELIVERY_TIMEOUT_SECONDS,
            allow_redirects=False,
            stream=True,  # the body is never read: it is not ours to keep
        )
    except requests.Timeout:
        return Outcome(delivered=False, retry=True, error=_("Timed out"))
    except requests.ConnectionError:
        return Outcome(delivered=False, retry=True, error=_("Could not connect"))
    except requests.RequestException as error:
        return Outcome(delivered=False, error=_("Request not sent (%s)") % type(error).__name__)
    code = response.status_code
    retry_after = _retry_after(response) if code in (429, 503) else None
    response.close()
    if 200 <= code < 300:
        return Outcome(delivered=True, status_code=code)
    error = _("HTTP %(code)s") % {"code": code}
    if code >= 500 or code == 429:
        return Outcome(
            delivered=False, retry=True, status_code=code, error=error, retry_after=retry_after
        )
    return Outcome(delivered=False, status_code=code, error=error)


# --- Emails ------------------------------------------------------------------------------------


def answer_lines(rows, depth=0):
    """Answer rows as lines of plain text: ``{"indent", "label", "display"}``; groups nest."""
    lines = []
    indent = "  " * depth
    for row in rows or []:
        value = row.get("value")
        if _is_group_value(value):
            lines.append({"indent": indent, "label": row.get("label", ""), "display": ""})
            for number, item in enumerate(value, start=1):
                lines.append({"indent": indent + "  ", "label": f"{number}.", "display": ""})
                lines.extend(answer_lines(item, depth + 2))
        else:
            lines.append(
                {"indent": indent, "label": row.get("label", ""), "display": row.get("display", "")}
            )
    return lines


class _PlainText(HTMLParser):
    BLOCKS = {"p", "h2", "h3", "h4", "ul", "ol", "div", "blockquote"}

    def __init__(self, base_url):
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.parts = []
        self.href = None

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            self.parts.append("\n• ")
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            self.href = dict(attrs).get("href")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a" and self.href:
            self.parts.append(f" ({urljoin(self.base_url, self.href)})")
            self.href = None

    def handle_data(self, data):
        self.parts.append(data)

    def text(self):
        lines = [line.strip() for line in "".join(self.parts).splitlines()]
        text = "\n".join(lines)
        while "\n\n\n" in text:
            text = text.replace("\n\n\n", "\n\n")
        return text.strip()


def rich_text_as_plain_text(html, base_url):
    """Editor rich text as plain text for an email: paragraphs, bullets, links spelt out."""
    parser = _PlainText(base_url)
    parser.feed(expand_db_html(html or ""))
    parser.close()
    return parser.text()


def _force_name(force, language):
    if language == "cy" and force.welsh_name:
        return force.welsh_name
    return force.name


def _send_email(template, submission, recipient, context):
    with translation.override(submission.language):
        subject = render_to_string(f"reporting/email/{template}_subject.txt", context)
        body = render_to_string(f"reporting/email/{template}.txt", context)
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


def send_force_email(submission):
    """Email the report, with evidence links, to the force's reports inbox."""
    force = submission.force
    recipient = force.reports_email or fallback_email()
    if not recipient:
        return Outcome(delivered=False, error=_("No reports inbox is configured"))
    context = {
        "submission": submission,
        "force_name": _force_name(force, submission.language),
        "lines": answer_lines(submission.answers),
        "contact": submission.contact or {},
        "evidence": _evidence_list(submission),
        "link_minutes": max(1, settings.REPORT_EVIDENCE_URL_SECONDS // 60),
    }
    return _send_email("force_report", submission, recipient, context)


def send_reporter_email(submission):
    """Email the reporter their reference and a copy of their answers (no evidence links)."""
    recipient = (submission.contact or {}).get("email")
    if not recipient:
        return Outcome(delivered=False, error=_("No email address was given"))
    force = submission.force
    what_happens_next = ""
    journey = submission.journey.specific if submission.journey_id else None
    if journey is not None and hasattr(journey, "what_happens_next"):
        what_happens_next = rich_text_as_plain_text(journey.what_happens_next, force.site.root_url)
    context = {
        "submission": submission,
        "force_name": _force_name(force, submission.language),
        "force_phone": force.phone_non_emergency,
        "lines": answer_lines(submission.answers),
        "what_happens_next": what_happens_next,
    }
    return _send_email("reporter_confirmation", submission, recipient, context)


SENDERS = {
    DeliveryChannel.WEBHOOK: send_webhook,
    DeliveryChannel.EMAIL: send_force_email,
    DeliveryChannel.REPORTER_EMAIL: send_reporter_email,
}


# Channels that carry one item of a report (``Delivery.item_id``): the ``tracking`` app's
# follow-ups and status updates, sent by ``sender(submission, item_id)``.
ITEM_SENDERS = {
    DeliveryChannel.FOLLOW_UP_WEBHOOK: "tracking.delivery.send_follow_up",
    DeliveryChannel.UPDATE_EMAIL: "tracking.delivery.send_update_email",
}


def item_sender(channel):
    from django.utils.module_loading import import_string

    return import_string(ITEM_SENDERS[channel])
