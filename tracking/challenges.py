"""One-time codes that let a reporter read their report's updates.

``begin`` is called with what someone typed: a reference and an email address or phone number.
Whether or not they match a report of this force, it stores a challenge and queues a job that
sends its code, and the caller answers the same way: nobody learns from the answer, its timing
or what happens next whether a reference exists. Only when they match does the job send
anything (to the address given in the report), and only then can a code pass.

Codes are six digits, single-use, expire after ``TRACKING_CODE_MINUTES`` and allow
``TRACKING_CODE_MAX_ATTEMPTS`` tries. Only a keyed hash of a code is stored; the job that sends
it carries it encrypted (``reporting.crypto``).
"""

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from reporting import crypto
from reporting.models import Submission
from reporting.validators import normalise_phone

from .forms import CODE_LENGTH
from .models import TrackingChallenge

logger = logging.getLogger(__name__)

PURGE_AFTER = timedelta(days=1)


def code_hash(challenge_id, code):
    message = f"{challenge_id}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def new_code():
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


@cache
def _stand_in_contact():
    # Decrypted when no report has the reference, so that case costs what a real one does.
    return crypto.encrypt(b'{"email":"","phone":"","name":""}')


def matching_report(force, reference, channel, address):
    """``force``'s report ``reference`` if ``address`` is the email or phone given in it."""
    submission = (
        Submission.objects.filter(force=force, reference=reference).only("pk", "contact").first()
    )
    if submission is None:
        crypto.decrypt(_stand_in_contact())
        return None
    given = (submission.contact or {}).get(channel) or ""
    if channel == "email":
        matches = given.strip().lower() == address
    else:
        matches = (normalise_phone(given) or "") == address
    return submission if matches and given else None


def begin(force, reference, contact):
    """Store a challenge for ``reference`` and ``contact`` (``(channel, address)``) and queue
    the job that sends its code. Returns the challenge, matched or not."""
    from .tasks import send_code

    channel, address = contact
    submission = matching_report(force, reference, channel, address)
    code = new_code()
    now = timezone.now()
    with transaction.atomic():
        TrackingChallenge.objects.filter(expires_at__lt=now - PURGE_AFTER).delete()
        challenge = TrackingChallenge(
            force=force,
            submission=submission,
            channel=channel,
            expires_at=now + timedelta(minutes=settings.TRACKING_CODE_MINUTES),
        )
        challenge.code_hash = code_hash(challenge.pk, code)
        challenge.save()
        # Queued either way: the same work, and the same wait, whether or not it matched.
        send_code.enqueue(str(challenge.pk), crypto.encrypt(code.encode()).decode("ascii"))
    return challenge


@dataclass(frozen=True)
class Checked:
    submission: Submission | None
    problem: str = ""  # "wrong", "expired" (or used up, or tried too often)


def check(force, challenge_id, code):
    """Try ``code`` against the challenge; ``Checked(submission)`` when it passes."""
    now = timezone.now()
    with transaction.atomic():
        challenge = (
            TrackingChallenge.objects.select_for_update()
            .filter(pk=challenge_id, force=force)
            .first()
        )
        if (
            challenge is None
            or challenge.used_at is not None
            or challenge.expires_at <= now
            or challenge.attempts >= settings.TRACKING_CODE_MAX_ATTEMPTS
        ):
            return Checked(None, "expired")
        challenge.attempts += 1
        passed = challenge.submission_id is not None and hmac.compare_digest(
            challenge.code_hash, code_hash(challenge.pk, code)
        )
        if passed:
            challenge.used_at = now
        challenge.save(update_fields=["attempts", "used_at"])
    if not passed:
        left = settings.TRACKING_CODE_MAX_ATTEMPTS - challenge.attempts
        return Checked(None, "wrong" if left > 0 else "expired")
    return Checked(Submission.objects.select_related("force").get(pk=challenge.submission_id))


def send(challenge_id, sealed_code):
    """Send the code of a challenge that matched a report (the job queued by ``begin``)."""
    from django.core.mail import EmailMessage, get_connection
    from django.template.loader import render_to_string
    from django.utils import translation

    from .delivery import track_url
    from .sms import send_text

    challenge = (
        TrackingChallenge.objects.select_related("submission__force__site")
        .filter(pk=challenge_id)
        .first()
    )
    if challenge is None or challenge.submission is None:
        return "not-sent"
    submission = challenge.submission
    code = crypto.decrypt(sealed_code.encode("ascii")).decode()
    force = submission.force
    language = submission.language or "en"
    address = (submission.contact or {}).get(challenge.channel) or ""
    with translation.override(language):
        context = {
            "code": code,
            "minutes": settings.TRACKING_CODE_MINUTES,
            "force_name": force.welsh_name if language == "cy" and force.welsh_name else force.name,
            "track_url": track_url(submission),
        }
        if challenge.channel == "email":
            subject = render_to_string("tracking/email/code_subject.txt", context)
            body = render_to_string("tracking/email/code.txt", context)
        else:
            text = render_to_string("tracking/sms/code.txt", context).strip()
    if challenge.channel == "email":
        EmailMessage(
            subject=" ".join(subject.split()),
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            connection=get_connection(timeout=settings.REPORT_DELIVERY_TIMEOUT_SECONDS),
        ).send()
    else:
        send_text(normalise_phone(address) or address, text)
    logger.info("Tracking code sent for challenge %s by %s", challenge.pk, challenge.channel)
    return "sent"
