"""The funnel of a journey on a force's site, from its events (``insight.models``)."""

import statistics
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from .models import EventKind, JourneyEvent

BATCH = 5000


@dataclass
class FunnelRow:
    """One bar of the funnel: a step (or start, check your answers, sent) and its count."""

    key: str
    label: str
    count: int
    kind: str  # "start", "step", "exit", "check", "complete"
    percent: int = 0  # of the starts


@dataclass
class Funnel:
    starts: int = 0
    completions: int = 0
    saves: int = 0
    resumes: int = 0
    median_seconds: int | None = None
    rows: list = field(default_factory=list)  # FunnelRow, journey order
    errors: list = field(default_factory=list)  # (step id, question id, count), most first

    @property
    def completion_percent(self):
        return round(100 * self.completions / self.starts) if self.starts else 0

    @property
    def exits(self):
        return [row for row in self.rows if row.kind == "exit"]


def events_for(force, journey_id=None, since=None, until=None):
    events = JourneyEvent.objects.filter(force=force)
    if journey_id is not None:
        events = events.filter(journey_id=journey_id)
    if since is not None:
        events = events.filter(occurred_at__gte=since)
    if until is not None:
        events = events.filter(occurred_at__lt=until)
    return events


def journey_steps(journey_page):
    """``[(step id, title, is exit)]`` of the journey's live revision, in order."""
    from reporting.drafts import canonical_revision_id, journeys

    revision_id = canonical_revision_id(journey_page)
    journey = journeys.get(revision_id) if revision_id else None
    if journey is None:
        return []
    return [(step.id, step.title, step.is_exit) for step in journey.steps]


def build(events, steps, labels):
    """The ``Funnel`` of ``events`` (one journey), its steps ordered as ``steps``.

    Every count but errors is of distinct journeys in progress (a step reloaded counts once);
    errors count each refusal. ``labels`` names the fixed rows (start, check, sent).
    """
    runs = {
        (row["kind"], row["step_id"]): row["n"]
        for row in events.exclude(kind=EventKind.ERROR)
        .values("kind", "step_id")
        .annotate(n=Count("run", distinct=True))
    }
    funnel = Funnel(
        starts=runs.get((EventKind.START, ""), 0),
        completions=runs.get((EventKind.COMPLETE, ""), 0),
        saves=runs.get((EventKind.SAVE, ""), 0),
        resumes=runs.get((EventKind.RESUME, ""), 0),
    )
    rows = [FunnelRow("start", labels["start"], funnel.starts, "start")]
    known = set()
    for step_id, title, is_exit in steps:
        known.add(step_id)
        kind = EventKind.EXIT if is_exit else EventKind.STEP
        rows.append(
            FunnelRow(step_id, title, runs.get((kind, step_id), 0), "exit" if is_exit else "step")
        )
    # Steps of earlier revisions that still have events in the period.
    for (kind, step_id), count in sorted(runs.items()):
        if kind in (EventKind.STEP, EventKind.EXIT) and step_id not in known:
            known.add(step_id)
            rows.append(
                FunnelRow(step_id, step_id, count, "exit" if kind == EventKind.EXIT else "step")
            )
    rows.append(FunnelRow("check", labels["check"], runs.get((EventKind.CHECK, ""), 0), "check"))
    rows.append(FunnelRow("complete", labels["complete"], funnel.completions, "complete"))
    for row in rows:
        row.percent = round(100 * row.count / funnel.starts) if funnel.starts else 0
    funnel.rows = rows
    funnel.errors = [
        (row["step_id"], row["question_id"], row["n"])
        for row in events.filter(kind=EventKind.ERROR)
        .values("step_id", "question_id")
        .annotate(n=Count("id"))
        .order_by("-n", "step_id", "question_id")
    ]
    durations = list(
        events.filter(kind=EventKind.COMPLETE, seconds__isnull=False)
        .order_by()
        .values_list("run", "seconds")
        .distinct()
    )
    if durations:
        # One per report sent (a double submit records twice): the first of each run.
        per_run = {}
        for run, seconds in durations:
            per_run[run] = min(seconds, per_run.get(run, seconds))
        funnel.median_seconds = round(statistics.median(per_run.values()))
    return funnel


def journey_totals(force, since=None, until=None):
    """``{journey id: (starts, completions)}`` for ``force`` in the period."""
    totals = {}
    rows = (
        events_for(force, since=since, until=until)
        .filter(kind__in=[EventKind.START, EventKind.COMPLETE])
        .values("journey_id", "kind")
        .annotate(n=Count("run", distinct=True))
    )
    for row in rows:
        starts, completions = totals.get(row["journey_id"], (0, 0))
        if row["kind"] == EventKind.START:
            starts = row["n"]
        else:
            completions = row["n"]
        totals[row["journey_id"]] = (starts, completions)
    return totals


def purge(now=None, *, dry_run=False):
    """Delete events older than ``INSIGHT_EVENT_RETENTION_DAYS``. Returns how many (would) go."""
    days = settings.INSIGHT_EVENT_RETENTION_DAYS
    if not days:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    old = JourneyEvent.objects.filter(occurred_at__lt=cutoff)
    if dry_run:
        return old.count()
    total = 0
    while True:
        with transaction.atomic():
            ids = list(old.values_list("pk", flat=True)[:BATCH])
            if not ids:
                return total
            JourneyEvent.objects.filter(pk__in=ids).delete()
        total += len(ids)
