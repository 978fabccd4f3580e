"""Where reporting pages may go, and what the report hubs show."""

from wagtail.test.utils import WagtailPageTestCase

import pytest

from demo.seed import seed_national_journeys
from home.models import ForceHomePage, HubPage
from reporting.models import ReportHubPage, ReportJourneyPage


class ReportPageTreeTest(WagtailPageTestCase):
    def test_report_hubs_go_on_home_pages_and_hold_journeys(self):
        self.assertAllowedParentPageTypes(ReportHubPage, {HubPage, ForceHomePage})
        self.assertAllowedSubpageTypes(ReportHubPage, {ReportJourneyPage})
        self.assertAllowedParentPageTypes(ReportJourneyPage, {ReportHubPage})
        self.assertAllowedSubpageTypes(ReportJourneyPage, set())

    def test_one_report_hub_per_site(self):
        assert ReportHubPage.max_count_per_parent == 1


@pytest.mark.django_db
def test_national_journeys_are_listed_on_every_force_report_hub(hub, host_client):
    seed_national_journeys(hub)
    for host in ("thames-valley.localhost", "hampshire.localhost", "met.localhost"):
        page = host_client.get(host, "/report/").content.decode()
        assert "Report a road traffic incident" in page
        assert 'href="/report/road-traffic-incident/"' in page
        start = host_client.get(host, "/report/road-traffic-incident/")
        assert start.status_code == 200
        assert "Start now" in start.content.decode()


@pytest.mark.django_db
def test_on_the_hub_a_journey_sends_people_to_their_force(hub, client):
    seed_national_journeys(hub)
    page = client.get("/report/road-traffic-incident/", HTTP_HOST="localhost")
    assert page.status_code == 200
    assert b"Start now" not in page.content
    assert (
        client.post("/report/road-traffic-incident/start/", HTTP_HOST="localhost").status_code
        == 404
    )
