"""Content-Security-Policy in Chromium: what the public and the admin do raises no violation.

Each page is watched from before its first script runs: an init script forwards every
``securitypolicyviolation`` event to the test, and console errors and uncaught exceptions are
collected too. The public side: the hub, a force's advice page (accordion, quick exit), search
with suggestions typed, the cookie banner accepted, a whole reporting journey with its
session-timeout warning opened (the page's clock run forward) and answered, and a Welsh page on
a bilingual force. The admin: the dashboard, the page editor with its live preview, a
StreamField block added and the image chooser opened, and the image library.

The Welsh site is served by a second server on a copy of this worker's test database, where
Dyfed-Powys is onboarded in English and Welsh (``welsh_site``, shared with the other Welsh
browser tests): onboarding a bilingual force also gives the hub a Welsh tree, which the other
tests of this process must not see.
"""

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore

import pytest
from playwright.sync_api import expect

from home.models import ContentPage
from tests.browser.helpers import CONTINUE, arrive, incident_date, start

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WATCH = """
document.addEventListener('securitypolicyviolation', (event) => window.__cspViolation({
  page: location.href, directive: event.effectiveDirective, blocked: event.blockedURI,
  source: event.sourceFile, line: event.lineNumber, column: event.columnNumber,
}), true);
"""
CSP_CONSOLE = re.compile(r"Content[ -]Security[ -]Policy", re.I)
ADMIN_USER = "csp-browser-admin"


@dataclass
class Watch:
    """What the browser reported while the test used it."""

    violations: list = field(default_factory=list)
    console: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def assert_clean(self):
        problems = [*self.violations, *self.console, *self.errors]
        assert not problems, "\n".join(str(problem) for problem in problems)


@pytest.fixture
def journey_url(live, report_journey):
    """``journey_url(force_slug, route="")``, as in test_reporting.py."""

    def url(force_slug, route=""):
        return live.url(live.forces[force_slug], f"/report/{report_journey}/{route}")

    return url


@pytest.fixture
def watch(context):
    """Watch every page of ``context`` for CSP violations, console errors about the policy,
    and uncaught exceptions."""
    seen = Watch()
    context.expose_function("__cspViolation", lambda violation: seen.violations.append(violation))
    context.add_init_script(WATCH)

    def on_page(page):
        page.on(
            "console",
            lambda message: (
                seen.console.append(message.text)
                if message.type == "error" and CSP_CONSOLE.search(message.text)
                else None
            ),
        )
        page.on("pageerror", lambda error: seen.errors.append(f"{page.url}: {error}"))

    for existing in context.pages:
        on_page(existing)
    context.on("page", on_page)
    return seen


def test_public_pages_search_and_the_cookie_banner(page, live, watch):
    met = live.forces["met"]
    for site, path in [
        (live.hub, "/"),
        (met, "/advice/staying-safe/"),  # accordion, and the theme's hashed <style>
        (met, "/advice/stalking/"),  # quick exit
        (met, "/news/"),
        (met, "/search/?q=burglary"),
    ]:
        response = page.goto(live.url(site, path))
        assert response.status == 200, path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        if path == "/advice/staying-safe/":  # GOV.UK Frontend's script at work
            page.locator(".govuk-accordion__show-all").first.click()
            expect(page.locator(".govuk-accordion__section--expanded")).not_to_have_count(0)

    page.goto(live.url(met, "/"))
    box = page.locator("#header-search-q")
    box.press_sequentially("burg", delay=40)
    expect(page.get_by_role("listbox", name="Suggested pages")).to_be_visible()

    # No choice made yet in this context: the banner is there; accepting is done by script.
    page.get_by_role("button", name="Accept analytics cookies").click()
    expect(page.locator("[data-cookie-accepted]")).to_be_visible()
    assert "cookies=saved" not in page.url  # the script handled it, not the form
    page.get_by_role("button", name="Hide cookie message").click()
    expect(page.locator("[data-cookie-banner]")).to_be_hidden()
    watch.assert_clean()


