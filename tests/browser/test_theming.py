"""Each site shows its own force's name and theme, and nothing of another force."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PAGES = [("/", "home"), ("/advice/staying-safe/", "content")]


@pytest.mark.parametrize(("path", "kind"), PAGES, ids=[kind for _path, kind in PAGES])
@pytest.mark.parametrize(("slug", "other"), [("met", "thames-valley"), ("thames-valley", "met")])
def test_force_page_shows_its_own_name_and_colour(page, live, slug, other, path, kind):
    force, other_force = live.forces[slug], live.forces[other]
    response = page.goto(live.url(force, path))
    assert response.status == 200

    header = page.locator(".solh-header")
    expect(header.locator(".solh-header__name")).to_have_text(force.name)
    expect(header).to_have_css("background-color", force.primary_rgb)
    expect(page).to_have_title(re.compile(re.escape(force.name)))
    if kind == "content":
        # The force's contact details block names the force, in the force's own theme.
        expect(page.get_by_role("heading", name=f"Contact {force.name}")).to_be_visible()
    assert other_force.name not in page.content(), f"{other_force.name} leaked onto {path}"


def test_the_hub_has_the_national_name_and_colour(page, live):
    page.goto(live.url(live.hub))
    header = page.locator(".solh-header")
    expect(header.locator(".solh-header__name")).to_have_text(live.hub.name)
    expect(header).to_have_css("background-color", live.hub.primary_rgb)
    # The hub lists every force and links to each force's own site.
    for force in live.forces.values():
        link = page.get_by_role("link", name=force.name, exact=True)
        expect(link).to_have_attribute("href", re.compile(rf"^http://{re.escape(force.host)}"))
