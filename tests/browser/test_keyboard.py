"""Everything works by keyboard (WCAG 2.2 AA): skip link, cookie banner, accordion, focus."""

import json
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import consent

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CONTENT = "/advice/staying-safe/"


def cookie_policy(context):
    cookies = {cookie["name"]: cookie for cookie in context.cookies()}
    return json.loads(unquote(cookies["cookies_policy"]["value"]))


def test_no_cookie_is_set_before_consent(page, context, live):
    for path in ["/", CONTENT, "/news/", "/news/burglary-appeal/", "/contact-us/", "/cookies/"]:
        page.goto(live.url(live.forces["met"], path))
        page.wait_for_load_state("networkidle")
        assert context.cookies() == [], f"{path} set a cookie before consent"


def test_the_skip_link_is_first_and_moves_focus_to_main(page, context, live, focused):
    met = live.forces["met"]
    consent(context, live, met)
    page.goto(live.url(met, CONTENT))
    expect(page.locator("[data-cookie-banner]")).to_have_count(0)

    page.keyboard.press("Tab")
    skip_link = page.locator(".govuk-skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()  # visually hidden until it has focus
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()
    # The next Tab carries on from the main content, not from the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
    assert focused(page)["text"] != skip_link.inner_text()


def test_the_cookie_banner_comes_before_the_skip_link(page, live, focused):
    # GOV.UK: the banner opens the page and the skip link follows it immediately.
    page.goto(live.url(live.forces["met"], "/"))
    order = []
    for _ in range(4):
        page.keyboard.press("Tab")
        order.append(focused(page)["text"])
    assert order == [
        "Accept analytics cookies",
        "Reject analytics cookies",
        "View cookies",
        "Skip to main content",
    ]


def test_accepting_cookies_by_keyboard(page, context, live, focused, tab_to):
    met = live.forces["met"]
    page.goto(live.url(met, "/"))
    banner = page.locator("[data-cookie-banner]")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Accept analytics cookies"
    page.keyboard.press("Enter")

    expect(banner.locator("[data-cookie-question]")).to_be_hidden()
    accepted = banner.locator("[data-cookie-accepted]")
    expect(accepted).to_be_visible()
    expect(accepted).to_contain_text("You’ve accepted additional cookies.")
    expect(accepted).to_be_focused()  # so screen readers announce the confirmation
    assert page.url == live.url(met, "/")  # handled in the page, without a reload
    assert cookie_policy(context) == {"essential": True, "analytics": True}

    tab_to(page, "[data-cookie-accepted] [data-cookie-hide]")
    page.keyboard.press("Enter")
    expect(banner).to_be_hidden()
    page.reload()
    expect(page.locator("[data-cookie-banner]")).to_have_count(0)


def test_rejecting_cookies_by_keyboard(page, context, live, tab_to):
    page.goto(live.url(live.forces["thames-valley"], CONTENT))
    tab_to(page, "button[name=analytics][value=no]")
    page.keyboard.press("Space")
    banner = page.locator("[data-cookie-banner]")
    expect(banner.locator("[data-cookie-question]")).to_be_hidden()
    expect(banner.locator("[data-cookie-rejected]")).to_be_visible()
    expect(banner.locator("[data-cookie-accepted]")).to_be_hidden()
    assert cookie_policy(context) == {"essential": True, "analytics": False}


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_the_accordion_opens_and_closes_by_keyboard(page, context, live, tab_to, key):
    met = live.forces["met"]
    consent(context, live, met)
    page.goto(live.url(met, CONTENT))
    button = page.locator(".govuk-accordion__section-button").first
    section = page.locator(f"#{button.get_attribute('aria-controls')}")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(section).to_be_hidden()

    tab_to(page, ".govuk-accordion__section-button")
    expect(button).to_be_focused()
    page.keyboard.press(key)
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(section).to_be_visible()
    expect(section).to_contain_text("Fit good locks")
    page.keyboard.press(key)
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(section).to_be_hidden()


def test_show_all_sections_by_keyboard(page, context, live, tab_to):
    met = live.forces["met"]
    consent(context, live, met)
    page.goto(live.url(met, CONTENT))
    accordion = page.locator(".govuk-accordion").first
    tab_to(page, ".govuk-accordion__show-all")
    page.keyboard.press("Enter")
    for button in accordion.locator(".govuk-accordion__section-button").all():
        expect(button).to_have_attribute("aria-expanded", "true")
    # The other accordion on the page is independent of this one.
    other = page.locator(".govuk-accordion").nth(1).locator(".govuk-accordion__section-button")
    expect(other).to_have_attribute("aria-expanded", "false")


# Every element that can take focus, in document order, with a visible focus indicator check.
FOCUSABLE = """() => {
    const selector = 'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]';
    return [...document.querySelectorAll(selector)]
        .filter(el => el.tabIndex >= 0 && el.checkVisibility({visibilityProperty: true}))
        .map((el, index) => { el.dataset.focusCheck = index; return index; });
}"""
FOCUS_STATE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    // GOV.UK styles some controls' focus on an inner element (the accordion's heading text).
    const indicated = [el, ...el.querySelectorAll('*')].some(node => {
        const style = getComputedStyle(node);
        return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
            || style.boxShadow !== 'none';
    });
    return {index: el.dataset.focusCheck ?? null, indicated, html: el.outerHTML.slice(0, 120)};
}"""


@pytest.mark.parametrize(("site", "path"), [("met", "/"), ("thames-valley", CONTENT), ("hub", "/")])
def test_tab_reaches_every_control_with_a_visible_focus_indicator(page, live, site, path):
    page.goto(live.url(live.site(site), path))
    focusable = page.evaluate(FOCUSABLE)
    reached, unindicated = [], []
    for _ in range(len(focusable) + 5):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None or (reached and state["index"] == reached[0]):
            break
        reached.append(state["index"])
        if not state["indicated"]:
            unindicated.append(state["html"])
    assert not unindicated, f"focus is not visible on: {unindicated}"
    missed = sorted(set(map(str, focusable)) - set(reached))
    assert not missed, f"Tab never reached {missed} of {len(focusable)} controls"
    assert reached == sorted(reached, key=int), "the tab order does not follow the page order"
