"""The GOV.UK "Exit this page" component on sensitive pages: by mouse, by keyboard, by Shift."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SENSITIVE = "/advice/domestic-abuse/"
ON_REQUEST = "/advice/stalking/"  # not sensitive, but its editors ticked "show Exit this page"
ORDINARY = "/advice/staying-safe/"


def exit_button(page):
    return page.get_by_role("button", name="Emergency Exit this page")


def assert_exited(page, live):
    page.wait_for_url(lambda url: url.startswith(live.quick_exit_url))
    expect(page.get_by_role("heading", name="Weather")).to_be_visible()


@pytest.mark.parametrize("slug", ["met", "thames-valley"])
def test_the_exit_button_leaves_a_sensitive_page(page, live, slug):
    page.goto(live.url(live.forces[slug], SENSITIVE))
    button = exit_button(page)
    expect(button).to_be_visible()
    expect(button).to_have_attribute("href", live.quick_exit_url)
    button.click()
    assert_exited(page, live)


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_the_exit_button_works_by_keyboard(page, live, tab_to, key):
    page.goto(live.url(live.forces["met"], SENSITIVE))
    tab_to(page, ".govuk-exit-this-page__button")
    page.keyboard.press(key)
    assert_exited(page, live)


def test_pressing_shift_three_times_leaves_the_page(page, live):
    page.goto(live.url(live.forces["met"], SENSITIVE))
    status = page.locator(".govuk-exit-this-page [role=status]")
    page.keyboard.press("Shift")
    expect(status).to_have_text("Shift, press 2 more times to exit.")
    page.keyboard.press("Shift")
    expect(status).to_have_text("Shift, press 1 more time to exit.")
    page.keyboard.press("Shift")
    assert_exited(page, live)


def test_an_ordinary_page_has_no_quick_exit(page, live):
    page.goto(live.url(live.forces["met"], ORDINARY))
    expect(page.locator(".govuk-exit-this-page")).to_have_count(0)
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    assert page.url == live.url(live.forces["met"], ORDINARY)


def test_quick_exit_on_request_on_a_page_that_is_not_sensitive(page, live):
    page.goto(live.url(live.forces["met"], ON_REQUEST))
    exit_button(page).click()
    assert_exited(page, live)
