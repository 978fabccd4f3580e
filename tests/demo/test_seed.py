"""The demo seed: content, contacts, logos and a user for every role, idempotently."""

import datetime
import html
import json
import re
from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.utils import timezone, translation

from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Revision, Site

import pytest

from demo.content import national
from demo.seed import (
    DEMO_CONTENT,
    DEMO_FORCES,
    DEMO_PASSWORD,
    DEMO_RECEIVER_PORT,
    DEMO_USERS,
    FORCES_CSV,
    demo_logins,
    print_logins,
    seed_demo,
)
from forces.management.commands.onboard_force import csv_specs
from forces.models import Force
from forces.permissions import role_group
from forces.roles import FORCE_EDITOR, ROLES
from home.models import ContentPage, HubPage, NewsPage, SectionPage
from tests.factories import kept_for_the_module

pytestmark = pytest.mark.django_db

BODY_BLOCKS = {"heading", "paragraph", "callout", "accordion", "link_list", "contact_details"}


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """Seed once for the whole module, in a transaction rolled back after its last test.

    Each test still runs in its own savepoint (the ``db`` fixture), so a test that changes the
    demo does not affect the next. Seeding is slow enough that doing it per test would dominate.
    """
    with kept_for_the_module(django_db_blocker):
        yield seed_demo()


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once


def advice_section(root):
    return SectionPage.objects.child_of(root).get(slug="advice")


def demo_advice_pages(force):
    slugs = [advice.slug for advice in DEMO_CONTENT[force.slug].ADVICE]
    return ContentPage.objects.child_of(advice_section(force.site.root_page)).filter(slug__in=slugs)


def national_sections():
    slugs = [section.slug for section in national.SECTIONS]
    return SectionPage.objects.child_of(advice_section(HubPage.objects.get())).filter(
        slug__in=slugs
    )


def national_advice_pages():
    slugs = [advice.slug for advice in national.ADVICE]
    return ContentPage.objects.descendant_of(advice_section(HubPage.objects.get())).filter(
        slug__in=slugs
    )


def demo_pages():
    """Every page the seed writes content into: news, local advice and national advice."""
    pages = list(national_advice_pages())
    for force in Force.objects.filter(slug__in=DEMO_CONTENT):
        pages += demo_advice_pages(force)
        pages += NewsPage.objects.descendant_of(force.site.root_page)
    return pages


