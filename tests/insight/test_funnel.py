"""Journey insight: events recorded from scripted journeys over HTTP, the funnel's exact counts,
the admin report per force (and only the user's forces), its CSV, and retention."""

import csv
import io
from datetime import timedelta

from django.db import DatabaseError
from django.db.models.query import QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from forces.roles import FORCE_EDITOR, NATIONAL_EDITOR, REPORT_HANDLER
from insight.models import EventKind, JourneyEvent
from reporting.journey_builder import (
    emergency_steps,
    exit_step,
    journey_steps,
    radios,
    rule,
    short_text,
    step,
)
from reporting.models import Draft
from reporting.retention import purge
from tests.factories import JourneyClient, make_journey_page

pytestmark = pytest.mark.django_db

TVP = "thames-valley.localhost"
MET = "met.localhost"

STEPS = journey_steps(
    *emergency_steps(),
    step(
        "what",
        radios(
            "what",
            [("theft", "A theft"), ("damage", "Damage"), ("fraud", "Fraud")],
            "What happened?",
            error_label="what happened",
        ),
        title="What happened",
    ),
    exit_step(
        "fraud-exit", title="Report fraud to Action Fraud", when=rule("what", "equals", "fraud")
    ),
    step("about-you", short_text("name", "Full name", is_contact=True), title="About you"),
)


@pytest.fixture(autouse=True)
def _quick_and_unlimited(settings):
    settings.REPORT_MIN_SECONDS = 0
    settings.REPORT_RATE_LIMIT_PER_HOUR = 1000


@pytest.fixture
def journeys(forces):
    return {
        slug: make_journey_page(forces[slug], STEPS, slug="insight-test", code="INS")
        for slug in ("thames-valley", "met")
    }


def browser(host, page):
    return JourneyClient(Client(), host, page)


def go(reporter, step_id, data=None):
    """Open a step (as the redirect to it would), then answer it if ``data`` is given."""
    page = reporter.get(f"step/{step_id}/")
    assert page.status_code == 200, (step_id, page.status_code)
    if data is not None:
        return reporter.answer(step_id, data)
    return page


def send(reporter):
    assert reporter.get("check-your-answers/").status_code == 200
    response = reporter.post("check-your-answers/")
    assert response.status_code == 302 and response["Location"].endswith("/confirmation/")


def script(journeys):
    """Six people on Thames Valley's journey and one on the Met's."""
    tvp = journeys["thames-valley"]
    # 1: sends, after forgetting their name once.
    one = browser(TVP, tvp)
    one.start()
    go(one, "emergency", {"in-danger": "no"})
    go(one, "what", {"what": "theft"})
    assert go(one, "about-you", {"name": ""}).status_code == 400
    assert one.answer("about-you", {"name": "Someone"}).status_code == 302
    send(one)
    # 2: in danger: the "call 999" exit.
    two = browser(TVP, tvp)
    two.start()
    go(two, "emergency", {"in-danger": "yes"})
    go(two, "call-999")
    # 3: answers nothing, then fraud: the fraud exit.
    three = browser(TVP, tvp)
    three.start()
    go(three, "emergency", {"in-danger": "no"})
    assert go(three, "what", {}).status_code == 400
    three.answer("what", {"what": "fraud"})
    go(three, "fraud-exit")
    # 4: gives up on "About you".
    four = browser(TVP, tvp)
    four.start()
    go(four, "emergency", {"in-danger": "no"})
    go(four, "what", {"what": "damage"})
    go(four, "about-you")
    # 5: reloads the first question three times, then leaves.
    five = browser(TVP, tvp)
    five.start()
    for _ in range(3):
        go(five, "emergency")
    # 6: presses "Start now" and never arrives.
    browser(TVP, tvp).start()
    # On the Met's site: counted for the Met only.
    met = browser(MET, journeys["met"])
    met.start()
    go(met, "emergency", {"in-danger": "yes"})
    go(met, "call-999")


def funnel_of(force, page):
    from insight.admin_views import fixed_labels
    from insight.funnel import build, events_for, journey_steps

    return build(events_for(force, page.pk), journey_steps(page), fixed_labels())


