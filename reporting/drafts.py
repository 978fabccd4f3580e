"""Journeys in progress: which draft a browser is on, pinned to a journey revision.

The browser holds only a signed cookie naming its draft (scoped to the journey's URL); the
answers live in the ``Draft`` row, encrypted. Nothing personal is in the session, the URL or
the cookie. A draft expires ``REPORT_DRAFT_TIMEOUT_MINUTES`` after its last activity.
"""

import threading
import uuid
from collections import OrderedDict
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

from wagtail.models import Page, Revision

from .journey import Journey
from .models import Draft

COOKIE_PREFIX = "solh_report_"
COOKIE_SALT = "reporting.draft"


class JourneyUnavailable(Exception):
    """The journey has no published revision to start from."""


def cookie_name(page):
    return f"{COOKIE_PREFIX}{page.pk}"


def timeout():
    return timedelta(minutes=settings.REPORT_DRAFT_TIMEOUT_MINUTES)


def canonical_revision_id(page):
    """The live revision of the journey ``page`` stands for (its original, for an alias)."""
    if page.alias_of_id is None:
        return page.live_revision_id
    return (
        Page.objects.filter(pk=page.alias_of_id).values_list("live_revision_id", flat=True).first()
    )


class _JourneyCache:
    """Journeys by revision id, parsed once per process: a revision never changes."""

    def __init__(self, size=128):
        self.size = size
        self.items = OrderedDict()
        self.lock = threading.Lock()

    def get(self, revision_id):
        with self.lock:
            journey = self.items.get(revision_id)
            if journey is not None:
                self.items.move_to_end(revision_id)
                return journey
        content = Revision.objects.filter(pk=revision_id).values_list("content", flat=True).first()
        if content is None:
            return None
        journey = Journey.from_revision_content(content)
        with self.lock:
            self.items[revision_id] = journey
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return journey


journeys = _JourneyCache()


def start(page, force, language):
    """A new draft of ``page`` on ``force``'s site, pinned to the journey's live revision."""
    revision_id = canonical_revision_id(page)
    if revision_id is None:
        raise JourneyUnavailable
    return Draft.objects.create(
        journey_id=page.pk,
        force=force,
        revision_id=revision_id,
        language=language,
        answers={},
        expires_at=timezone.now() + timeout(),
    )


def signed_key(draft):
    return signing.dumps(str(draft.key), salt=COOKIE_SALT)


def from_request(request, page):
    """The browser's live draft of ``page``, or ``(None, expired)``.

    Returns ``(draft, False)`` for a live draft, ``(None, True)`` when the browser had a draft
    that has expired or gone, ``(None, False)`` when it had none.
    """
    value = request.COOKIES.get(cookie_name(page))
    if not value:
        return None, False
    try:
        key = uuid.UUID(signing.loads(value, salt=COOKIE_SALT))
    except (signing.BadSignature, TypeError, ValueError, AttributeError):
        # Tampered with, or signed but not a draft's key (only someone holding the secret
        # key could make one): no draft, as for no cookie at all.
        return None, False
    draft = Draft.objects.filter(key=key, journey_id=page.pk).first()
    if draft is None or draft.expires_at <= timezone.now():
        return None, True
    return draft, False


# Reading a page pushes the expiry back only if it was last pushed longer ago than this: a
# write per page view buys nothing when the person was active a moment ago.
TOUCH_INTERVAL = timedelta(minutes=1)


def save(draft, answers=None):
    """Store ``answers`` (if given) and push the expiry back: the person is still active.

    A draft saved to come back to later (``saved_until``) is kept until then at least.
    """
    expires_at = timezone.now() + timeout()
    if draft.saved_until is not None:
        expires_at = max(expires_at, draft.saved_until)
    if answers is None:
        if expires_at - draft.expires_at < TOUCH_INTERVAL:
            return
        draft.expires_at = expires_at
        draft.save(update_fields=["expires_at"])
        return
    draft.answers = answers
    draft.expires_at = expires_at
    draft.save(update_fields=["expires_at", "answers"])


def set_cookie(response, page, draft, path):
    max_age = int(timeout().total_seconds()) + 3600
    if draft.saved_until is not None:  # kept for days: the browser keeps its cookie as long
        max_age = max(max_age, int((draft.saved_until - timezone.now()).total_seconds()))
    response.set_cookie(
        cookie_name(page),
        signed_key(draft),
        max_age=max_age,
        path=path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def clear_cookie(response, page, path):
    response.delete_cookie(cookie_name(page), path=path, samesite="Lax")
