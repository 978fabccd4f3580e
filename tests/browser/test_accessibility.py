"""axe-core finds no serious or critical WCAG 2.2 A/AA failure on the pages people use most."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

FORCE_PAGES = [
    ("/", 200),
    ("/advice/", 200),
    ("/advice/staying-safe/", 200),  # every body block type, two accordions
    ("/advice/domestic-abuse/", 200),  # with "Exit this page"
    ("/news/", 200),
    ("/news/burglary-appeal/", 200),
    ("/contact-us/", 200),
]
PAGES = [
    *[("met", path, status) for path, status in FORCE_PAGES],
    *[("thames-valley", path, status) for path, status in FORCE_PAGES],
    ("met", "/cookies/", 200),
    ("met", "/no-such-page/", 404),
    ("met", "/search/?q=burglary", 200),  # results
    ("met", "/search/?q=zzqqxx", 200),  # no results
    ("met", "/search/?q=", 200),  # error summary
    ("hub", "/", 200),
    ("hub", "/advice/", 200),
    ("hub", "/accessibility-statement/", 200),
    ("hub", "/cookies/", 200),
    ("hub", "/no-such-page/", 404),
]


@pytest.mark.parametrize(("site", "path", "status"), PAGES, ids=[f"{s}{p}" for s, p, _ in PAGES])
def test_page_has_no_serious_accessibility_violation(
    page, live, assert_accessible, site, path, status
):
    response = page.goto(live.url(live.site(site), path))
    assert response.status == status
    assert_accessible(page)
    duplicated = page.evaluate(
        """() => {
            const seen = new Set(), twice = new Set();
            for (const el of document.querySelectorAll('[id]')) {
                (seen.has(el.id) ? twice : seen).add(el.id);
            }
            return [...twice];
        }"""
    )
    assert not duplicated, f"ids used more than once: {duplicated}"


def test_pages_stay_accessible_once_cookies_are_accepted_and_sections_open(
    page, live, assert_accessible
):
    page.goto(live.url(live.forces["met"], "/advice/staying-safe/"))
    page.get_by_role("button", name="Accept analytics cookies").click()
    page.locator(".govuk-accordion__show-all").first.click()
    assert_accessible(page)
