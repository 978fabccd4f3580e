"""On a phone-sized screen (375×667) the service navigation collapses behind a Menu button."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def context_options():
    return {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True}


def test_the_menu_button_shows_and_hides_the_navigation(page, live):
    page.goto(live.url(live.forces["met"], "/"))
    toggle = page.get_by_role("button", name="Menu")
    menu = page.locator("#navigation")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()

    toggle.tap()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("link", name="Contact us")).to_be_visible()
    toggle.tap()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()


def test_the_menu_works_by_keyboard(page, live, tab_to, focused):
    page.goto(live.url(live.forces["thames-valley"], "/"))
    tab_to(page, ".govuk-service-navigation__toggle")
    page.keyboard.press("Enter")
    menu = page.locator("#navigation")
    expect(menu).to_be_visible()
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Report a crime or incident"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    expect(menu).to_be_hidden()


def test_the_menu_button_goes_away_on_a_wide_screen(page, live):
    page.goto(live.url(live.forces["met"], "/"))
    expect(page.get_by_role("button", name="Menu")).to_be_visible()
    page.set_viewport_size({"width": 1024, "height": 768})
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.locator("#navigation")).to_be_visible()


def test_a_single_menu_item_is_not_hidden_behind_a_button(page, live):
    page.goto(live.url(live.hub, "/"))  # the hub's menu has one item
    items = page.locator("#navigation .govuk-service-navigation__link")
    assert items.count() == 1, "the hub has more menu items now: pick a one-item menu"
    expect(page.locator(".govuk-service-navigation__toggle")).to_have_count(0)
    expect(items).to_be_visible()


def test_a_phone_sized_page_is_accessible_with_the_menu_open(page, live, assert_accessible):
    page.goto(live.url(live.forces["met"], "/advice/domestic-abuse/"))
    page.get_by_role("button", name="Menu").tap()
    expect(page.locator(".govuk-exit-this-page__button")).to_be_visible()
    assert_accessible(page)
