"""Recording journey events: one INSERT each at most, and never a broken journey.

Called from the journey's views (``reporting.views``) with the draft in hand; what is stored is
the force, the journey page, the step or question id, a keyed hash of the draft's key and, for a
report sent, the seconds from start to send. A failure to record is logged (its kind only) and
swallowed: a reporter never sees it.
"""

import hashlib
import hmac
import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import EventKind, JourneyEvent

logger = logging.getLogger(__name__)

START = EventKind.START
STEP = EventKind.STEP
EXIT = EventKind.EXIT
ERROR = EventKind.ERROR
CHECK = EventKind.CHECK
COMPLETE = EventKind.COMPLETE
SAVE = EventKind.SAVE
RESUME = EventKind.RESUME


def run_of(draft):
    """A keyed hash of the draft's key: the same for every event of one journey in progress."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"insight:{draft.key}".encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def _event(kind, draft, step_id="", question_id="", seconds=None):
    return JourneyEvent(
        occurred_at=timezone.now(),
        force_id=draft.force_id,
        journey_id=draft.journey_id,
        kind=kind,
        run=run_of(draft),
        step_id=step_id[:100],
        question_id=question_id[:200],
        seconds=seconds,
        language=(draft.language or "en")[:10],
    )


def _insert(events):
    """Insert ``events`` in one statement; log and swallow any failure."""
    if not events:
        return
    try:
        if connection.in_atomic_block:
            # Inside a transaction (a test, or a caller's): a failure must not spoil it.
            with transaction.atomic():
                JourneyEvent.objects.bulk_create(events)
        else:
            JourneyEvent.objects.bulk_create(events)
    except Exception as error:
        logger.warning("A journey event was not recorded (%s)", type(error).__name__)


def record(kind, draft, step_id=""):
    """Record one event of ``draft``'s journey (start, step reached, exit, check, save…)."""
    try:
        event = _event(kind, draft, step_id)
    except Exception as error:
        logger.warning("A journey event was not recorded (%s)", type(error).__name__)
        return
    _insert([event])


def error_questions(form):
    """The question ids with an error on ``form`` (a group's as ``group/question``), in order."""
    step = form.step
    names = list(form.errors)
    found = []
    for question in step.questions:
        if question.type == "group":
            prefix = f"{question.id}-"
            for sub in question.questions:
                if any(n.startswith(prefix) and n.endswith(f"-{sub.id}") for n in names):
                    found.append(f"{question.id}/{sub.id}")
        elif question.id in names:
            found.append(question.id)
    return found


def record_errors(draft, step_id, form):
    """One ``error`` event per question refused on ``form`` (one INSERT for them all)."""
    try:
        events = [
            _event(ERROR, draft, step_id, question_id) for question_id in error_questions(form)
        ]
    except Exception as error:
        logger.warning("A journey event was not recorded (%s)", type(error).__name__)
        return
    _insert(events)


def record_completion(draft):
    """A report sent, with the seconds from the journey's start."""
    try:
        seconds = max(0, int((timezone.now() - draft.started_at).total_seconds()))
        event = _event(COMPLETE, draft, seconds=seconds)
    except Exception as error:
        logger.warning("A journey event was not recorded (%s)", type(error).__name__)
        return
    _insert([event])
