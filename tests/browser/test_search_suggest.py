"""Suggestions as you type in the header search box, in Chromium and by keyboard only: the ARIA
combobox pattern (Up and Down choose, Enter goes, Escape closes; Enter with nothing chosen
searches)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import consent

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SUGGESTED = re.compile(r"/(advice/staying-safe|news/burglary-appeal)/$")


@pytest.fixture
def search_box(page, context, live):
    met = live.forces["met"]
    consent(context, live, met)
    page.goto(live.url(met, "/"))
    box = page.locator("#header-search-q")
    expect(box).to_have_attribute("role", "combobox")
    box.focus()
    return box


def test_up_and_down_choose_a_suggestion_and_enter_goes_to_it(page, search_box, assert_accessible):
    search_box.press_sequentially("burg", delay=40)
    listbox = page.get_by_role("listbox", name="Suggested pages")
    expect(listbox).to_be_visible()
    expect(search_box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(2)  # the Met's burglary advice and its burglary appeal
    expect(page.get_by_role("status")).to_contain_text("2 suggested pages")
    assert_accessible(page)

    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    page.keyboard.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    chosen_id = options.nth(0).get_attribute("id")
    expect(search_box).to_have_attribute("aria-activedescendant", chosen_id)
    expect(search_box).to_be_focused()  # focus stays in the box while choosing

    page.keyboard.press("Enter")
    expect(page).to_have_url(SUGGESTED)


def test_escape_closes_the_list_and_enter_then_searches(page, search_box):
    search_box.press_sequentially("burg", delay=40)
    listbox = page.get_by_role("listbox", name="Suggested pages")
    expect(listbox).to_be_visible()

    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(search_box).to_have_attribute("aria-expanded", "false")
    expect(search_box).to_have_value("burg")

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=burg$"))
    expect(page.locator("h1")).to_be_visible()
