"""National content once, on every force site: the national library and its copies.

Checked as the public sees it (HTTP on each force's host) and as editors work (the admin), with
the national team publishing, unpublishing, deleting and moving pages in the hub's library.
"""

import time
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import Page, WorkflowState

import pytest

from demo.content import AdvicePage
from demo.seed import seed_force_content
from forces.models import Force, LocalisedPage
from forces.national.syndication import (
    ensure_national_library,
    localise,
    national_root,
    revert_to_national,
)
from forces.roles import FORCE_EDITOR, FORCE_MODERATOR, NATIONAL_EDITOR
from home.models import ContentPage, SectionPage
from tests.factories import ContentPageFactory, SectionPageFactory, editor_form

pytestmark = pytest.mark.django_db

HOSTS = ["met.localhost", "thames-valley.localhost", "hampshire.localhost"]
CSV = Path(settings.BASE_DIR) / "forces" / "data" / "forces.csv"
BUDGET = 12


@pytest.fixture(autouse=True)
def fresh_cache():
    # Site chrome is cached per site id; each test's pages are rolled back afterwards.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def library(forces):
    return national_root()


def get(client, host, path):
    return client.get(path, HTTP_HOST=host)


def html(client, host, path):
    response = get(client, host, path)
    assert response.status_code == 200, f"{host}{path}: {response.status_code}"
    return response.content.decode()


def statuses(client, path, hosts=HOSTS):
    return {host: get(client, host, path).status_code for host in hosts}


def copy_in(force, path):
    """The page at ``path`` (e.g. "advice/burglary") on ``force``'s site."""
    home = force.site.root_page
    return Page.objects.get(url_path=f"{home.url_path}{path.strip('/')}/")


def national(path):
    return Page.objects.get(url_path=f"/hub/{path.strip('/')}/").specific


def publish(page):
    page.save_revision().publish()


# --- the library on every force site ------------------------------------------------------------


def test_every_force_shows_the_library_at_advice_as_its_own(client, forces, library):
    for force in forces.values():
        advice = force.site.root_page.get_children().get(slug="advice")
        assert advice.alias_of_id == library.pk
        page = html(client, force.site.hostname, "/advice/")
        assert force.name in page
        assert "Advice on staying safe" in page
        assert 'href="/advice/"' in page  # in the site's own navigation
    # The home page's featured task still leads there, and the menu reads Report, Advice, ...
    met_home = html(client, "met.localhost", "/")
    assert 'href="/advice/"' in met_home
    menu = [page.slug for page in forces["met"].site.root_page.get_children().in_menu()]
    assert menu[:2] == ["report", "advice"]
    assert html(client, "localhost", "/advice/")


def test_a_new_national_page_appears_on_every_force_site_in_one_publish(client, forces, library):
    ContentPageFactory(parent=library, title="Protect your bike", slug="bike-theft")
    for force in forces.values():
        host = force.site.hostname
        page = html(client, host, "/advice/bike-theft/")
        assert '<h1 class="govuk-heading-xl">Protect your bike</h1>' in page
        assert force.name in page and force.primary_colour in page  # its header and theme
        assert 'href="/advice/">Advice and information</a>' in page  # breadcrumbs
        assert 'href="/advice/bike-theft/"' in html(client, host, "/advice/")
        sitemap = html(client, host, "/sitemap.xml")
        assert f"<loc>http://{host}/advice/bike-theft/</loc>" in sitemap
        api = get(client, host, "/api/v2/pages/?slug=bike-theft").json()
        assert [item["meta"]["html_url"] for item in api["items"]] == [
            f"http://{host}/advice/bike-theft/"
        ]


