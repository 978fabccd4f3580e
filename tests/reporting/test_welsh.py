"""Reporting in Welsh: the national road traffic journey, translated once, on a Welsh force."""

import html
import json
import re

from django.core import mail
from django.utils import translation

import pytest

from demo.journeys import road_traffic_incident
from forces.national import bilingual
from home.models import HubPage
from home.site_context import invalidate_site_chrome
from reporting import drafts
from reporting.delivery import webhook_payload
from reporting.models import ReportHubPage, ReportJourneyPage, Submission

pytestmark = pytest.mark.django_db

DPP = "dyfed-powys.localhost"
JOURNEY = "/cy/report/road-traffic-incident/"


@pytest.fixture(autouse=True)
def forget_welsh_sites(db, settings):
    settings.REPORT_MIN_SECONDS = 0
    settings.REPORT_RATE_LIMIT_PER_HOUR = 1000
    # Journeys are kept per revision id, and ids come round again in the test database.
    drafts.journeys.items.clear()
    yield
    # The site chrome is cached per site: forget what these tests' Welsh sites left (before
    # the rollback, while their sites can still be listed), and the language the test client
    # left active.
    invalidate_site_chrome()
    translation.activate("en")
    drafts.journeys.items.clear()


def journey_page():
    """The demo's road traffic journey, built in the active language."""
    page = ReportJourneyPage(**road_traffic_incident())
    page.steps = bilingual.stored_stream(ReportJourneyPage._meta.get_field("steps"), page.steps)
    return page


@pytest.fixture
def journey(dpp):
    """The national road traffic journey, published on the hub and translated into Welsh."""
    hub = ReportHubPage.objects.child_of(HubPage.objects.get(locale__language_code="en")).get()
    with translation.override("en"):
        page = journey_page()
    hub.add_child(instance=page)
    page.save_revision().publish()
    with translation.override("cy"):
        welsh = journey_page()
    bilingual.translate(page, welsh)
    return page


class WelshReporter:
    """A browser going through the Welsh journey on Dyfed-Powys Police's site."""

    def __init__(self, client):
        self.client = client

    def get(self, path=""):
        return self.client.get(JOURNEY + path, HTTP_HOST=DPP)

    def post(self, path, data=None):
        return self.client.post(JOURNEY + path, data or {}, HTTP_HOST=DPP)

    def answer(self, step_id, data):
        return self.post(f"step/{step_id}/", {"action": "continue", **data})


def text(response):
    return html.unescape(response.content.decode())


def location(response):
    return response["Location"].split("?")[0]


