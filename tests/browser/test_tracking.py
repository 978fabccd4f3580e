"""Track my report and adding information, in Chromium by keyboard with axe-core, in English
(Thames Valley, on the shared test server) and in Welsh (Dyfed-Powys, on a server of its own).

The English run closes the whole loop: a report reaches a back office (``Receiver``, here), whose
"Send status update" form posts a signed ``needs-more-information`` update to the server; the
reporter asks for a code, gives it, reads the update, adds information, and the signed
``report.follow_up`` webhook reaches the back office with the report's reference.

The server sends its codes to its own memory: the code typed here is one the test sets on the
challenge the server stored (its hash, with the test settings' ``SECRET_KEY``).
"""

import json
import re
import time
from urllib.parse import quote

from django.db import connection, transaction

import psycopg
import pytest
from playwright.sync_api import expect

from demo.receiver import Receiver
from forces.models import Force
from reporting.models import Submission
from tests.browser.conftest import TRACKER_EMAIL, _psycopg_options
from tests.reporting.receiver import journey_page, make_draft, make_report
from tracking.challenges import code_hash
from tracking.models import TrackingChallenge

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SECRET = "tvp-tracking-browser-secret-8Kd2"
EMAIL = TRACKER_EMAIL  # the Welsh report's contact too
CODE = "246810"
TEXT = "The car was a blue estate, parked outside number 12."
WAIT_SECONDS = 10


def set_known_code(database):
    """Give the newest challenge the server stored the code ``CODE`` (committed at once)."""
    with psycopg.connect(dbname=database, autocommit=True, **_psycopg_options()) as db:
        row = db.execute(
            "SELECT id FROM tracking_trackingchallenge ORDER BY created_at DESC LIMIT 1"
        ).fetchone()
        assert row, "the server stored no challenge"
        db.execute(
            "UPDATE tracking_trackingchallenge SET code_hash = %s WHERE id = %s",
            [code_hash(row[0], CODE), row[0]],
        )


def consent(context, url):
    policy = quote(json.dumps({"essential": True, "analytics": False}))
    context.add_cookies([{"name": "cookies_policy", "value": policy, "url": url}])


def press(page, key="Enter"):
    with page.expect_navigation():
        page.keyboard.press(key)