def test_the_funnel_counts_a_scripted_set_of_journeys_exactly(journeys, forces):
    script(journeys)
    funnel = funnel_of(forces["thames-valley"], journeys["thames-valley"])
    counts = {row.key: row.count for row in funnel.rows}
    assert counts == {
        "start": 6,
        "emergency": 5,
        "call-999": 1,
        "what": 3,
        "fraud-exit": 1,
        "about-you": 2,
        "check": 1,
        "complete": 1,
    }
    assert [row.key for row in funnel.rows] == list(counts)  # journey order
    assert [row.key for row in funnel.exits] == ["call-999", "fraud-exit"]
    assert funnel.starts == 6 and funnel.completions == 1
    assert funnel.errors == [("about-you", "name", 1), ("what", "what", 1)]
    assert funnel.median_seconds is not None and 0 <= funnel.median_seconds < 120
    met = funnel_of(forces["met"], journeys["met"])
    assert {row.key: row.count for row in met.rows if row.count} == {
        "start": 1,
        "emergency": 1,
        "call-999": 1,
    }


def test_median_time_to_send(journeys, forces):
    from insight import events

    page = journeys["thames-valley"]
    now = timezone.now()
    for minutes in (3, 5, 40):
        draft = Draft.objects.create(
            journey=page,
            force=forces["thames-valley"],
            revision_id=page.live_revision_id,
            expires_at=now + timedelta(hours=1),
        )
        Draft.objects.filter(pk=draft.pk).update(started_at=now - timedelta(minutes=minutes))
        draft.refresh_from_db()
        events.record_completion(draft)
        events.record_completion(draft)  # a double submit counts once
    assert funnel_of(forces["thames-valley"], page).median_seconds == pytest.approx(300, abs=2)


def test_events_hold_no_personal_data(journeys):
    script(journeys)
    names = {field.name for field in JourneyEvent._meta.get_fields()}
    assert names == {
        "id",
        "occurred_at",
        "force",
        "journey",
        "kind",
        "run",
        "step_id",
        "question_id",
        "seconds",
        "language",
    }
    keys = {str(key) for key in Draft.objects.values_list("key", flat=True)}
    runs = set(JourneyEvent.objects.values_list("run", flat=True))
    assert not any(run in key.replace("-", "") for run in runs for key in keys)
    assert not JourneyEvent.objects.filter(question_id__contains="Someone").exists()


def test_recording_is_one_insert_and_never_breaks_a_journey(journeys, monkeypatch, caplog):
    reporter = browser(TVP, journeys["thames-valley"])
    reporter.start()
    with CaptureQueriesContext(__import__("django.db").db.connection) as queries:
        go(reporter, "emergency")
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "insight_journeyevent"')]
    assert len(inserts) == 1

    def broken(self, *args, **kwargs):
        if self.model is JourneyEvent:
            raise DatabaseError("events table unavailable")
        return original(self, *args, **kwargs)

    original = QuerySet.bulk_create
    monkeypatch.setattr(QuerySet, "bulk_create", broken)
    assert reporter.answer("emergency", {"in-danger": "no"}).status_code == 302
    assert go(reporter, "what", {}).status_code == 400
    assert reporter.answer("what", {"what": "theft"}).status_code == 302
    assert go(reporter, "about-you", {"name": "Someone"}).status_code == 302
    send(reporter)
    assert "A journey event was not recorded (DatabaseError)" in caplog.text


def test_old_events_are_purged_with_the_retention_run(journeys, settings, monkeypatch):
    script(journeys)
    total = JourneyEvent.objects.count()
    JourneyEvent.objects.filter(kind=EventKind.START).update(
        occurred_at=timezone.now() - timedelta(days=settings.INSIGHT_EVENT_RETENTION_DAYS + 1)
    )
    starts = 7
    assert purge(dry_run=True).journey_events == starts
    assert JourneyEvent.objects.count() == total
    assert purge().journey_events == starts
    assert JourneyEvent.objects.count() == total - starts


# --- the admin report --------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, make_user):
    def login(username, role=None, force=None, **fields):
        user = make_user(username, role, force, **fields)
        client.force_login(user)
        return client

    return login


