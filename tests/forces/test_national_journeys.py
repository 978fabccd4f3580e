"""National reporting journeys on every force site, at ``/report/<journey>/``.

The hub's report hub is a national section like the advice library: every force's ``/report/`` is
its copy, national journeys appear there (published, edited, unpublished, moved and deleted with
the original), and a force adds its own local journeys beside them.
"""

from django.core.cache import cache
from django.urls import reverse

from wagtail.models import Page

import pytest

from forces.models import LocalisedPage
from forces.national.syndication import (
    ensure_national_library,
    localise,
    national_roots,
    revert_to_national,
)
from forces.onboarding import ensure_hub
from forces.roles import FORCE_EDITOR
from home.models import ContentPage
from reporting.models import ReportHubPage, ReportJourneyPage
from tests.reporting.journeys import emergency_steps, journey_steps, long_text, step

pytestmark = pytest.mark.django_db

HOSTS = ["met.localhost", "thames-valley.localhost", "hampshire.localhost"]


@pytest.fixture(autouse=True)
def fresh_cache():
    # Site chrome (the menu) is cached per site; each test's pages are rolled back afterwards.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def report_hub(forces):
    """The national report hub: the hub's /report/."""
    return ReportHubPage.objects.get(url_path="/hub/report/")


def add_journey(parent, title, slug, code="TST", publish=True):
    """A small journey under ``parent``, published unless ``publish`` is False."""
    steps = journey_steps(
        *emergency_steps(), step("what", long_text("what-happened", "What happened?"))
    )
    journey = parent.add_child(
        instance=ReportJourneyPage(
            title=title,
            slug=slug,
            code=code,
            summary=f"Use this to {title.lower()}.",
            steps=steps,
            live=publish,
        )
    )
    if publish:
        journey.save_revision().publish()
    return ReportJourneyPage.objects.get(pk=journey.pk)


def report_copy(force):
    return force.site.root_page.get_children().get(slug="report")


def get(client, host, path):
    return client.get(path, HTTP_HOST=host)


def html(client, host, path):
    response = get(client, host, path)
    assert response.status_code == 200, f"{host}{path}: {response.status_code}"
    return response.content.decode()


def statuses(client, path, hosts=HOSTS):
    return {host: get(client, host, path).status_code for host in hosts}


# --- the report hub on every force site -------------------------------------------------------


def test_every_force_has_the_national_report_hub_at_report(client, forces, report_hub):
    assert national_roots()[0].pk == report_hub.pk
    for force in forces.values():
        copy = report_copy(force)
        assert copy.alias_of_id == report_hub.pk
        page = html(client, force.site.hostname, "/report/")
        assert force.name in page and report_hub.title in page
        assert force.phone_non_emergency in page  # the force's own other ways to report
        menu = [page.slug for page in force.site.root_page.get_children().in_menu()]
        assert menu[:2] == ["report", "advice"]
        # The home page's featured task leads there.
        assert 'href="/report/"' in html(client, force.site.hostname, "/")
    assert html(client, "localhost", "/report/")
    hub_pages = [page.slug for page in report_hub.get_parent().get_children()]
    assert hub_pages[:2] == ["report", "advice"]


def test_a_national_journey_appears_on_every_force_site(client, forces, report_hub):
    add_journey(report_hub, "Report a road traffic incident", "road-traffic-incident", "RTI")
    for force in forces.values():
        host = force.site.hostname
        page = html(client, host, "/report/road-traffic-incident/")
        assert "Report a road traffic incident" in page and force.name in page
        assert force.primary_colour in page  # the force's theme
        assert 'href="/report/road-traffic-incident/"' in html(client, host, "/report/")
        copy = report_copy(force).get_children().get(slug="road-traffic-incident")
        assert copy.specific_class is ReportJourneyPage and copy.alias_of_id is not None
        sitemap = html(client, host, "/sitemap.xml")
        assert f"<loc>http://{host}/report/road-traffic-incident/</loc>" in sitemap


