"""Helpers for the submission and delivery tests: a force pointed at a real receiver, reports.

``submit`` needs a journey only for ``summary``, ``contact_details`` and ``evidence_ids``:
``StandInJourney`` gives those from fixed rows, so these tests do not depend on how journeys
are built from blocks.
"""

import contextlib
import socket
from datetime import timedelta

from django.db import connections
from django.utils import timezone

from demo.receiver import Receiver
from reporting.models import Draft, ReportHubPage, ReportJourneyPage
from reporting.submissions import submit

SECRET = "a-webhook-secret-for-tests"
CANARY = "Canary-7f3a9c-Zebedee"  # personal data that must never be seen outside its report


class StandInJourney:
    """What ``submit`` asks of a journey, from fixed answer rows."""

    def __init__(self, rows=None, contact=None, evidence_ids=()):
        self.rows = rows if rows is not None else answer_rows()
        self.contact = contact if contact is not None else {}
        self.ids = [str(evidence_id) for evidence_id in evidence_ids]

    def summary(self, answers):
        return self.rows

    def contact_details(self, answers):
        return self.contact

    def evidence_ids(self, answers):
        return self.ids


def answer_rows(name=CANARY, evidence=()):
    """Rows as the answer-row contract has them: text, date, a repeating group, evidence."""
    rows = [
        row("about-you", "full_name", "Your full name", "text", name, name),
        row("when", "incident_date", "Date of the incident", "date", "2026-11-25", "25 Nov 2026"),
        row(
            "vehicles",
            "vehicles",
            "Vehicles involved",
            "group",
            [
                [row("vehicles", "registration", "Registration", "registration", "AB12 CDE")],
                [row("vehicles", "registration", "Registration", "registration", "XY34 ZZZ")],
            ],
            "2 vehicles",
        ),
    ]
    if evidence:
        files = [
            {
                "evidence_id": str(item.pk),
                "filename": item.original_name,
                "content_type": item.content_type,
                "size": item.size,
            }
            for item in evidence
        ]
        display = ", ".join(item["filename"] for item in files)
        rows.append(row("evidence", "dashcam", "Dashcam footage", "evidence", files, display))
    return rows


def row(step_id, question_id, label, type_, value, display=None):
    return {
        "step_id": step_id,
        "question_id": question_id,
        "label": label,
        "type": type_,
        "value": value,
        "display": value if display is None else display,
    }


def journey_page(force, slug="test-journey", code="RTI"):
    """A published journey page on ``force``'s site, under its report hub (made if missing)."""
    home = force.site.root_page
    hub = ReportHubPage.objects.child_of(home).first()
    if hub is None:
        hub = ReportHubPage(title="Report", slug="report")
        home.add_child(instance=hub)
        hub.save_revision().publish()
    existing = ReportJourneyPage.objects.child_of(hub).filter(slug=slug).first()
    if existing is not None:
        return existing
    hub = ReportHubPage.objects.get(pk=hub.pk)  # fresh tree counters for treebeard
    page = ReportJourneyPage(
        title="Report a road traffic incident", slug=slug, code=code, summary="Test", steps=[]
    )
    hub.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_draft(force, page, answers=None, language="en", expires_in=timedelta(hours=1)):
    return Draft.objects.create(
        journey=page,
        force=force,
        revision_id=page.live_revision_id,
        language=language,
        answers=answers if answers is not None else {"full_name": CANARY},
        expires_at=timezone.now() + expires_in,
    )


def make_report(force, page=None, journey=None, draft=None, **journey_options):
    """Submit a report on ``force``'s site through ``submit``; returns the ``Submission``."""
    page = page or journey_page(force)
    draft = draft or make_draft(force, page)
    journey = journey or StandInJourney(**journey_options)
    return submit(draft=draft, journey_page=page, journey=journey, answers=draft.answers)


def configure(force, webhook_url="", secret=SECRET, reports_email=""):
    """Point ``force``'s deliveries somewhere (saved)."""
    force.webhook_url = webhook_url
    force.set_webhook_secret(secret if webhook_url else "")
    force.reports_email = reports_email
    force.save(update_fields=["webhook_url", "webhook_secret", "reports_email"])
    return force


@contextlib.contextmanager
def running_receiver(**options):
    """A ``Receiver`` on 127.0.0.1 (any free port), verifying with ``SECRET`` by default."""
    options.setdefault("secret", SECRET)
    with Receiver(**options) as receiver:
        yield receiver


def closed_port():
    """A loopback port nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Clock:
    """``timezone.now()`` frozen at the real time, moved on by ``advance``."""

    def __init__(self, monkeypatch):
        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta):
        self.now += timedelta(**delta)
        return self.now


@contextlib.contextmanager
def own_connection():
    """Point the ORM at a connection of its own, outside the test's transaction.

    What is written meanwhile is committed, for another process or thread to see; the test's
    own transaction (``db``) stays open, untouched, on the connection put back afterwards.
    Whoever uses this removes what they made.
    """
    original = connections["default"]
    fresh = connections.create_connection("default")
    connections["default"] = fresh
    try:
        yield fresh
    finally:
        fresh.close()
        connections["default"] = original
