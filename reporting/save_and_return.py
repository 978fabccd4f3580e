"""Save and come back later: a single-use link, by email, that restores a draft on any device.

How it works:

- ``request_link`` (the journey's ``save/`` page) keeps the draft until
  ``REPORT_SAVED_DRAFT_DAYS`` from now, whatever the idle timeout says (``Draft.saved_until``),
  makes a ``SavedDraftLink`` expiring then (any earlier unused link of the draft stops working)
  and queues ``send_saved_link`` on the task worker, in the same transaction.
- The email holds the journey's name, the force's, the date the link stops working and the
  link: never an answer. The address is kept encrypted on the link's row only until it is sent.
  A send that fails for a reason that may pass (the mail server down) is tried again with
  backoff, ``REPORT_DELIVERY_MAX_ATTEMPTS`` times at most (``sweep`` re-queues one whose job was
  lost or could not be deferred).
- The link is ``<journey>/resume/?token=<token>``. The token is a signature of the link's id
  (nothing to look up, nothing stored); the row says whether it was used and until when it works.
  Opening the link uses nothing up: mail scanners and link previews open links too. The page
  it lands on has a "Continue your report" button that posts the token back; ``consume`` then
  marks the link used (once, under a row lock), and the browser gets the draft's cookie and
  goes to the next question. The landing page is ``no-store`` and ``Referrer-Policy:
  strict-origin`` (the token is not sent on in a ``Referer``, only the site's origin; with
  ``no-referrer`` the button's POST would carry ``Origin: null`` and fail its CSRF check); the
  query string is left out of
  gunicorn's access log (``gunicorn.conf.py``) and Django's own request lines
  (``solh.log_filters.WithoutQueryStrings``).
"""

import logging
import smtplib
import uuid
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from django_tasks import task

from .models import Draft, SavedDraftLink
from .tasks import DELIVERY_PRIORITY

logger = logging.getLogger(__name__)

TOKEN_SALT = "reporting.saved-draft-link"  # noqa: S105 (a salt, not a secret)
TOKEN_PARAM = "token"  # noqa: S105 (a field name)
BASE_BACKOFF_SECONDS = 30
# A pending email whose job has not run this long after it was due is queued again by ``sweep``.
SWEEP_AFTER = timedelta(minutes=2)


def saved_days():
    return settings.REPORT_SAVED_DRAFT_DAYS


def _signer():
    return signing.Signer(salt=TOKEN_SALT)


def token_for(link):
    """The token of ``link``'s URL: its id, signed with ``SECRET_KEY``."""
    return _signer().sign(link.pk.hex)


def _link_id(token):
    try:
        return uuid.UUID(hex=_signer().unsign(str(token or "")))
    except (signing.BadSignature, ValueError, TypeError):
        return None


def usable(queryset, now):
    return queryset.filter(
        used_at__isnull=True,
        expires_at__gt=now,
        draft__expires_at__gt=now,
        draft__submitted_reference="",
    )


def find(token, page, now=None):
    """The unused, unexpired link of ``token`` to a draft of ``page``, or None. Uses nothing."""
    link_id = _link_id(token)
    if link_id is None:
        return None
    now = now or timezone.now()
    links = usable(SavedDraftLink.objects.filter(pk=link_id, draft__journey_id=page.pk), now)
    return links.select_related("draft").first()


def consume(token, page, now=None):
    """Use the link of ``token`` (once): its draft, or None if it cannot be used (any more)."""
    link_id = _link_id(token)
    if link_id is None:
        return None
    now = now or timezone.now()
    with transaction.atomic():
        link = (
            usable(SavedDraftLink.objects.filter(pk=link_id, draft__journey_id=page.pk), now)
            .select_for_update(of=("self",))
            .first()
        )
        if link is None:
            return None
        link.used_at = now
        link.save(update_fields=["used_at"])
        return Draft.objects.get(pk=link.draft_id)


def request_link(draft, email, now=None):
    """Keep ``draft`` for ``REPORT_SAVED_DRAFT_DAYS`` and queue an email of a link to it."""
    now = now or timezone.now()
    until = now + timedelta(days=saved_days())
    with transaction.atomic():
        draft.saved_until = until
        draft.expires_at = max(draft.expires_at, until)
        draft.save(update_fields=["saved_until", "expires_at"])
        # Only the newest link works: an older one (a mistyped address) stops now.
        SavedDraftLink.objects.filter(draft=draft, used_at__isnull=True).update(expires_at=now)
        link = SavedDraftLink.objects.create(draft=draft, expires_at=until, email=email)
        _enqueue(link.pk)
    return link