def test_edits_unpublishing_and_deletion_follow_the_national_journey(client, forces, report_hub):
    journey = add_journey(report_hub, "Report lost property", "lost-property", "LOST")
    journey.title = "Report something you have lost"
    journey.save_revision().publish()
    for host in HOSTS:
        assert "Report something you have lost" in html(client, host, "/report/lost-property/")

    localise(report_copy(forces["hampshire"]).get_children().get(slug="lost-property"), None)
    journey.unpublish()
    # Localised versions too: a withdrawn national journey stays up nowhere.
    assert statuses(client, "/report/lost-property/") == dict.fromkeys(HOSTS, 404)
    for host in HOSTS:
        assert "lost-property" not in html(client, host, "/report/")
    journey.save_revision().publish()
    assert statuses(client, "/report/lost-property/") == {
        "met.localhost": 200,
        "thames-valley.localhost": 200,
        "hampshire.localhost": 404,  # the force republishes its own version when it is ready
    }

    before = Page.objects.count()
    ReportJourneyPage.objects.get(pk=journey.pk).delete()
    assert statuses(client, "/report/lost-property/") == dict.fromkeys(HOSTS, 404)
    assert Page.objects.count() == before - 4  # the national journey and three copies
    assert not Page.objects.filter(alias_of_id=journey.pk).exists()
    assert not LocalisedPage.objects.exists()


def test_a_draft_journey_reaches_no_force_until_published(client, forces, report_hub):
    journey = add_journey(report_hub, "Report a crime", "crime", "CRM", publish=False)
    assert statuses(client, "/report/crime/") == dict.fromkeys(HOSTS, 404)
    journey.save_revision().publish()
    assert statuses(client, "/report/crime/") == dict.fromkeys(HOSTS, 200)


def test_moving_national_journeys_keeps_the_national_order_everywhere(forces, report_hub):
    add_journey(report_hub, "Report a crime", "crime", "CRM")
    add_journey(report_hub, "Report antisocial behaviour", "asb", "ASB")
    road = add_journey(report_hub, "Report a road traffic incident", "rti", "RTI")
    road.move(report_hub.get_first_child(), pos="left")
    for force in forces.values():
        order = [page.slug for page in report_copy(force).get_children()]
        assert order == ["rti", "crime", "asb"], force.slug


def test_a_forces_local_journey_stays_on_its_site_and_survives_national_changes(
    client, forces, report_hub
):
    national = add_journey(report_hub, "Report a road traffic incident", "rti", "RTI")
    met_report = report_copy(forces["met"])
    local = "Report a problem on the river"
    add_journey(met_report, local, "river", "RIV")

    listing = html(client, "met.localhost", "/report/")
    assert "Report a road traffic incident" in listing and local in listing
    assert local in html(client, "met.localhost", "/report/river/")
    assert local not in html(client, "thames-valley.localhost", "/report/")
    assert statuses(client, "/report/river/") == {
        "met.localhost": 200,
        "thames-valley.localhost": 404,
        "hampshire.localhost": 404,
    }

    # National edits, new national journeys and deletions leave the local journey where it is.
    report_hub.intro = "<p>Report online, any time.</p>"
    report_hub.save_revision().publish()
    add_journey(report_hub, "Report a crime", "crime", "CRM")
    ReportJourneyPage.objects.get(pk=national.pk).delete()
    listing = html(client, "met.localhost", "/report/")
    assert "Report online, any time." in listing
    assert "Report a crime" in listing and local in listing
    assert "Report a road traffic incident" not in listing
    assert Page.objects.get(pk=met_report.pk).alias_of_id == report_hub.pk


def test_a_national_journey_takes_a_free_slug_beside_a_local_one(client, forces, report_hub):
    add_journey(report_copy(forces["met"]), "Met's own crime report", "crime", "MCR")
    add_journey(report_hub, "Report a crime", "crime", "CRM")
    assert "Met&#x27;s own crime report" in html(client, "met.localhost", "/report/crime/")
    assert "Report a crime" in html(client, "met.localhost", "/report/crime-1/")
    assert "Report a crime" in html(client, "hampshire.localhost", "/report/crime/")