def test_a_new_section_arrives_whole_on_every_force(client, forces, library):
    section = SectionPageFactory(
        parent=library, title="Fraud", slug="fraud", live=False, publish=False
    )
    ContentPageFactory(parent=section, title="Romance fraud", slug="romance")
    # Published before its section: every force has it already, under a draft section.
    assert statuses(client, "/advice/fraud/romance/") == dict.fromkeys(HOSTS, 200)
    assert statuses(client, "/advice/fraud/") == dict.fromkeys(HOSTS, 404)
    ContentPageFactory(
        parent=section, title="Courier fraud", slug="courier", live=False, publish=False
    )
    publish(section)
    for host in HOSTS:
        listing = html(client, host, "/advice/fraud/")
        assert "Romance fraud" in listing and "Courier fraud" not in listing
    publish(section.get_children().get(slug="courier").specific)
    assert statuses(client, "/advice/fraud/courier/") == dict.fromkeys(HOSTS, 200)


def test_editing_a_national_page_updates_every_site(client, forces, library):
    page = ContentPageFactory(parent=library, title="Car crime", slug="car-crime")
    page.title = "Keep your car safe"
    page.body = [("paragraph", "<p>Park in well-lit places.</p>")]
    publish(page)
    for host in HOSTS:
        text = html(client, host, "/advice/car-crime/")
        assert "Keep your car safe" in text and "Park in well-lit places." in text


def test_unpublishing_hides_it_everywhere_and_republishing_brings_it_back(client, forces, library):
    page = ContentPageFactory(parent=library, slug="scams")
    localise(copy_in(forces["hampshire"], "advice/scams"), None)
    page.unpublish()
    # Localised versions too: withdrawn national advice stays up nowhere.
    assert statuses(client, "/advice/scams/") == dict.fromkeys(HOSTS, 404)
    publish(page)
    assert statuses(client, "/advice/scams/") == {
        "met.localhost": 200,
        "thames-valley.localhost": 200,
        "hampshire.localhost": 404,  # the force republishes its own version when it is ready
    }


def test_deleting_removes_it_everywhere_leaving_no_orphans(client, forces, library):
    section = SectionPageFactory(parent=library, title="Online safety", slug="online")
    ContentPageFactory(parent=section, title="Sextortion", slug="sextortion")
    met = forces["met"]
    # A Met page of its own inside the national section, and a TVP localised copy.
    ContentPageFactory(parent=copy_in(met, "advice/online"), title="Met cyber unit", slug="unit")
    localise(copy_in(forces["thames-valley"], "advice/online/sextortion"), None)
    before = Page.objects.count()

    national("advice/online").delete()

    for path in ("/advice/online/", "/advice/online/sextortion/"):
        assert statuses(client, path) == dict.fromkeys(HOSTS, 404)
    assert not Page.objects.filter(title__in=["Online safety", "Sextortion"]).exists()
    # 2 national pages and 2 copies of each on 3 forces: 8 pages gone; Met's own page is kept.
    assert Page.objects.count() == before - 8
    assert "Met cyber unit" in html(client, "met.localhost", "/advice/unit/")
    assert get(client, "thames-valley.localhost", "/advice/unit/").status_code == 404
    assert not LocalisedPage.objects.exists()


def test_moving_within_the_library_moves_it_on_every_site(client, forces, library):
    crime = SectionPageFactory(parent=library, title="Crime", slug="crime")
    safety = SectionPageFactory(parent=library, title="Safety", slug="safety")
    first = ContentPageFactory(parent=safety, title="First", slug="first")
    second = ContentPageFactory(parent=safety, title="Second", slug="second")
    page = ContentPageFactory(parent=crime, title="Knife crime", slug="knives")

    page.move(safety, pos="last-child")
    assert statuses(client, "/advice/safety/knives/") == dict.fromkeys(HOSTS, 200)
    for host in HOSTS:  # Wagtail's automatic redirects follow the copies, site by site
        response = get(client, host, "/advice/crime/knives/")
        assert response.status_code == 301
        assert response["Location"] == f"http://{host}/advice/safety/knives/"

    # Reordering is followed too: the copies keep the national order.
    Page.objects.get(pk=second.pk).move(first, pos="left")
    for force in forces.values():
        order = list(copy_in(force, "advice/safety").get_children().values_list("slug", flat=True))
        assert order == ["second", "first", "knives"], force.slug

    # Moving a page out of the library takes it off the forces' sites.
    Page.objects.get(pk=page.pk).move(library.get_parent(), pos="last-child")
    assert statuses(client, "/advice/safety/knives/") == dict.fromkeys(HOSTS, 404)
    assert not Page.objects.filter(alias_of=page).exists()