def test_a_whole_journey_with_the_timeout_warning(page, context, journey_url, watch):
    # The page's clock is Playwright's, so the warning can be reached without waiting for it.
    context.clock.install()
    day = incident_date()

    def continue_(route):
        with page.expect_navigation():
            page.locator(CONTINUE).click()
        arrive(page, route)

    start(page, journey_url)
    dialog = page.locator("dialog[data-timeout-warning]")
    expect(dialog).to_be_hidden()
    timeout = int(dialog.get_attribute("data-timeout-minutes"))
    # timeout-warning.mjs is imported after the page has loaded; its timers start then.
    page.wait_for_load_state("networkidle")
    for _minute in range(timeout - 1):  # a minute at a time, stopping once the warning shows
        if dialog.is_visible():
            break
        context.clock.run_for("01:00")
    expect(dialog).to_be_visible()
    with page.expect_response(re.compile(r"keep-alive|keepalive")) as kept:
        dialog.get_by_role("button", name="Continue with my report").click()
    assert kept.value.status < 400
    expect(dialog).to_be_hidden()

    page.get_by_label("No", exact=True).check()
    continue_("step/what-happened/")
    page.get_by_label("A collision between vehicles").check()
    continue_("step/injuries/")
    page.get_by_label("Yes", exact=True).check()
    continue_("step/injury-details/")
    page.locator("#injury_details").fill("A cut hand.")
    continue_("step/when/")
    page.locator("#incident_date-day").fill(str(day.day))
    page.locator("#incident_date-month").fill(str(day.month))
    page.locator("#incident_date-year").fill(str(day.year))
    page.locator("#incident_time").fill("9:30am")
    continue_("step/where/")
    page.locator("#incident_location").fill("High Street, Slough")
    continue_("step/vehicles/")
    page.locator("#vehicles-1-registration").fill("AB12 CDE")
    page.locator("#vehicles-1-whose_vehicle").check()
    continue_("step/description/")
    page.locator("#description").fill("The van pulled out without looking.")
    continue_("step/dashcam/")
    continue_("step/your-details/")
    page.locator("#your_name").fill("Sam Reporter")
    page.locator("#your_email").fill("sam@example.com")
    continue_("step/contact-times/")
    continue_("step/declaration/")
    page.locator("#statement_of_truth").check()
    continue_("check-your-answers/")
    with page.expect_navigation():
        page.get_by_role("button", name="Accept and send").click()
    arrive(page, "confirmation/")
    expect(page.locator(".govuk-panel__title")).to_have_text("Report sent")
    watch.assert_clean()


# --- Welsh, on a copy of the test database (``welsh_site``, conftest.py) -------------------------


def test_a_welsh_page(page, welsh_site, watch):
    response = page.goto(f"{welsh_site.url}/cy/")
    assert response.status == 200, welsh_site.log()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Heddlu Dyfed-Powys")
    page.goto(f"{welsh_site.url}/cy/news/")
    page.locator("#header-search-q").press_sequentially("newyddion", delay=40)
    page.wait_for_timeout(500)  # suggestions, if any, have been asked for
    watch.assert_clean()


# --- The admin ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def admin_session(browser, django_db_blocker):
    """A superuser's session, signed in (past the second factor where it is installed), as
    the session cookie's value; removed afterwards."""
    with django_db_blocker.unblock():
        user, _ = get_user_model().objects.update_or_create(
            username=ADMIN_USER, defaults={"is_superuser": True, "is_staff": True}
        )
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if apps.is_installed("django_otp"):
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.create(user=user, name="CSP test", confirmed=True)
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
    yield session.session_key
    with django_db_blocker.unblock():
        get_user_model().objects.filter(username=ADMIN_USER).delete()
        SessionStore(session_key=session.session_key).delete()


def preview_heading(page):
    """The heading of the preview panel's page (Wagtail swaps two iframes as it reloads)."""
    return page.frame_locator("iframe[src*='/edit/preview/']").last.locator("h1").first


def test_the_admin_page_editor_preview_streamfield_and_image_chooser(
    page, context, live, admin_session, watch
):
    advice = ContentPage.objects.filter(slug="staying-safe").first()  # tests/browser/conftest.py
    admin = live.url(live.hub, "/admin/")
    context.add_cookies([{"name": "sessionid", "value": admin_session, "url": admin}])

    response = page.goto(admin)
    assert response.status == 200 and "/admin/" in page.url, page.url
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "nonce-" not in policy

    page.goto(live.url(live.hub, f"/admin/pages/{advice.pk}/edit/"))
    # The live preview: an iframe of the admin's own preview view.
    page.locator("[data-side-panel-toggle='preview']").first.click()
    expect(preview_heading(page)).to_contain_text("Protect your home from burglary")
    page.locator("[data-side-panel-toggle='preview']").first.click()
    # StreamField: add an image block and open its image chooser.
    page.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name=re.compile("^Image")).first.click()
    page.get_by_role("button", name="Choose an image").last.click()
    expect(page.locator(".modal").first).to_be_visible()
    expect(page.locator(".modal").first).to_contain_text(re.compile("Choose an image|Upload"))

    page.goto(live.url(live.hub, "/admin/images/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    watch.assert_clean()