def text_of(value):
    """Every string in a page's raw StreamField data, joined."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return " ".join(text_of(item) for item in value)
    return ""


def internal_links(page):
    return re.findall(r'href="(/[^"]*)"', text_of(list(page.body.raw_data)))


def host(force):
    return force.site.hostname


def test_each_demo_force_has_recent_news_and_appeals(seeded, client):
    today = timezone.localdate()
    for demo in DEMO_FORCES:
        force = Force.objects.get(slug=demo.slug)
        articles = NewsPage.objects.live().descendant_of(force.site.root_page)
        assert 6 <= articles.count() <= 8, demo.slug
        assert set(articles.values_list("kind", flat=True)) == {"news", "appeal"}
        dates = list(articles.values_list("date", flat=True))
        assert all(today - datetime.timedelta(weeks=8) <= date <= today for date in dates)
        assert len(set(dates)) == len(dates), "articles should be spread over recent weeks"

        response = client.get("/news/", HTTP_HOST=host(force))
        page_html = response.content.decode()
        assert response.status_code == 200
        for article in articles:
            assert html.escape(article.title) in page_html


def test_news_bodies_have_their_dates_filled_in(seeded):
    for page in NewsPage.objects.all():
        raw = json.dumps(list(page.body.raw_data)) + page.search_description
        assert "{day_before}" not in raw
        assert "{two_days_before}" not in raw


def test_each_demo_force_has_local_advice_with_varied_blocks(seeded, client):
    for demo in DEMO_FORCES:
        force = Force.objects.get(slug=demo.slug)
        pages = list(demo_advice_pages(force).live())
        assert 3 <= len(pages) <= 4, demo.slug
        assert any(page.is_sensitive for page in pages), f"{demo.slug} has no sensitive page"
        block_types = {block.block_type for page in pages for block in page.body}
        assert block_types >= BODY_BLOCKS
        for page in pages:
            first = page.body[0]
            assert first.block_type == "callout"
            assert first.value["style"] == "warning"
            assert "call 999" in first.value["text"].source

            response = client.get(f"/advice/{page.slug}/", HTTP_HOST=host(force))
            page_html = response.content.decode()
            assert response.status_code == 200
            assert html.escape(page.title) in page_html
            assert ("Exit this page" in page_html) == page.is_sensitive, page.slug


def test_a_sensitive_met_page_shows_the_quick_exit(seeded, client):
    response = client.get("/advice/stalking-support-in-london/", HTTP_HOST="met.localhost")
    page_html = response.content.decode()
    assert response.status_code == 200
    assert "Exit this page" in page_html
    assert "National Stalking Helpline" in page_html
    assert "https://www.suzylamplugh.org/" in page_html


NATIONAL_TOPICS = {
    "burglary",
    "fraud-and-scams",
    "vehicle-crime",
    "domestic-abuse",
    "hate-crime",
    "antisocial-behaviour",
    "missing-persons",
    "road-safety",
    "cyber-crime",
    "spiking",
    "stalking-and-harassment",
}
SENSITIVE_TOPICS = {"domestic-abuse", "stalking-and-harassment", "spiking"}


def test_the_hub_has_national_advice_in_sections(seeded, client):
    sections = {section.slug: section for section in national_sections().live()}
    assert set(sections) == NATIONAL_TOPICS
    assert {slug for slug, section in sections.items() if section.is_sensitive} == (
        SENSITIVE_TOPICS
    )
    pages = list(national_advice_pages().live())
    assert len(pages) >= 20
    for section in sections.values():
        assert section.intro
        assert section.search_description
        articles = ContentPage.objects.child_of(section).live()
        assert articles.count() >= 2, section.slug
        if section.is_sensitive:
            assert all(article.is_sensitive for article in articles), section.slug

        response = client.get(f"/advice/{section.slug}/", HTTP_HOST="localhost")
        page_html = response.content.decode()
        assert response.status_code == 200
        assert ("govuk-exit-this-page" in page_html) == section.is_sensitive, section.slug
        for article in articles:
            assert html.escape(article.title) in page_html

    response = client.get("/advice/domestic-abuse/", HTTP_HOST="localhost")
    assert "0808 2000 247" in response.content.decode()


def test_national_articles_are_written_for_every_force(seeded, client):
    pages = list(national_advice_pages().live())
    assert any(page.is_sensitive for page in pages)
    assert any(not page.is_sensitive for page in pages)
    block_types = {block.block_type for page in pages for block in page.body}
    assert block_types >= BODY_BLOCKS
    hub = Site.objects.get(is_default_site=True)
    force_names = {name for force in Force.objects.all() for name in (force.name, force.short_name)}
    for page in pages:
        assert page.search_description, page.slug
        first = page.body[0]
        assert first.block_type == "callout"
        assert first.value["style"] == "warning"
        assert "call 999" in first.value["text"].source
        text = " ".join([page.title, page.search_description, text_of(list(page.body.raw_data))])
        assert not [name for name in force_names if name in text], page.slug

        path = page.relative_url(hub)
        assert path.startswith("/advice/"), path
        response = client.get(path, HTTP_HOST="localhost")
        page_html = response.content.decode()
        assert response.status_code == 200, path
        assert html.escape(page.title) in page_html
        assert ("govuk-exit-this-page" in page_html) == page.is_sensitive, page.slug


def test_sensitive_national_articles_show_the_quick_exit(seeded, client):
    for path, phone in [
        ("/advice/domestic-abuse/getting-help-and-staying-safe/", "0808 2000 247"),
        ("/advice/stalking-and-harassment/recognising-stalking-and-harassment/", "0808 802 0300"),
        ("/advice/spiking/if-you-think-you-have-been-spiked/", "0808 500 2222"),
        ("/advice/missing-persons/if-you-have-run-away-or-gone-missing/", "116 000"),
        ("/advice/hate-crime/support-if-you-have-been-targeted/", "0808 168 9111"),
    ]:
        response = client.get(path, HTTP_HOST="localhost")
        page_html = response.content.decode()
        assert response.status_code == 200, path
        assert "govuk-exit-this-page" in page_html, path
        assert phone in page_html, path
    burglary = client.get(
        "/advice/burglary/protect-your-home-from-burglary/", HTTP_HOST="localhost"
    )
    assert burglary.status_code == 200
    assert "govuk-exit-this-page" not in burglary.content.decode()


def test_links_between_national_articles_lead_to_real_pages(seeded, client):
    paths = {path for page in national_advice_pages() for path in internal_links(page)}
    advice_paths = {path for path in paths if path.startswith("/advice/")}
    assert advice_paths
    for path in advice_paths:
        assert client.get(path, HTTP_HOST="localhost").status_code == 200, path


def test_links_within_force_content_lead_to_real_pages(seeded, client):
    for demo in DEMO_FORCES:
        force = Force.objects.get(slug=demo.slug)
        pages = [*demo_advice_pages(force), *NewsPage.objects.descendant_of(force.site.root_page)]
        paths = {path for page in pages for path in internal_links(page)}
        assert paths, demo.slug
        for path in paths:
            assert client.get(path, HTTP_HOST=host(force)).status_code == 200, (demo.slug, path)


def test_every_demo_page_body_is_valid(seeded):
    pages = demo_pages()
    assert len(pages) >= 30
    for page in pages:
        page.body.stream_block.clean(page.body)


def test_no_placeholder_text_anywhere(seeded):
    for page in demo_pages():
        text = " ".join(
            [page.title, page.search_description, json.dumps(list(page.body.raw_data))]
        ).lower()
        assert "lorem" not in text, page.url_path
        assert "ipsum" not in text, page.url_path


def test_demo_forces_get_contact_details_and_a_logo(seeded, client):
    for demo in DEMO_FORCES:
        force = Force.objects.select_related("logo", "collection").get(slug=demo.slug)
        assert force.primary_colour == demo.primary_colour
        assert force.email.endswith(".example.police.uk")
        assert force.address
        assert len(force.social_links) == 4
        assert force.logo is not None
        assert force.logo.collection == force.collection
        assert (force.logo.width, force.logo.height) == (160, 192)

        response = client.get("/", HTTP_HOST=host(force))
        page_html = response.content.decode()
        assert response.status_code == 200
        assert "solh-header__logo" in page_html
        assert demo.facebook_url in page_html
        assert html.escape(demo.address.splitlines()[1]) in page_html


def test_a_demo_user_holds_each_role(seeded):
    user_model = get_user_model()
    roles_held = set()
    for demo_user in DEMO_USERS:
        user = user_model.objects.get(username=demo_user.username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.first_name and user.last_name
        assert user.email == f"{demo_user.username}@example.com"
        if demo_user.role is None:
            assert user.is_superuser
            assert not user.groups.exists()
            continue
        assert not user.is_superuser
        mapping = user.groups.get().role
        assert mapping.role == demo_user.role
        assert (mapping.force.slug if mapping.force else None) == demo_user.force_slug
        roles_held.add(demo_user.role)
    assert roles_held == set(ROLES)


def test_the_demo_password_passes_the_password_validators(seeded):
    for user in get_user_model().objects.filter(username__in=[u.username for u in DEMO_USERS]):
        validate_password(DEMO_PASSWORD, user)


def test_demo_users_can_sign_in_to_the_admin(seeded, client):
    # Through the sign-in page: django-axes checks every sign-in against its request.
    response = client.post(
        "/admin/login/",
        {"username": "met-editor", "password": DEMO_PASSWORD},
        HTTP_HOST="localhost",
    )
    assert response.status_code == 302
    response = client.get("/admin/", HTTP_HOST="localhost")
    assert response.status_code == 200


def snapshot():
    user_model = get_user_model()
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "collections": Collection.objects.count(),
        "groups": Group.objects.count(),
        "forces": list(Force.objects.values()),
        "users": list(user_model.objects.order_by("username").values()),
        "memberships": list(
            user_model.groups.through.objects.order_by("user_id", "group_id").values_list(
                "user_id", "group_id"
            )
        ),
    }


# The Welsh demo force, on the module's one seed (a seed of its own cost about 26 s).
DPP = "dyfed-powys.localhost"
NOTE = "Nid yw’r dudalen hon ar gael yn Gymraeg eto"


def page_text(client, host, path):
    return html.unescape(client.get(path, HTTP_HOST=host).content.decode())


def test_the_demo_seeds_dyfed_powys_in_english_and_welsh(seeded, client):
    assert ("Dyfed-Powys Police", "http://dyfed-powys.localhost") in seeded.sites
    dpp = Force.objects.get(slug="dyfed-powys")
    assert dpp.language_codes == ["en", "cy"] and dpp.welsh_name == "Heddlu Dyfed-Powys"
    assert dpp.webhook_url == f"http://127.0.0.1:{DEMO_RECEIVER_PORT}/dyfed-powys/"
    assert dpp.logo is not None
    assert role_group(FORCE_EDITOR, dpp).user_set.filter(username="dpp-editor").exists()

    try:
        # Translated national advice, in Welsh on the Welsh site, with links kept in Welsh.
        article = page_text(
            client, DPP, "/cy/advice/road-safety/report-dangerous-driving-and-road-incidents/"
        )
        assert ">Rhoi gwybod am yrru peryglus a digwyddiadau ar y ffordd</h1>" in article
        assert '<a href="/cy/report/">rhowch wybod ar-lein</a>' in article
        assert NOTE not in article
        for path in (
            "/cy/advice/road-safety/",
            "/cy/advice/road-safety/stay-safe-on-the-roads/",
            "/cy/advice/spiking/what-spiking-is-and-the-signs/",
        ):
            page = page_text(client, DPP, path)
            assert NOTE not in page, path
            assert '<html lang="cy"' in page, path
        # The rest of the library falls back to English there.
        assert NOTE in page_text(
            client, DPP, "/cy/advice/burglary/protect-your-home-from-burglary/"
        )
        # The road traffic journey is in Welsh; the others are not yet.
        journey = page_text(client, DPP, "/cy/report/road-traffic-incident/")
        assert ">Rhoi gwybod am ddigwyddiad traffig ffordd</h1>" in journey
        assert NOTE in page_text(client, DPP, "/cy/report/crime/")
        # English-only demo forces are untouched.
        assert client.get("/cy/", HTTP_HOST="met.localhost").status_code == 404
        assert "Stay safe on the roads" in page_text(
            client, "met.localhost", "/advice/road-safety/stay-safe-on-the-roads/"
        )
    finally:
        translation.activate("en")  # the language the Welsh pages left active


def test_seeding_twice_changes_nothing(seeded):
    before = snapshot()
    result = seed_demo()
    assert snapshot() == before
    assert (result.pages_created, result.users_created, result.logos_created) == (0, 0, 0)


def test_reseeding_leaves_editors_changes_alone(seeded):
    page = NewsPage.objects.get(slug="stolen-bikes-recovered-hackney")
    page.title = "Recovered bikes: 50 now returned to their owners"
    page.save_revision().publish()
    seed_demo()
    page.refresh_from_db()
    assert page.title == "Recovered bikes: 50 now returned to their owners"
    assert NewsPage.objects.filter(slug="stolen-bikes-recovered-hackney").count() == 1


def test_the_command_prints_the_demo_sites(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    output = out.getvalue()
    assert "Demo ready" in output
    for address in ("http://localhost/", "http://met.localhost/", "http://hampshire.localhost/"):
        assert address in output
    assert DEMO_PASSWORD in output


def test_all_forces_onboards_every_force_in_the_csv(db, tmp_path, monkeypatch):
    # Onboarding all 43 forces takes a while; a short CSV exercises the same path.
    forces_csv = tmp_path / "forces.csv"
    forces_csv.write_text(
        "slug,name,short_name,country,welsh_name\n"
        "kent,Kent Police,KENT,England,\n"
        "met,Metropolitan Police Service,MPS,England,\n"
        "gwent,Gwent Police,GWENT,Wales,Heddlu Gwent\n"
    )
    monkeypatch.setattr("demo.seed.FORCES_CSV", forces_csv)
    out = StringIO()
    call_command("seed_demo", "--all-forces", stdout=out)
    output = out.getvalue()
    assert "[1/3] Kent Police (http://kent.localhost): created" in output
    assert "[2/3] Metropolitan Police Service (http://met.localhost): unchanged" in output
    assert "[3/3] Gwent Police (http://gwent.localhost): created" in output
    assert set(Force.objects.values_list("slug", flat=True)) >= {"kent", "gwent", "met"}
    # The demo forces keep their demo colours and content.
    met = Force.objects.get(slug="met")
    assert met.primary_colour == "#00205b"
    assert NewsPage.objects.descendant_of(met.site.root_page).count() == len(
        DEMO_CONTENT["met"].NEWS
    )


def test_the_forces_csv_lists_all_43_forces_including_the_demo_forces():
    specs = csv_specs(FORCES_CSV, "localhost")
    slugs = {spec.slug for spec in specs}
    assert len(slugs) == 43
    assert {demo.slug for demo in DEMO_FORCES} <= slugs
    names = {spec.slug: spec.name for spec in specs}
    assert all(names[demo.slug] == demo.name for demo in DEMO_FORCES)


def test_logins_table_lists_every_user_in_aligned_columns():
    out = StringIO()
    print_logins(out)
    lines = out.getvalue().splitlines()
    header = lines[0]
    assert header.startswith("Username")
    assert len(lines) == len(DEMO_USERS) + 2
    role_column = header.index("Role")
    force_column = header.index("Force")
    for line, (username, role, force, _ability) in zip(lines[2:], demo_logins(), strict=True):
        assert line.startswith(username + " ")
        assert line[role_column:].startswith(role + " ")
        assert line[force_column:].startswith(force + " ")
    assert {row[2] for row in demo_logins()} >= {"national", "Thames Valley Police"}