def test_a_force_onboarded_later_gets_the_whole_library(client, make_force, library):
    section = SectionPageFactory(parent=library, title="Roads", slug="roads")
    ContentPageFactory(parent=section, title="Drink driving", slug="drink-driving")
    force = make_force("dyfed-powys", "Dyfed-Powys Police", country="wales")
    text = html(client, "dyfed-powys.localhost", "/advice/roads/drink-driving/")
    assert "Drink driving" in text and "Dyfed-Powys Police" in text
    assert not ensure_national_library(force)  # already complete: nothing to change


def test_local_pages_inside_national_sections(client, forces, library):
    section = SectionPageFactory(parent=library, title="Burglary", slug="burglary")
    ContentPageFactory(parent=section, title="Lock up", slug="lock-up")
    met_section = copy_in(forces["met"], "advice/burglary")
    ContentPageFactory(parent=met_section, title="Met property marking", slug="marking")

    met = html(client, "met.localhost", "/advice/burglary/")
    assert "Lock up" in met and "Met property marking" in met
    assert "Met property marking" not in html(
        client, "thames-valley.localhost", "/advice/burglary/"
    )
    assert get(client, "thames-valley.localhost", "/advice/burglary/marking/").status_code == 404

    # National edits and new national pages leave the local page where it is.
    section.title = "Burglary and break-ins"
    publish(section)
    ContentPageFactory(parent=section, title="Alarms", slug="alarms")
    met = html(client, "met.localhost", "/advice/burglary/")
    assert "Burglary and break-ins" in met and "Alarms" in met and "Met property marking" in met

    # A national page whose slug a local page already uses beside it takes a free slug there.
    ContentPageFactory(parent=section, title="National marking advice", slug="marking")
    assert "Met property marking" in html(client, "met.localhost", "/advice/burglary/marking/")
    assert "National marking advice" in html(client, "met.localhost", "/advice/burglary/marking-1/")
    assert "National marking" in html(client, "hampshire.localhost", "/advice/burglary/marking/")


def test_a_forces_local_advice_section_becomes_the_library_keeping_its_pages(
    client, forces, library
):
    ContentPageFactory(parent=library, title="National hate crime", slug="hate-crime")
    force = forces["hampshire"]
    home = force.site.root_page
    home.get_children().get(slug="advice").delete()
    local = home.add_child(instance=SectionPage(title="Our advice", slug="advice"))
    publish(local)
    ContentPageFactory(parent=local, title="Ferry safety", slug="ferries")
    ContentPageFactory(parent=local, title="Our hate crime page", slug="hate-crime")

    assert ensure_national_library(force)
    assert not ensure_national_library(force)

    advice = Page.objects.get(pk=local.pk)
    assert advice.alias_of_id == library.pk
    page = html(client, "hampshire.localhost", "/advice/")
    assert "Advice and information" in page and "Ferry safety" in page
    assert "Ferry safety" in html(client, "hampshire.localhost", "/advice/ferries/")
    assert "Our hate crime page" in html(client, "hampshire.localhost", "/advice/hate-crime/")
    assert "National hate crime" in html(client, "hampshire.localhost", "/advice/hate-crime-1/")