# --- the email, through the task worker ------------------------------------------------------


def _stores_jobs_in_database(backend):
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(backend, DatabaseBackend)


def _enqueue(link_id, run_after=None):
    """Queue the job that emails ``link_id``: in the caller's transaction with the database task
    backend, after it commits with any other."""
    job = send_saved_link
    if run_after is not None:
        if not job.get_backend().supports_defer:
            return  # ``sweep`` sends it when it is due
        job = job.using(run_after=run_after)
    if _stores_jobs_in_database(job.get_backend()):
        job.enqueue(str(link_id))
    else:
        transaction.on_commit(lambda: _enqueue_after_commit(job, link_id))


def _enqueue_after_commit(job, link_id):
    try:
        job.enqueue(str(link_id))
    except Exception as error:
        logger.error("Could not queue a saved-report email (%s)", type(error).__name__)


def backoff_seconds(attempts):
    return min(settings.REPORT_DELIVERY_MAX_BACKOFF_SECONDS, BASE_BACKOFF_SECONDS * 2**attempts)


def link_url(link):
    """The full address of ``link``: the journey's page on the force's site, ``resume/``."""
    from wagtail.models import Page

    page = Page.objects.get(pk=link.draft.journey_id)
    base = page.get_full_url()
    return f"{base}resume/?{TOKEN_PARAM}={token_for(link)}"


def email_context(link):
    from .delivery import _force_name  # one definition of a force's name in a language

    draft = link.draft
    journey = draft.journey.specific
    return {
        "journey_title": journey.title,
        "force_name": _force_name(draft.force, draft.language),
        "url": link_url(link),
        "expires_at": timezone.localtime(link.expires_at),
        "force_phone": draft.force.phone_non_emergency,
    }


def send(link_id, now=None):
    """Email the link ``link_id`` (if still to be sent). Returns "sent", "retry", "failed" or
    "skipped". Never logs the address or the token."""
    now = now or timezone.now()
    with transaction.atomic():
        link = (
            SavedDraftLink.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("draft", "draft__force", "draft__journey")
            .filter(pk=link_id, email_status=SavedDraftLink.EmailStatus.PENDING)
            .first()
        )
        if link is None:
            return "skipped"
        link.email_attempts += 1
        outcome = _send_email(link)
        if outcome == "retry" and link.email_attempts >= settings.REPORT_DELIVERY_MAX_ATTEMPTS:
            outcome = "failed"
        if outcome == "retry":
            link.next_attempt_at = now + timedelta(seconds=backoff_seconds(link.email_attempts))
            _enqueue(link.pk, run_after=link.next_attempt_at)
        else:
            link.email_status = (
                SavedDraftLink.EmailStatus.SENT
                if outcome == "sent"
                else SavedDraftLink.EmailStatus.FAILED
            )
            link.email = ""  # the address goes once it is no longer needed
            link.next_attempt_at = None
        link.save(update_fields=["email_attempts", "email_status", "email", "next_attempt_at"])
    logger.info("Saved-report email %s: %s (try %s)", link.pk, outcome, link.email_attempts)
    return outcome


def _send_email(link):
    draft = link.draft
    context = email_context(link)
    with translation.override(draft.language):
        subject = render_to_string("reporting/email/saved_link_subject.txt", context)
        body = render_to_string("reporting/email/saved_link.txt", context)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[link.email],
        connection=get_connection(timeout=settings.REPORT_DELIVERY_TIMEOUT_SECONDS),
    )
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused:
        return "failed"
    except (smtplib.SMTPException, OSError):
        return "retry"
    return "sent"


@task(priority=DELIVERY_PRIORITY)
def send_saved_link(link_id):
    """Email a "come back to your report" link (see ``reporting.save_and_return.send``)."""
    return send(uuid.UUID(str(link_id)))


def sweep(now=None):
    """Queue again every saved-report email that is due and whose job did not run (lost with a
    killed worker, or a retry the task backend could not defer). Returns the count."""
    now = now or timezone.now()
    due = SavedDraftLink.objects.filter(
        email_status=SavedDraftLink.EmailStatus.PENDING, expires_at__gt=now
    ).filter(
        Q(next_attempt_at__lte=now - SWEEP_AFTER)
        | Q(next_attempt_at__isnull=True, created_at__lte=now - SWEEP_AFTER)
    )
    ids = list(due.values_list("pk", flat=True)[:1000])
    with transaction.atomic():
        for link_id in ids:
            _enqueue(link_id)
    return len(ids)