def test_a_welsh_speaker_reports_a_road_traffic_incident_in_welsh(
    client, dpp, journey, django_capture_on_commit_callbacks
):
    reporter = WelshReporter(client)
    start = text(reporter.get())
    assert '<html lang="cy"' in start
    assert ">Rhoi gwybod am ddigwyddiad traffig ffordd</h1>" in start
    assert "Dechrau nawr" in start
    assert "data-untranslated" not in start

    started = reporter.post("start/")
    assert location(started) == f"{JOURNEY}step/emergency/"

    # An error, in Welsh, from the Welsh error label.
    refused = text(reporter.answer("emergency", {}))
    assert "Mae problem wedi codi" in refused
    assert "Dewiswch ‘Ie’ os oes unrhyw un mewn perygl uniongyrchol" in refused
    assert "A oes unrhyw un mewn perygl uniongyrchol neu a oes trosedd yn digwydd nawr?" in refused

    assert location(reporter.answer("emergency", {"in_danger": "no"})).endswith(
        "step/what-happened/"
    )
    step = text(reporter.get("step/what-happened/"))
    assert "Gyrru peryglus neu ddiofal, heb wrthdrawiad" in step
    assert ">Parhau<" in step

    reporter.answer("what-happened", {"incident_type": "dangerous-driving"})
    # A month named in Welsh is understood.
    reporter.answer(
        "when",
        {
            "incident_date-day": "3",
            "incident_date-month": "mawrth",
            "incident_date-year": "2026",
            "incident_time": "14:30",
        },
    )
    reporter.answer("where", {"incident_location": "Heol y Brenin, Caerfyrddin"})
    reporter.answer(
        "vehicles",
        {
            "vehicles-count": "1",
            "vehicles-1-registration": "ab12cde",
            "vehicles-1-whose_vehicle": "other",
        },
    )
    reporter.answer("description", {"description": "Roedd y gyrrwr yn goddiweddyd ar dro."})
    reporter.answer("dashcam", {})
    reporter.answer(
        "your-details", {"your_name": "Siân Pritchard", "your_email": "sian@example.com"}
    )
    reporter.answer("contact-times", {})
    assert location(reporter.answer("declaration", {"statement_of_truth": "yes"})).endswith(
        "check-your-answers/"
    )

    check = text(reporter.get("check-your-answers/"))
    for words in (
        "Gwiriwch eich atebion cyn anfon eich adroddiad",
        "Dyddiad y digwyddiad",
        "Cerbyd 1",
        "Newid",
        "Derbyn ac anfon",
    ):
        assert words in check, words

    with django_capture_on_commit_callbacks(execute=True):
        sent = reporter.post("check-your-answers/")
    assert location(sent).endswith("/confirmation/")
    confirmation = text(reporter.get("confirmation/"))
    assert "Adroddiad wedi’i anfon" in confirmation
    assert "Eich cyfeirnod" in confirmation
    reference = re.search(r"data-reference>([A-Z0-9-]+)<", confirmation).group(1)
    assert reference.startswith("DPP-RTI-")

    submission = Submission.objects.get(reference=reference)
    assert submission.language == "cy"
    assert submission.force == dpp
    payload = webhook_payload(submission)
    assert payload["language"] == "cy"
    assert payload["journey"]["code"] == "RTI"
    assert json.dumps(payload)  # what the force's back office receives
    # The reporter's confirmation email is in Welsh, from the force's Welsh name.
    email = next(message for message in mail.outbox if message.to == ["sian@example.com"])
    assert email.subject == f"Eich adroddiad i Heddlu Dyfed-Powys: {reference}"
    assert "Diolch. Mae eich adroddiad gan Heddlu Dyfed-Powys" in email.body


def test_the_same_journey_in_english_records_english(
    client, dpp, journey, django_capture_on_commit_callbacks
):
    response = client.post("/report/road-traffic-incident/start/", HTTP_HOST=DPP)
    assert location(response) == "/report/road-traffic-incident/step/emergency/"
    step = text(client.get(location(response), HTTP_HOST=DPP))
    assert "Is anyone in immediate danger or is a crime happening now?" in step
    assert '<html lang="en"' in step


def test_an_untranslated_journey_can_be_made_in_welsh_with_english_questions(client, dpp):
    hub = ReportHubPage.objects.child_of(HubPage.objects.get(locale__language_code="en")).get()
    with translation.override("en"):
        page = journey_page()
    hub.add_child(instance=page)
    page.save_revision().publish()
    start = text(client.get(JOURNEY, HTTP_HOST=DPP))
    assert "Nid yw’r dudalen hon ar gael yn Gymraeg eto." in start
    assert "Report a road traffic incident" in start
    started = client.post(f"{JOURNEY}start/", HTTP_HOST=DPP)
    assert location(started) == f"{JOURNEY}step/emergency/"
    step = text(client.get(location(started), HTTP_HOST=DPP))
    # The journey's own words are English; the service around them is Welsh.
    assert "Is anyone in immediate danger or is a crime happening now?" in step
    assert ">Parhau<" in step


def test_the_welsh_report_hub_lists_the_journey_in_welsh(client, dpp, journey):
    hub = text(client.get("/cy/report/", HTTP_HOST=DPP))
    assert ">Rhoi gwybod am drosedd neu ddigwyddiad</h1>" in hub
    assert 'href="/cy/report/road-traffic-incident/"' in hub
    assert "Rhoi gwybod am ddigwyddiad traffig ffordd" in hub
    assert "Os oes rhywun mewn perygl uniongyrchol neu os oes trosedd yn digwydd nawr" in hub