def test_the_demo_puts_a_forces_advice_inside_its_copy_of_the_library(client, forces, library):
    SectionPageFactory(parent=library, title="Stalking", slug="stalking")
    ContentPageFactory(parent=library, title="National scams", slug="scams")
    body = [("paragraph", "<p>Local advice.</p>")]
    content = SimpleNamespace(
        NEWS=[],
        ADVICE=[
            AdvicePage(slug="bike-theft", title="Bike theft in London", summary="", body=body),
            AdvicePage(slug="stalking", title="Stalking: help in London", summary="", body=body),
            AdvicePage(slug="scams", title="Local scams", summary="", body=body),
        ],
    )
    assert seed_force_content(forces["met"], content) == 2
    assert seed_force_content(forces["met"], content) == 0
    assert "Bike theft in London" in html(client, "met.localhost", "/advice/bike-theft/")
    # The library has a section on the topic: the force's page goes in it, as a local page.
    assert "Stalking: help in London" in html(client, "met.localhost", "/advice/stalking/")
    assert copy_in(forces["met"], "advice/stalking/stalking").alias_of_id is None
    assert "National scams" in html(client, "met.localhost", "/advice/scams/")


def test_search_finds_a_national_article_once_per_site(forces, library):
    ContentPageFactory(parent=library, title="Catalytic converter theft", slug="catalytic")
    roots = [force.site.root_page for force in forces.values()] + [library.get_parent()]
    for root in roots:
        results = list(Page.objects.live().descendant_of(root).search("catalytic converter"))
        assert [page.url_path for page in results] == [f"{root.url_path}advice/catalytic/"]


@pytest.mark.parametrize(
    "path", ["/advice/budget/", "/advice/topic/", "/advice/topic/subtopic/deep/"]
)
def test_a_syndicated_page_renders_within_the_query_budget(client, forces, library, path):
    ContentPageFactory(parent=library, slug="budget")
    topic = SectionPageFactory(parent=library, slug="topic")
    ContentPageFactory(parent=SectionPageFactory(parent=topic, slug="subtopic"), slug="deep")
    get(client, "met.localhost", path)  # warm the caches, as on a running server
    with CaptureQueriesContext(connection) as queries:
        response = get(client, "met.localhost", path)
    assert response.status_code == 200
    assert len(queries) <= BUDGET


# --- localising and reverting -------------------------------------------------------------------


@pytest.fixture
def met_editor(forces, make_user):
    return make_user("met-editor", FORCE_EDITOR, forces["met"])


@pytest.fixture
def met_moderator(forces, make_user):
    return make_user("met-moderator", FORCE_MODERATOR, forces["met"])


@pytest.fixture
def stalking(forces, library):
    """A national page, and the Met's copy of it."""
    ContentPageFactory(
        parent=library,
        title="Stalking",
        slug="stalking",
        body=[("paragraph", "<p>National text.</p>")],
    )
    return national("advice/stalking"), copy_in(forces["met"], "advice/stalking")


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def syndication_url(name, page):
    return reverse(f"forces_syndication:{name}", args=[page.pk])


def edit_form(page, title, **actions):
    return editor_form(page, title, "<p>Local text.</p>", **actions)