def type_into(page, tab_to, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


def track_by_keyboard(page, tab_to, assert_accessible, base, reference, database, texts):
    """From "Track your report" to the report's timeline, by keyboard, axe on each page."""
    page.goto(f"{base}/report/track/")
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["start"])
    assert_accessible(page)
    type_into(page, tab_to, "#reference", reference.lower())
    type_into(page, tab_to, "#contact", EMAIL)
    press(page)  # Enter in a field sends the form
    page.wait_for_url(re.compile(r"/report/track/code/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["code"])
    assert_accessible(page)

    # A wrong code first: the error summary, by keyboard to the field.
    type_into(page, tab_to, "#code", "000000")
    press(page)
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page)
    set_known_code(database)
    tab_to(page, "#code")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(CODE)
    press(page)
    page.wait_for_url(re.compile(r"/report/track/report/$"))
    expect(page.locator("[data-reference]")).to_have_text(reference)
    assert_accessible(page)


def add_information_by_keyboard(page, tab_to, assert_accessible, texts):
    tab_to(page, "a[href$='/report/track/add-information/']")
    press(page)
    page.wait_for_url(re.compile(r"/report/track/add-information/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["add"])
    assert_accessible(page)
    # Sent empty: the error, then the text.
    tab_to(page, "form[action$='add-information/'] button[type=submit]")
    press(page)
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page)
    type_into(page, tab_to, "#text", TEXT)
    tab_to(page, "form[action$='add-information/'] button[type=submit]")
    press(page)
    page.wait_for_url(re.compile(r"/report/track/information-sent/$"))
    expect(page.locator(".govuk-panel__title")).to_have_text(texts["sent"])
    assert_accessible(page)


ENGLISH = {
    "start": "Track your report",
    "code": "Enter the code we sent you",
    "add": "Add more information",
    "sent": "Information sent",
}
WELSH = {
    "start": "Dilyn eich adroddiad",
    "code": "Rhowch y cod a anfonon ni atoch",
    "add": "Ychwanegu rhagor o wybodaeth",
    "sent": "Gwybodaeth wedi’i hanfon",
}


@pytest.fixture(scope="module")
def back_office(live, browser, django_db_blocker):
    """Thames Valley's back office (a ``Receiver`` sending updates to the test server) and a
    report made there with an email address; all removed afterwards."""
    with Receiver(secret=SECRET, platform_url=f"http://127.0.0.1:{live.port}") as receiver:
        with django_db_blocker.unblock():
            force = Force.objects.select_related("site").get(slug="thames-valley")
            before = (force.webhook_url, force.webhook_secret)
            force.webhook_url = receiver.url(force.slug)
            force.set_webhook_secret(SECRET)
            force.save(update_fields=["webhook_url", "webhook_secret"])
            page = journey_page(force, slug="tracking-browser-journey", code="TRK")
            submission = make_report(
                force,
                page=page,
                draft=make_draft(force, page),
                contact={"email": EMAIL, "phone": ""},
            )
        try:
            yield receiver, submission
        finally:
            with django_db_blocker.unblock(), transaction.atomic():
                Submission.objects.filter(pk=submission.pk).delete()
                TrackingChallenge.objects.all().delete()
                force.webhook_url, force.webhook_secret = before
                force.save(update_fields=["webhook_url", "webhook_secret"])
                type(page).objects.filter(pk=page.pk).delete()


def wait_for(condition, what):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} did not happen within {WAIT_SECONDS} s")


def test_the_loop_closes_by_keyboard_in_english(
    context, live, back_office, tab_to, assert_accessible
):
    receiver, submission = back_office
    wait_for(lambda: receiver.by_reference(submission.reference), "the report's delivery")
    (received,) = receiver.by_reference(submission.reference)

    # The back office's "Send status update" form, in the browser too.
    office = context.new_page()
    office.goto(receiver.base_url + "/")
    form = office.locator("form", has=office.locator(f"input[value='{received.key}']"))
    form.locator("select[name=status]").select_option("needs-more-information")
    form.locator("textarea[name=message_en]").fill("Do you know what colour the car was?")
    with office.expect_navigation():
        form.get_by_role("button", name="Send status update").click()
    expect(office.locator("body")).to_contain_text("→ 201")

    base = live.url(live.forces["thames-valley"]).rstrip("/")
    consent(context, base)
    page = context.new_page()
    database = connection.settings_dict["NAME"]
    track_by_keyboard(
        page, tab_to, assert_accessible, base, submission.reference, database, ENGLISH
    )
    expect(page.locator("[data-timeline]")).to_contain_text("Do you know what colour the car was?")
    expect(page.locator("[data-current-status]")).to_contain_text("More information needed")
    add_information_by_keyboard(page, tab_to, assert_accessible, ENGLISH)

    wait_for(
        lambda: [item for item in receiver.by_reference(submission.reference) if item.is_follow_up],
        "the follow-up's delivery",
    )
    (follow_up,) = [
        item for item in receiver.by_reference(submission.reference) if item.is_follow_up
    ]
    assert follow_up.payload["event"] == "report.follow_up"
    assert follow_up.payload["text"] == TEXT
    assert follow_up.payload["reference"] == submission.reference


# --- Welsh, on a copy of the test database (``welsh_site``, conftest.py) -------------------------


def test_track_and_add_information_by_keyboard_in_welsh(
    context, welsh_site, tab_to, assert_accessible
):
    consent(context, welsh_site.url)
    page = context.new_page()
    response = page.goto(f"{welsh_site.url}/cy/report/track/")
    assert response.status == 200, welsh_site.log()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    track_by_keyboard(
        page,
        tab_to,
        assert_accessible,
        f"{welsh_site.url}/cy",
        welsh_site.reference,
        welsh_site.database,
        WELSH,
    )
    expect(page.locator("[data-timeline]")).to_contain_text("Pa liw oedd y car?")
    expect(page.locator("[data-current-status]")).to_contain_text("Angen rhagor o wybodaeth")
    add_information_by_keyboard(page, tab_to, assert_accessible, WELSH)
    with psycopg.connect(dbname=welsh_site.database, **_psycopg_options()) as db:
        (text, language) = db.execute(
            "SELECT text, language FROM tracking_followup ORDER BY submitted_at DESC LIMIT 1"
        ).fetchone()
    assert language == "cy" and TEXT not in text  # stored encrypted
