"""Save and come back later, and feedback, in Welsh on a bilingual force (``/cy/``)."""

import re

from django.core import mail
from django.test import Client
from django.utils import translation

import pytest

from demo.journeys import road_traffic_incident
from feedback.models import Feedback, Kind
from forces.national import bilingual
from home.models import HubPage
from home.site_context import invalidate_site_chrome
from insight.models import JourneyEvent
from reporting import drafts
from reporting.models import ReportHubPage, ReportJourneyPage
from tests.factories import rural_crime_page, translate_rural_crime

pytestmark = pytest.mark.django_db

DPP = "dyfed-powys.localhost"
JOURNEY = "/cy/report/road-traffic-incident/"


@pytest.fixture(autouse=True)
def _welsh_sites(db, settings):
    settings.REPORT_MIN_SECONDS = 0
    settings.REPORT_RATE_LIMIT_PER_HOUR = 1000
    drafts.journeys.items.clear()  # revision ids come round again in the test database
    yield
    invalidate_site_chrome()
    translation.activate("en")
    drafts.journeys.items.clear()


def _journey_page():
    page = ReportJourneyPage(**road_traffic_incident())
    page.steps = bilingual.stored_stream(ReportJourneyPage._meta.get_field("steps"), page.steps)
    return page


@pytest.fixture
def journey(dpp):
    hub = ReportHubPage.objects.child_of(HubPage.objects.get(locale__language_code="en")).get()
    with translation.override("en"):
        page = _journey_page()
    hub.add_child(instance=page)
    page.save_revision().publish()
    with translation.override("cy"):
        welsh = _journey_page()
    bilingual.translate(page, welsh)
    return page


def test_a_welsh_reporter_saves_and_comes_back_in_welsh(
    client, journey, django_capture_on_commit_callbacks
):
    assert client.post(f"{JOURNEY}start/", HTTP_HOST=DPP).status_code == 302
    client.get(f"{JOURNEY}step/emergency/", HTTP_HOST=DPP)
    client.post(
        f"{JOURNEY}step/emergency/", {"action": "continue", "in_danger": "no"}, HTTP_HOST=DPP
    )
    step = client.get(f"{JOURNEY}step/emergency/", HTTP_HOST=DPP).content.decode()
    assert "Cadw a dod yn ôl yn nes ymlaen" in step
    page = client.get(f"{JOURNEY}save/", HTTP_HOST=DPP)
    assert page.status_code == 200
    assert "Anfon dolen ataf" in page.content.decode()
    refused = client.post(f"{JOURNEY}save/", {"email": "nonsense"}, HTTP_HOST=DPP)
    assert "Rhowch gyfeiriad e-bost yn y fformat cywir" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(f"{JOURNEY}save/", {"email": "cymro@example.org"}, HTTP_HOST=DPP)
    assert "Mae eich adroddiad wedi’i gadw" in saved.content.decode()
    message = mail.outbox[0]
    assert message.subject == "Eich adroddiad a gadwyd i Heddlu Dyfed-Powys"
    assert "nid yw’r e-bost hwn yn cynnwys unrhyw un o’ch atebion" in message.body
    match = re.search(
        r"http://dyfed-powys\.localhost(/cy/report/[^\s]+/resume/)\?token=(\S+)", message.body
    )
    assert match, message.body
    path, token = match.groups()
    other = Client()
    landing = other.get(f"{path}?token={token}", HTTP_HOST=DPP)
    assert "Parhau â’ch adroddiad" in landing.content.decode()
    resumed = other.post(path, {"token": token}, HTTP_HOST=DPP)
    assert resumed.status_code == 302 and resumed["Location"].startswith("/cy/report/")
    used = Client().post(path, {"token": token}, HTTP_HOST=DPP)
    assert "Ni ellir defnyddio’r ddolen hon" in used.content.decode()
    assert set(JourneyEvent.objects.values_list("language", flat=True)) == {"cy"}


def test_welsh_pages_ask_in_welsh_and_feedback_is_kept_in_welsh(client, dpp):
    page = rural_crime_page(dpp.site.root_page.get_children().get(slug="advice"))
    translation.activate("en")
    translate_rural_crime(page)
    welsh = client.get("/cy/advice/rural-crime/", HTTP_HOST=DPP)
    body = welsh.content.decode()
    assert "A yw’r dudalen hon yn ddefnyddiol?" in body
    assert 'action="/cy/feedback/page/"' in body
    welsh_page = page.get_translation(page.locale.__class__.objects.get(language_code="cy"))
    response = client.post(
        "/cy/feedback/page/", {"page": welsh_page.pk, "useful": "no"}, HTTP_HOST=DPP
    )
    assert response.status_code == 303 and response["Location"].startswith("/cy/feedback/")
    thanks = client.get(response["Location"], HTTP_HOST=DPP).content.decode()
    assert "Diolch am eich adborth" in thanks and "Beth aeth o’i le?" in thanks
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.language, feedback.force) == (Kind.NOT_USEFUL, "cy", dpp)