def test_localise_then_national_edits_no_longer_change_it_then_revert(
    client, forces, stalking, met_editor, met_moderator
):
    national_page, met_copy = stalking
    edit_url = reverse("wagtailadmin_pages:edit", args=[met_copy.pk])
    localise_url = reverse("forces_syndication:localise", args=[met_copy.pk])
    client.force_login(met_editor)

    # The editor sees a national page, read-only, with the Localise action.
    explorer = client.get(reverse("wagtailadmin_explore", args=[met_copy.get_parent().pk]))
    assert "National" in explorer.content.decode() and localise_url in explorer.content.decode()
    editor = client.get(edit_url).content.decode()
    assert "This is a national page" in editor and localise_url in editor
    assert client.post(edit_url, edit_form(met_copy, "Changed")).status_code == 405

    assert "Yes, localise it" in client.get(localise_url).content.decode()
    assert client.post(localise_url).status_code == 302
    localised = Page.objects.get(pk=met_copy.pk).specific
    assert localised.alias_of_id is None
    record = LocalisedPage.objects.get(page=localised)
    assert record.national_page_id == national_page.pk and record.localised_by == met_editor
    assert record.national_revision_id == national_page.live_revision_id

    # The force's edits go through the force's moderation, not straight to the site.
    response = client.post(edit_url, edit_form(localised, "Stalking in London", submit="Submit"))
    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(localised.pk), status="in_progress")
    assert state.workflow.name == "Metropolitan Police Service moderation"
    assert "Stalking in London" not in html(client, "met.localhost", "/advice/stalking/")
    client.force_login(met_moderator)
    state.current_task_state.task.specific.on_action(
        state.current_task_state, met_moderator, "approve"
    )
    assert "Stalking in London" in html(client, "met.localhost", "/advice/stalking/")

    # National edits reach every force but the Met's localised page; its editors are told.
    national_page.title = "Stalking and harassment"
    publish(national_page)
    assert "Stalking and harassment" in html(client, "hampshire.localhost", "/advice/stalking/")
    met = html(client, "met.localhost", "/advice/stalking/")
    assert "Stalking in London" in met and "Local text." in met
    client.force_login(met_editor)
    editor = client.get(edit_url).content.decode()
    assert "localised version of a national page" in editor
    assert "The national page has changed since" in editor
    listing = client.get(reverse("wagtailadmin_explore", args=[met_copy.get_parent().pk]))
    assert "Localised" in listing.content.decode()

    # Reverting drops the force's version, and the change it has in moderation.
    client.post(edit_url, edit_form(localised, "Stalking: our draft", submit="Submit"))
    revert_url = reverse("forces_syndication:revert", args=[met_copy.pk])
    assert revert_url in editor
    confirmation = client.get(revert_url).content.decode()
    assert "will be lost" in confirmation and "moderation in progress" in confirmation
    assert client.post(revert_url).status_code == 302
    reverted = Page.objects.get(pk=met_copy.pk)
    assert reverted.alias_of_id == national_page.pk and reverted.url_path.endswith("/stalking/")
    assert not LocalisedPage.objects.filter(page_id=met_copy.pk).exists()
    assert not WorkflowState.objects.filter(object_id=str(met_copy.pk), status="in_progress")
    met = html(client, "met.localhost", "/advice/stalking/")
    assert "Stalking and harassment" in met and "National text." in met
    national_page.title = "Stalking"
    publish(national_page)
    assert "Stalking and harassment" not in html(client, "met.localhost", "/advice/stalking/")