def test_a_force_sees_its_own_funnel_only(journeys, forces, admin_client):
    script(journeys)
    tvp, met = forces["thames-valley"], forces["met"]
    client = admin_client("tvp-editor", FORCE_EDITOR, tvp)
    index = client.get(reverse("journey_insight:index"))
    assert index.status_code == 302  # one force: straight to it
    assert index["Location"].startswith(reverse("journey_insight:force", args=["thames-valley"]))
    overview = client.get(index["Location"])
    assert overview.status_code == 200
    assert "insight-test" in overview.content.decode() or "Report an incident" in (
        overview.content.decode()
    )
    own = reverse("journey_insight:journey", args=["thames-valley", journeys["thames-valley"].pk])
    page = client.get(own)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-step="fraud-exit" data-kind="exit"' in body
    for other in (
        reverse("journey_insight:force", args=["met"]),
        reverse("journey_insight:journey", args=["met", journeys["met"].pk]),
        reverse("journey_insight:journey", args=["thames-valley", journeys["met"].pk]),
        reverse("journey_insight:force", args=["no-such-force"]),
    ):
        assert client.get(other).status_code == 404, other
    assert met.pk  # the Met exists: refused all the same


def test_the_national_team_sees_every_force(journeys, forces, admin_client):
    script(journeys)
    client = admin_client("national", NATIONAL_EDITOR)
    index = client.get(reverse("journey_insight:index"))
    assert index.status_code == 200
    for force in forces.values():
        assert force.name in index.content.decode()
    met = reverse("journey_insight:journey", args=["met", journeys["met"].pk])
    assert client.get(met).status_code == 200


def test_people_without_a_force_or_national_role_are_refused(journeys, forces, admin_client):
    from django.contrib.auth.models import Permission

    client = admin_client("admin-only")
    user = client.session.get("_auth_user_id")
    from django.contrib.auth import get_user_model

    get_user_model().objects.get(pk=user).user_permissions.add(
        Permission.objects.get(codename="access_admin")
    )
    for url in (
        reverse("journey_insight:index"),
        reverse("journey_insight:force", args=["thames-valley"]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert response.status_code == 403 or "/admin/" in response["Location"]


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(reverse("journey_insight:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_csv_matches_the_table(journeys, forces, admin_client):
    script(journeys)
    client = admin_client("handler", REPORT_HANDLER, forces["thames-valley"])
    url = reverse("journey_insight:journey", args=["thames-valley", journeys["thames-valley"].pk])
    response = client.get(url, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Measure", "Step", "Question", "Count"]
    assert ["Started", "", "", "6"] in rows
    assert ["Reached step", "what", "", "3"] in rows
    assert ["Exit", "call-999", "", "1"] in rows
    assert ["Exit", "fraud-exit", "", "1"] in rows
    assert ["Reached check your answers", "", "", "1"] in rows
    assert ["Sent", "", "", "1"] in rows
    assert ["Validation errors", "about-you", "name", "1"] in rows
    assert ["Validation errors", "what", "what", "1"] in rows


def test_a_bad_period_is_explained_not_a_500(journeys, forces, admin_client):
    client = admin_client("tvp-editor", FORCE_EDITOR, forces["thames-valley"])
    url = reverse("journey_insight:force", args=["thames-valley"])
    response = client.get(url, {"from": "yesterday", "to": "2026-13-45"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter the start date as a date like 2026-03-31." in body
    assert "Enter the end date as a date like 2026-03-31." in body
    response = client.get(url, {"from": "2026-05-02", "to": "2026-05-01"})
    assert "The start date must be on or before the end date." in response.content.decode()


def test_the_period_limits_the_counts(journeys, forces, admin_client):
    script(journeys)
    JourneyEvent.objects.update(occurred_at=timezone.now() - timedelta(days=60))
    client = admin_client("tvp-editor", FORCE_EDITOR, forces["thames-valley"])
    url = reverse("journey_insight:journey", args=["thames-valley", journeys["thames-valley"].pk])
    recent = list(csv.reader(io.StringIO(client.get(url, {"format": "csv"}).content.decode())))
    assert ["Started", "", "", "0"] in recent
    then = (timezone.localdate() - timedelta(days=60)).isoformat()
    old = client.get(url, {"format": "csv", "from": then, "to": then}).content.decode()
    assert ["Started", "", "", "6"] in list(csv.reader(io.StringIO(old)))