def test_localise_and_revert_a_national_journey(client, forces, report_hub):
    national = add_journey(report_hub, "Report a crime", "crime", "CRM")
    met_copy = report_copy(forces["met"]).get_children().get(slug="crime")
    localised = localise(met_copy, None)
    localised.summary = "The Met's own version."
    localised.title = "Report a crime in London"
    localised.save_revision().publish()

    national.title = "Report a crime online"
    national.save_revision().publish()
    assert "Report a crime in London" in html(client, "met.localhost", "/report/crime/")
    assert "Report a crime online" in html(client, "hampshire.localhost", "/report/crime/")

    reverted = revert_to_national(Page.objects.get(pk=met_copy.pk), None)
    assert reverted.alias_of_id == national.pk
    assert "Report a crime online" in html(client, "met.localhost", "/report/crime/")


def test_a_force_onboarded_later_gets_every_national_journey(client, make_force, report_hub):
    add_journey(report_hub, "Report antisocial behaviour", "asb", "ASB")
    force = make_force("dyfed-powys", "Dyfed-Powys Police", country="wales")
    page = html(client, "dyfed-powys.localhost", "/report/asb/")
    assert "Report antisocial behaviour" in page and "Dyfed-Powys Police" in page
    assert [page.slug for page in force.site.root_page.get_children()][:2] == ["report", "advice"]
    assert not ensure_national_library(force)  # already complete: nothing to change


def test_an_old_starter_report_page_moves_aside_for_the_report_hub(client, forces, report_hub):
    """A force onboarded before national journeys had a content page at /report/."""
    add_journey(report_hub, "Report a crime", "crime", "CRM")
    force = forces["thames-valley"]
    home = force.site.root_page
    report_copy(force).delete()
    old = home.get_first_child().add_sibling(
        pos="left",
        instance=ContentPage(
            title="Report a crime or incident",
            slug="report",
            show_in_menus=True,
            body=[("paragraph", "<p>Call 101.</p>")],
        ),
    )
    old.save_revision().publish()

    assert ensure_national_library(force)
    assert not ensure_national_library(force)

    old = ContentPage.objects.get(pk=old.pk)
    assert old.slug == f"report-{old.pk}" and not old.show_in_menus and old.live
    assert report_copy(force).alias_of_id == report_hub.pk
    assert "Report a crime" in html(client, "thames-valley.localhost", "/report/crime/")
    assert "Call 101." in html(client, "thames-valley.localhost", f"/report-{old.pk}/")
    menu = [page.slug for page in home.get_children().in_menu()]
    assert menu[:2] == ["report", "advice"] and old.slug not in menu


def test_an_existing_hub_gets_its_report_hub_and_every_force_its_copy(client, forces, report_hub):
    """Upgrading a platform onboarded before national journeys: ensure_hub adds the report hub."""
    hub = report_hub.get_parent()
    Page.objects.get(pk=report_hub.pk).delete()
    assert statuses(client, "/report/") == dict.fromkeys(HOSTS, 404)

    ensure_hub()
    ensure_hub()  # idempotent

    new_hub = ReportHubPage.objects.child_of(hub).get()
    assert new_hub.live and hub.get_first_child().pk == new_hub.pk
    for force in forces.values():
        assert report_copy(force).alias_of_id == new_hub.pk
    assert statuses(client, "/report/") == dict.fromkeys(HOSTS, 200)


# --- what a force's editors may do ------------------------------------------------------------


def test_force_editors_add_local_journeys_but_cannot_change_national_ones(
    client, forces, report_hub, make_user
):
    national = add_journey(report_hub, "Report a crime", "crime", "CRM")
    met = forces["met"]
    met_report = report_copy(met)
    met_copy = met_report.get_children().get(slug="crime")
    client.force_login(make_user("met-editor", FORCE_EDITOR, met))

    add_url = reverse(
        "wagtailadmin_pages:add", args=["reporting", "reportjourneypage", met_report.pk]
    )
    assert client.get(add_url).status_code == 200
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[met_copy.pk])).content.decode()
    assert "This is a national page" in editor
    for name in ("delete", "unpublish"):
        client.post(reverse(f"wagtailadmin_pages:{name}", args=[met_copy.pk]))
    assert Page.objects.get(pk=met_copy.pk).live
    assert Page.objects.get(pk=met_copy.pk).alias_of_id == national.pk
    # Nor the national journey itself.
    response = client.get(reverse("wagtailadmin_pages:edit", args=[national.pk]))
    assert response.status_code in (302, 403)