def test_wagtails_convert_alias_leads_to_localise(client, stalking, met_editor):
    _national_page, met_copy = stalking
    client.force_login(met_editor)
    response = client.get(reverse("wagtailadmin_pages:convert_alias", args=[met_copy.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("forces_syndication:localise", args=[met_copy.pk])
    )


def test_revert_keeps_local_pages_under_a_localised_section(client, forces, library):
    section = SectionPageFactory(parent=library, title="Drugs", slug="drugs")
    met_section = copy_in(forces["met"], "advice/drugs")
    localise(met_section, None)
    ContentPageFactory(parent=met_section, title="County lines in London", slug="county-lines")
    ContentPageFactory(parent=section, title="Cannabis", slug="cannabis")  # still fans out
    assert "Cannabis" in html(client, "met.localhost", "/advice/drugs/")

    revert_to_national(Page.objects.get(pk=met_section.pk), None)
    page = html(client, "met.localhost", "/advice/drugs/")
    assert "County lines in London" in page and "Cannabis" in page


# --- permissions --------------------------------------------------------------------------------


def refused(response):
    """Refused: 403/404/405, or Wagtail's redirect to the admin home on a permission error."""
    if response.status_code == 302:
        return response["Location"] == reverse("wagtailadmin_home")
    return response.status_code in (403, 404, 405)


def test_force_editors_cannot_change_national_pages_or_other_forces_localised_pages(
    client, forces, stalking, met_editor, met_moderator, make_user
):
    national_page, met_copy = stalking
    tvp_copy = copy_in(forces["thames-valley"], "advice/stalking")
    hampshire_copy = copy_in(forces["hampshire"], "advice/stalking")
    localise(tvp_copy, make_user("tvp-editor", FORCE_EDITOR, forces["thames-valley"]))
    tvp_copy = Page.objects.get(pk=tvp_copy.pk).specific

    for user in (met_editor, met_moderator):
        client.force_login(user)
        attempts = {
            "edit national": client.get(edit_url(national_page)),
            "save national": client.post(
                edit_url(national_page), edit_form(national_page, "Hacked", publish="Publish")
            ),
            "edit TVP's localised": client.get(edit_url(tvp_copy)),
            "save TVP's localised": client.post(
                edit_url(tvp_copy), edit_form(tvp_copy, "Hacked", publish="Publish")
            ),
            "revert TVP's localised": client.post(syndication_url("revert", tvp_copy)),
            "localise Hampshire's": client.post(syndication_url("localise", hampshire_copy)),
            "save own national copy": client.post(
                edit_url(met_copy), edit_form(met_copy, "Hacked", publish="Publish")
            ),
            "unpublish own national copy": client.post(
                reverse("wagtailadmin_pages:unpublish", args=[met_copy.pk])
            ),
            "delete own national copy": client.post(
                reverse("wagtailadmin_pages:delete", args=[met_copy.pk])
            ),
        }
        allowed = [name for name, response in attempts.items() if not refused(response)]
        assert not allowed, f"{user.username} could {allowed}"
        bulk_unpublish = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])
        client.post(f"{bulk_unpublish}?id={met_copy.pk}")
        assert Page.objects.get(pk=met_copy.pk).live, f"{user.username} bulk-unpublished it"
    assert not Page.objects.filter(title="Hacked").exists()
    assert Page.objects.get(pk=met_copy.pk).live
    assert Page.objects.get(pk=met_copy.pk).alias_of_id == national_page.pk
    assert Page.objects.get(pk=hampshire_copy.pk).alias_of_id == national_page.pk
    assert LocalisedPage.objects.filter(page=tvp_copy).exists()


def test_a_force_editors_explorer_starts_at_their_force(client, forces, met_editor):
    client.force_login(met_editor)
    response = client.get(reverse("wagtailadmin_explore_root"))
    home = forces["met"].site.root_page
    assert response["Location"] == reverse("wagtailadmin_explore", args=[home.pk])


def test_national_editors_work_on_the_national_page_not_the_copies(
    client, forces, stalking, make_user
):
    national_page, met_copy = stalking
    editor = make_user("national", NATIONAL_EDITOR)
    client.force_login(editor)
    editor_view = client.get(edit_url(national_page))
    assert editor_view.status_code == 200
    assert "every force&#x27;s site shows it" in editor_view.content.decode()
    assert refused(client.post(syndication_url("localise", met_copy)))


# --- 43 forces ------------------------------------------------------------------------------------


def test_fan_out_to_all_43_forces(client, library, capsys):
    call_command("onboard_force", "--from-csv", str(CSV), stdout=open("/dev/null", "w"))  # noqa: SIM115
    forces = list(Force.objects.select_related("site"))
    assert len(forces) >= 43
    started = time.perf_counter()
    page = ContentPageFactory(parent=library, title="Fan-out timing", slug="fan-out")
    elapsed = time.perf_counter() - started
    assert Page.objects.filter(alias_of=page).count() == len(forces)
    for force in forces[::7]:
        assert "Fan-out timing" in html(client, force.site.hostname, "/advice/fan-out/")
    started = time.perf_counter()
    page.title = "Fan-out timing, edited"
    publish(page)
    edited = time.perf_counter() - started
    with capsys.disabled():
        print(
            f"\n[syndication] {len(forces)} forces: new national page published in "
            f"{elapsed:.2f}s, edit published in {edited:.2f}s"
        )
    assert ContentPage.objects.filter(alias_of=page, title="Fan-out timing, edited").count() == len(
        forces
    )
