"""Finding your neighbourhood team in Chromium: by keyboard, without JavaScript, and with no
serious axe-core failure on the lookup (its answers and errors) or a neighbourhood page."""

import datetime
import re

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from forces.models import Force
from neighbourhoods.models import NeighbourhoodIndexPage, NeighbourhoodPage
from tests.browser.helpers import consent

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

TEAMS = [
    ("thames-valley", "Reading Central", "RG1 1, RG1 2"),
    ("met", "Camden Town", "NW1 7, NW1 8"),
]


def _team(title, areas):
    today = timezone.localdate()
    return NeighbourhoodPage(
        title=title,
        team_name=f"{title} Neighbourhood Policing Team",
        search_description=f"The neighbourhood team for {title}.",
        intro="<p>The town centre and the station.</p>",
        postcode_areas=areas,
        contact_email="team@example.police.uk",
        contact_note="We read emails Monday to Friday.",
        officers=[
            {"type": "officer", "value": {"name": "Priya Shah", "role": "Sergeant", "photo": None}},
            {"type": "officer", "value": {"name": "Tom Hughes", "role": "PCSO", "photo": None}},
        ],
        priorities=[
            {
                "type": "priority",
                "value": {
                    "title": "Shoplifting",
                    "description": "Patrols with store security.",
                    "set_on": today - datetime.timedelta(days=10),
                    "review_on": today + datetime.timedelta(days=80),
                },
            }
        ],
        meetings=[
            {
                "type": "meeting",
                "value": {
                    "title": "Street surgery",
                    "date": today + datetime.timedelta(days=5),
                    "start_time": datetime.time(10),
                    "end_time": datetime.time(12),
                    "place": "The library",
                    "address": "1 High Street",
                },
            }
        ],
    )


@pytest.fixture(scope="module")
def teams(browser, django_db_blocker):
    """A published neighbourhood on two forces' sites, for the server to serve; removed after.

    It depends on ``browser`` so that its ORM calls are made while Django allows them."""
    with django_db_blocker.unblock():
        created = []
        for slug, title, areas in TEAMS:
            home = Force.objects.select_related("site").get(slug=slug).site.root_page
            index = NeighbourhoodIndexPage.objects.child_of(home).get()
            page = index.add_child(instance=_team(title, areas))
            page.save_revision().publish()
            created.append(page.pk)
    yield
    with django_db_blocker.unblock():
        for pk in created:
            NeighbourhoodPage.objects.get(pk=pk).delete()


LOOKUPS = [
    "/your-area/",
    "/your-area/?postcode=",  # empty: error summary
    "/your-area/?postcode=nonsense",  # malformed
    "/your-area/?postcode=CF10+1AA",  # unknown: the 101 number
    "/your-area/?postcode=NW1+8AH",  # the Met's: which force, with a link
    "/your-area/reading-central/",
]


@pytest.mark.parametrize("path", LOOKUPS)
def test_the_lookup_and_a_neighbourhood_page_are_accessible(
    page, context, live, teams, assert_accessible, path
):
    tvp = live.forces["thames-valley"]
    consent(context, live, tvp)
    response = page.goto(live.url(tvp, path))
    assert response.status == 200
    assert_accessible(page)


def test_finding_your_team_by_keyboard(page, context, live, teams, tab_to, focused):
    tvp = live.forces["thames-valley"]
    consent(context, live, tvp)
    page.goto(live.url(tvp, "/your-area/"))
    tab_to(page, "#postcode")
    page.keyboard.type("rg1 1aa")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/your-area/reading-central/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reading Central")
    expect(page.get_by_text("Reading Central Neighbourhood Policing Team")).to_be_visible()


def test_a_mistake_by_keyboard_shows_the_error_and_leads_back_to_the_box(
    page, context, live, teams, tab_to, assert_accessible
):
    tvp = live.forces["thames-valley"]
    consent(context, live, tvp)
    page.goto(live.url(tvp, "/your-area/"))
    tab_to(page, "#postcode")
    page.keyboard.type("not a postcode")
    tab_to(page, "button.govuk-button")
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"\?postcode=not"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a real postcode, like RG1 1AA")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    tab_to(page, ".govuk-error-summary a")
    page.keyboard.press("Enter")
    expect(page.locator("#postcode")).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("NW1 8AH")
    page.keyboard.press("Enter")
    result = page.locator("#lookup-result")
    expect(result).to_contain_text("NW1 8AH is not in our area: it is covered by Metropolitan")
    tab_to(page, "#lookup-result a")
    # The other force's site is at its own address (the test server serves it on another
    # port), so the link is checked rather than followed.
    href = page.evaluate("() => document.activeElement.href")
    assert re.match(r"^http://met\.localhost(:\d+)?/your-area/camden-town/$", href), href


class TestWithoutJavaScript:
    @pytest.fixture
    def context_options(self):
        return {"viewport": {"width": 1280, "height": 900}, "java_script_enabled": False}

    def test_the_lookup_works_without_javascript(self, page, context, live, teams):
        tvp = live.forces["thames-valley"]
        consent(context, live, tvp)
        page.goto(live.url(tvp, "/your-area/"))
        page.locator("#postcode").fill("RG1 2")
        page.get_by_role("button", name="Find your team").click()
        page.wait_for_url(re.compile(r"/your-area/reading-central/$"))
        expect(page.get_by_text("Street surgery")).to_be_visible()
