"""Save and come back later, and the feedback component, in Chromium by keyboard with axe-core,
in English (Thames Valley) and in Welsh (Dyfed-Powys, on a server of its own).

The emailed link is rebuilt here from the ``SavedDraftLink`` the server stored (its token is the
link's id signed with the test settings' ``SECRET_KEY``): the server's email goes to its own
memory.
"""

import json
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from reporting.models import SavedDraftLink
from reporting.save_and_return import token_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CONTINUE = ".govuk-button-group button[name=action][value=continue]"
ADDRESS = "keyboard.saver@example.org"


@pytest.fixture(scope="module", autouse=True)
def _forget_what_the_server_stored(browser, django_db_blocker):
    """Feedback and journey events the server stored go when these tests are done, so later
    database tests in this process start from the session's state."""
    yield
    from feedback.models import Feedback
    from insight.models import JourneyEvent

    with django_db_blocker.unblock():
        Feedback.objects.all().delete()
        JourneyEvent.objects.all().delete()


def consent(context, url):
    policy = quote(json.dumps({"essential": True, "analytics": False}))
    context.add_cookies([{"name": "cookies_policy", "value": policy, "url": url}])


def press(page, key="Enter"):
    with page.expect_navigation():
        page.keyboard.press(key)


def skip_to_main(page):
    page.keyboard.press("Tab")
    expect(page.locator(".govuk-skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def arrive(page, route):
    page.wait_for_url(re.compile(rf"/report/[^/]+/{re.escape(route)}(\?.*)?$"))


def type_into(page, tab_to, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


def save_by_keyboard(page, tab_to, assert_accessible, texts):
    """From a step: the save link, the address, the button; ends on "saved"."""
    tab_to(page, "a[data-save-link]")
    expect(page.locator(":focus")).to_have_text(texts["save_link"])
    press(page)
    arrive(page, "save/")
    assert_accessible(page)
    skip_to_main(page)
    # An address that is not one: the error summary, linked to the field.
    type_into(page, tab_to, "#email", "not an address")
    tab_to(page, "form button[type=submit]")
    press(page)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_be_focused()  # GOV.UK Frontend moves it
    assert_accessible(page)
    tab_to(page, ".govuk-error-summary a[href='#email']")
    page.keyboard.press("Enter")
    expect(page.locator("#email")).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(ADDRESS)
    tab_to(page, "form button[type=submit]")
    press(page)
    expect(page.locator(".govuk-panel__title")).to_have_text(texts["saved"])
    assert_accessible(page)


def resume_by_keyboard(context, url, tab_to, assert_accessible, texts):
    """On another device: open the link, press the button by keyboard."""
    page = context.new_page()
    response = page.goto(url)
    assert response.status == 200
    assert response.headers["referrer-policy"] == "strict-origin"
    assert_accessible(page)
    skip_to_main(page)
    tab_to(page, "main form button[type=submit]")
    expect(page.locator(":focus")).to_have_text(texts["continue"])
    press(page)
    return page


def resume_url(base, journey_path):
    link = SavedDraftLink.objects.order_by("-created_at").first()
    assert link is not None, "the server stored no saved link"
    return f"{base}{journey_path}resume/?token={token_for(link)}"


ENGLISH = {
    "save_link": "Save and come back later",
    "saved": "Your report has been saved",
    "continue": "Continue your report",
    "saved_until": "Your answers are saved until",
    "used": "This link cannot be used",
    "useful": "Is this page useful?",
    "no": "No this page is not useful",
    "thanks": "Thank you for your feedback",
}
WELSH = {
    "save_link": "Cadw a dod yn ôl yn nes ymlaen",
    "saved": "Mae eich adroddiad wedi’i gadw",
    "continue": "Parhau â’ch adroddiad",
    "saved_until": "Mae eich atebion wedi’u cadw tan",
    "used": "Ni ellir defnyddio’r ddolen hon",
    "useful": "A yw’r dudalen hon yn ddefnyddiol?",
    "no": "Na nid yw’r dudalen hon yn ddefnyddiol",
    "thanks": "Diolch am eich adborth",
}


def journey_to_second_step(page, tab_to, start_url):
    page.goto(start_url)
    skip_to_main(page)
    tab_to(page, ".govuk-button--start")
    press(page)
    arrive(page, "step/emergency/")
    skip_to_main(page)
    tab_to(page, "#in_danger")
    page.keyboard.press("ArrowDown")  # No
    expect(page.locator("#in_danger-2")).to_be_checked()
    tab_to(page, CONTINUE)
    press(page)
    arrive(page, "step/what-happened/")


# --- English ---------------------------------------------------------------------------------


def test_save_and_come_back_on_another_device_by_keyboard(
    browser, context, live, report_journey, tab_to, assert_accessible, django_db_blocker
):
    site = live.forces["thames-valley"]
    journey_path = f"/report/{report_journey}/"
    consent(context, live.url(site))
    page = context.new_page()
    journey_to_second_step(page, tab_to, live.url(site, journey_path))
    save_by_keyboard(page, tab_to, assert_accessible, ENGLISH)
    with django_db_blocker.unblock():
        url = resume_url(live.url(site, ""), journey_path)

    other_device = browser.new_context()
    try:
        consent(other_device, live.url(site))
        resumed = resume_by_keyboard(other_device, url, tab_to, assert_accessible, ENGLISH)
        arrive(resumed, "step/what-happened/")
        expect(resumed.locator("[data-saved-until]")).to_contain_text(ENGLISH["saved_until"])
        assert_accessible(resumed)
        # Used once: opening it again says so, in plain words.
        again = other_device.new_page()
        assert again.goto(url).status == 410
        expect(again.get_by_role("heading", level=1)).to_have_text(ENGLISH["used"])
        assert_accessible(again)
    finally:
        other_device.close()


def test_is_this_page_useful_by_keyboard(page, context, live, tab_to, assert_accessible):
    site = live.forces["thames-valley"]
    consent(context, live.url(site))
    response = page.goto(live.url(site, "/advice/staying-safe/"))
    assert response.status == 200
    expect(page.locator("#feedback-question")).to_have_text(ENGLISH["useful"])
    assert_accessible(page)
    tab_to(page, "button[name=useful][value=no]", limit=80)
    expect(page.locator(":focus")).to_have_accessible_name(ENGLISH["no"])
    press(page)
    expect(page.locator(".govuk-panel__title")).to_have_text(ENGLISH["thanks"])
    assert_accessible(page)
    skip_to_main(page)
    type_into(page, tab_to, "#comment", "The page does not say what to do about sheds.")
    tab_to(page, "main form button[type=submit]")
    press(page)
    expect(page.locator(".govuk-panel__title")).to_have_text(ENGLISH["thanks"])
    assert_accessible(page)


# --- Welsh, on a copy of the test database (``welsh_site``, conftest.py) -------------------------


def test_save_and_come_back_in_welsh_by_keyboard(
    browser, context, welsh_site, report_journey, tab_to, assert_accessible
):
    journey_path = f"/cy/report/{report_journey}/"
    consent(context, welsh_site.url)
    page = context.new_page()
    response = page.goto(f"{welsh_site.url}{journey_path}")
    assert response.status == 200, welsh_site.log()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    journey_to_second_step(page, tab_to, f"{welsh_site.url}{journey_path}")
    save_by_keyboard(page, tab_to, assert_accessible, WELSH)
    assert "token=" not in welsh_site.log()  # runserver's request lines lose their query

    from django.core import signing

    from reporting.save_and_return import TOKEN_SALT

    token = signing.Signer(salt=TOKEN_SALT).sign(welsh_site.saved_link_id().hex)
    url = f"{welsh_site.url}{journey_path}resume/?token={token}"
    other_device = browser.new_context()
    try:
        consent(other_device, welsh_site.url)
        resumed = resume_by_keyboard(other_device, url, tab_to, assert_accessible, WELSH)
        arrive(resumed, "step/what-happened/")
        expect(resumed.locator("[data-saved-until]")).to_contain_text(WELSH["saved_until"])
        again = other_device.new_page()
        assert again.goto(url).status == 410
        expect(again.get_by_role("heading", level=1)).to_have_text(WELSH["used"])
        assert_accessible(again)
    finally:
        other_device.close()
    assert token not in welsh_site.log()


def test_is_this_page_useful_in_welsh_by_keyboard(
    page, context, welsh_site, tab_to, assert_accessible
):
    consent(context, welsh_site.url)
    response = page.goto(f"{welsh_site.url}/cy/advice/rural-crime/")
    assert response.status == 200, welsh_site.log()
    expect(page.locator("#feedback-question")).to_have_text(WELSH["useful"])
    assert_accessible(page)
    tab_to(page, "button[name=useful][value=no]", limit=80)
    expect(page.locator(":focus")).to_have_accessible_name(WELSH["no"])
    press(page)
    expect(page.locator(".govuk-panel__title")).to_have_text(WELSH["thanks"])
    assert_accessible(page)
    skip_to_main(page)
    type_into(page, tab_to, "#comment", "Nid yw’r dudalen yn sôn am siediau.")
    tab_to(page, "main form button[type=submit]")
    press(page)
    expect(page.locator(".govuk-panel__title")).to_have_text(WELSH["thanks"])
    assert_accessible(page)
