"""The national road traffic incident journey in Chromium, on two force sites.

By keyboard from the start page to the confirmation, with the report arriving at each force's
own back office (a ``Receiver`` started here); axe-core on every page of the journey; the error
summary's focus handling; ``Cache-Control: no-store``.
"""

import io
import json
import re
import time
import urllib.request
from datetime import timedelta
from urllib.parse import quote, urlsplit

from django.db import transaction
from django.utils import timezone

import pytest
from PIL import Image
from playwright.sync_api import expect

from demo.receiver import Receiver
from forces.models import Force
from reporting.models import Submission
from tests.browser.helpers import CONTINUE, arrive, incident_date, start

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Each force signs with its own secret; the receiver checks each report's signature with the
# secret of the force in its address, so a report signed with the wrong one is refused.
SECRETS = {
    "thames-valley": "tvp-browser-webhook-secret-5Qm8",
    "hampshire": "hiow-browser-webhook-secret-2Tx7",
}
SHORT_NAMES = {"thames-valley": "TVP", "hampshire": "HIOW"}
DELIVERY_WAIT_SECONDS = 10
ERROR_SUMMARY = ".govuk-error-summary"


@pytest.fixture(scope="module")
def receiver(report_journey, django_db_blocker):
    """A back office for Thames Valley and Hampshire; both forces' webhooks point at it."""
    with Receiver(secrets=SECRETS) as receiver:
        with django_db_blocker.unblock():
            forces = list(Force.objects.filter(slug__in=SECRETS))
            before = {force.pk: (force.webhook_url, force.webhook_secret) for force in forces}
            with transaction.atomic():
                for force in forces:
                    force.webhook_url = receiver.url(force.slug)
                    force.set_webhook_secret(SECRETS[force.slug])
                    force.save(update_fields=["webhook_url", "webhook_secret"])
        try:
            yield receiver
        finally:
            with django_db_blocker.unblock(), transaction.atomic():
                for force in forces:
                    force.webhook_url, force.webhook_secret = before[force.pk]
                    force.save(update_fields=["webhook_url", "webhook_secret"])


@pytest.fixture
def journey_url(live, report_journey):
    """``journey_url(force_slug, route="")``: an address in the journey on a force's site."""

    def url(force_slug, route=""):
        return live.url(live.forces[force_slug], f"/report/{report_journey}/{route}")

    return url


def consent(context, live, force_slug):
    """Cookie choices made earlier, so the banner does not lengthen every tab sequence."""
    policy = quote(json.dumps({"essential": True, "analytics": False}))
    url = live.url(live.forces[force_slug])
    context.add_cookies([{"name": "cookies_policy", "value": policy, "url": url}])


# --- by keyboard -------------------------------------------------------------------------------


def press(page, key):
    """Press ``key`` and wait until the page it leads to has loaded."""
    with page.expect_navigation():
        page.keyboard.press(key)


def skip_to_main(page):
    """Follow the skip link, as a keyboard user does on each new page of a journey."""
    page.keyboard.press("Tab")
    expect(page.locator(".govuk-skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def on_step(page, route):
    arrive(page, route)
    skip_to_main(page)


def keyboard_continue(page, tab_to):
    tab_to(page, CONTINUE)
    press(page, "Enter")


def fill_by_keyboard(page, tab_to, selector, text):
    """Tab to a field and type ``text`` into it (replacing what it held)."""
    tab_to(page, selector)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def choose_radio(page, tab_to, first_radio, position=1):
    """Tab into a radio group (its first radio) and select option ``position`` (1-based) with
    the arrow keys, as a keyboard user does; Space selects the first."""
    tab_to(page, first_radio)
    if position == 1:
        page.keyboard.press("Space")
    for _ in range(position - 1):
        page.keyboard.press("ArrowDown")


def complete_by_keyboard(page, tab_to, journey_url, force_slug):
    """Start the journey on ``force_slug``'s site and answer every step by keyboard, as someone
    who cannot use a mouse would (skip link, Tab, arrow keys, Space, typing); ends on Check your
    answers."""
    day = incident_date()
    page.goto(journey_url(force_slug))
    skip_to_main(page)
    tab_to(page, ".govuk-button--start")
    expect(page.locator(":focus")).to_contain_text("Start now")
    press(page, "Enter")
    on_step(page, "step/emergency/")

    choose_radio(page, tab_to, "#in_danger", position=2)  # No
    expect(page.locator("#in_danger-2")).to_be_checked()
    keyboard_continue(page, tab_to)

    on_step(page, "step/what-happened/")
    choose_radio(page, tab_to, "#incident_type")  # A collision between vehicles
    keyboard_continue(page, tab_to)

    on_step(page, "step/injuries/")
    choose_radio(page, tab_to, "#anyone_injured")  # Yes
    keyboard_continue(page, tab_to)

    on_step(page, "step/injury-details/")
    fill_by_keyboard(page, tab_to, "#injury_details", "The other driver hurt his wrist.")
    keyboard_continue(page, tab_to)

    on_step(page, "step/when/")
    fill_by_keyboard(page, tab_to, "#incident_date-day", str(day.day))
    page.keyboard.press("Tab")
    page.keyboard.type(str(day.month))
    page.keyboard.press("Tab")
    page.keyboard.type(str(day.year))
    fill_by_keyboard(page, tab_to, "#incident_time", "17:45")
    keyboard_continue(page, tab_to)

    on_step(page, "step/where/")
    fill_by_keyboard(page, tab_to, "#incident_location", "Oxford Road, Reading, by the bus station")
    fill_by_keyboard(page, tab_to, "#incident_postcode", "rg1 1aa")
    keyboard_continue(page, tab_to)

    on_step(page, "step/vehicles/")
    fill_by_keyboard(page, tab_to, "#vehicles-1-registration", "ab12cde")
    fill_by_keyboard(page, tab_to, "#vehicles-1-make_model", "Blue Ford Focus")
    choose_radio(page, tab_to, "#vehicles-1-whose_vehicle")  # I was driving it
    tab_to(page, "button[name=action][value^='add:']")
    expect(page.locator(":focus")).to_have_text("Add another vehicle")
    press(page, "Enter")
    on_step(page, "step/vehicles/")
    # The first vehicle's answers are still there; a second vehicle's questions were added.
    expect(page.locator("#vehicles-1-registration")).to_have_value("ab12cde")
    fill_by_keyboard(page, tab_to, "#vehicles-2-registration", "kx65 abc")
    choose_radio(page, tab_to, "#vehicles-2-whose_vehicle", position=3)  # someone else
    keyboard_continue(page, tab_to)

    on_step(page, "step/description/")
    fill_by_keyboard(
        page, tab_to, "#description", "A silver van pulled out of the junction into my car."
    )
    keyboard_continue(page, tab_to)

    on_step(page, "step/dashcam/")
    keyboard_continue(page, tab_to)  # no files: it is optional

    on_step(page, "step/your-details/")
    fill_by_keyboard(page, tab_to, "#your_name", "Sam Reporter")
    fill_by_keyboard(page, tab_to, "#your_email", "sam.reporter@example.com")
    fill_by_keyboard(page, tab_to, "#your_phone", "07700 900123")
    keyboard_continue(page, tab_to)

    on_step(page, "step/contact-times/")
    tab_to(page, "#contact_times")  # Mornings
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # Afternoons, left unticked
    page.keyboard.press("Tab")  # Evenings
    page.keyboard.press("Space")
    expect(page.locator("input[name=contact_times]:checked")).to_have_count(2)
    keyboard_continue(page, tab_to)

    on_step(page, "step/declaration/")
    tab_to(page, "#statement_of_truth")
    page.keyboard.press("Space")
    keyboard_continue(page, tab_to)
    arrive(page, "check-your-answers/")


def answers_by_id(rows):
    return {row["question_id"]: row for row in rows}


@pytest.mark.parametrize("force_slug", ["thames-valley", "hampshire"])
def test_road_traffic_incident_by_keyboard_reaches_the_force(
    page, context, live, journey_url, receiver, tab_to, force_slug
):
    consent(context, live, force_slug)
    addresses = []
    page.on("request", lambda request: addresses.append(request.url))
    complete_by_keyboard(page, tab_to, journey_url, force_slug)

    summary = page.locator(".govuk-summary-list")
    for shown in ["AB12 CDE", "KX65 ABC", "RG1 1AA", "Sam Reporter", "A silver van"]:
        expect(summary).to_contain_text(shown)

    # Change one answer by keyboard; the change brings us back to Check your answers.
    tab_to(page, "a[href*='step/description/?change=1']", limit=80)
    press(page, "Enter")
    arrive(page, "step/description/")
    expect(page.locator(".govuk-back-link")).to_have_attribute(
        "href", re.compile(r"/check-your-answers/$")
    )
    fill_by_keyboard(
        page, tab_to, "#description", "A silver van pulled out of the junction into the side."
    )
    keyboard_continue(page, tab_to)
    arrive(page, "check-your-answers/")
    expect(summary).to_contain_text("into the side")

    tab_to(page, "form[action$='/check-your-answers/'] button[type=submit]", limit=80)
    expect(page.locator(":focus")).to_have_text("Accept and send")
    press(page, "Enter")
    arrive(page, "confirmation/")
    expect(page.locator(".govuk-panel__title")).to_have_text("Report sent")
    reference = page.locator("[data-reference]").inner_text().strip()
    short_name = SHORT_NAMES[force_slug]
    assert re.fullmatch(rf"{short_name}-RTI-[2-9A-HJKMNP-TV-Z]{{6}}", reference), reference
    # Nothing the reporter typed went into an address (nor into the confirmation's title).
    personal = ["Sam", "Reporter", "sam.reporter", "07700", "AB12", "ab12", "silver"]
    assert not [url for url in addresses if any(text in url for text in personal)]
    assert not any(text in page.title() for text in personal)

    # The report reaches this force's back office, signed with this force's secret (the
    # receiver keeps only reports whose signature it verified), once.
    arrived = wait_for_report(receiver, reference)
    assert len(arrived) == 1, f"{reference} arrived {len(arrived)} times"
    report = arrived[0]
    submission = Submission.objects.get(reference=reference)
    assert report.key == str(submission.pk)
    assert report.force == submission.force.slug == force_slug
    posts = [status for _force, key, status in receiver.requests if key == report.key]
    assert posts == [200], posts  # one POST, accepted first time: none refused as unsigned

    payload = report.payload
    assert payload["force"] == force_slug
    assert payload["journey"]["slug"] == "road-traffic-incident"
    assert payload["journey"]["code"] == "RTI"
    assert payload["contact"] == {
        "name": "Sam Reporter",
        "email": "sam.reporter@example.com",
        "phone": "+447700900123",
    }
    answers = answers_by_id(payload["answers"])
    assert answers["in_danger"]["value"] is False
    assert answers["incident_type"]["value"] == "collision"
    assert answers["incident_date"]["value"] == incident_date().isoformat()
    assert answers["incident_time"]["value"] == "17:45"
    assert answers["incident_postcode"]["value"] == "RG1 1AA"
    assert answers["description"]["value"].endswith("into the side.")
    assert answers["contact_times"]["value"] == ["morning", "evening"]
    vehicles = [answers_by_id(item) for item in answers["vehicles"]["value"]]
    assert [item["registration"]["value"] for item in vehicles] == ["AB12 CDE", "KX65 ABC"]
    assert [item["whose_vehicle"]["value"] for item in vehicles] == ["mine", "other"]
    assert answers["dashcam"]["value"] in ([], None)
    assert payload["evidence"] == []


# --- axe-core ----------------------------------------------------------------------------------


def wait_for_report(receiver, reference):
    """The reports that arrived with ``reference``, once one has (or the wait is over)."""
    deadline = time.monotonic() + DELIVERY_WAIT_SECONDS
    while not receiver.by_reference(reference) and time.monotonic() < deadline:
        time.sleep(0.1)
    return receiver.by_reference(reference)


def tiny_png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "#1f4e79").save(buffer, "PNG")
    return buffer.getvalue()


def test_every_page_of_the_journey_is_accessible_and_a_photo_is_delivered(
    page, live, journey_url, receiver, assert_accessible
):
    day = incident_date()
    response = page.goto(journey_url("thames-valley"))
    assert response.status == 200
    assert_accessible(page)

    def continue_(expected_route):
        with page.expect_navigation():
            page.locator(CONTINUE).click()
        arrive(page, expected_route)

    with page.expect_navigation():
        page.get_by_role("button", name="Start now").click()
    arrive(page, "step/emergency/")
    assert_accessible(page)
    # With errors shown: summary, messages and fields marked in error.
    continue_("step/emergency/")
    expect(page.locator(ERROR_SUMMARY)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("No", exact=True).check()
    continue_("step/what-happened/")
    assert_accessible(page)
    page.get_by_label("A collision between vehicles").check()
    continue_("step/injuries/")
    assert_accessible(page)
    page.get_by_label("Yes", exact=True).check()
    continue_("step/injury-details/")
    assert_accessible(page)
    page.locator("#injury_details").fill("A cut hand.")
    continue_("step/when/")
    assert_accessible(page)
    # A date in the future and no time: errors on a fieldset of several inputs.
    future = timezone.localdate() + timedelta(days=30)
    page.locator("#incident_date-day").fill(str(future.day))
    page.locator("#incident_date-month").fill(str(future.month))
    page.locator("#incident_date-year").fill(str(future.year))
    continue_("step/when/")
    expect(page.locator(ERROR_SUMMARY)).to_contain_text("past")
    assert_accessible(page)
    page.locator("#incident_date-day").fill(str(day.day))
    page.locator("#incident_date-month").fill(str(day.month))
    page.locator("#incident_date-year").fill(str(day.year))
    page.locator("#incident_time").fill("9:30am")
    continue_("step/where/")
    assert_accessible(page)
    page.locator("#incident_location").fill("High Street, Slough")
    continue_("step/vehicles/")
    assert_accessible(page)
    page.locator("#vehicles-1-registration").fill("AB12 CDE")
    page.locator("#vehicles-1-whose_vehicle").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Add another vehicle").click()
    expect(page.locator("fieldset[id^='vehicles-']")).to_have_count(2)
    assert_accessible(page)  # two items, each with a Remove button
    page.locator("#vehicles-2-registration").fill("not a registration")
    continue_("step/vehicles/")
    expect(page.locator(ERROR_SUMMARY)).to_be_visible()
    assert_accessible(page)  # errors inside a repeating group
    page.locator("#vehicles-2-registration").fill("KX65 ABC")
    page.locator("#vehicles-2-whose_vehicle-3").check()
    continue_("step/description/")
    assert_accessible(page)
    page.locator("#description").fill("The van pulled out without looking.")
    continue_("step/dashcam/")
    assert_accessible(page)
    # A photo, uploaded through the real form (multipart, checked by its content).
    photo = tiny_png()
    page.locator("input[type=file][name=dashcam]").set_input_files(
        files=[{"name": "dashcam.png", "mimeType": "image/png", "buffer": photo}]
    )
    continue_("step/your-details/")
    with page.expect_navigation():
        page.locator(".govuk-back-link").click()
    arrive(page, "step/dashcam/")
    uploaded = page.locator("#dashcam-uploaded")
    expect(uploaded).to_contain_text("dashcam.png")
    expect(uploaded.get_by_role("button", name="Remove dashcam.png")).to_be_visible()
    assert_accessible(page)  # with the list of files uploaded
    continue_("step/your-details/")
    assert_accessible(page)
    page.locator("#your_name").fill("Sam Reporter")
    page.locator("#your_email").fill("sam@example.com")
    continue_("step/contact-times/")
    assert_accessible(page)
    continue_("step/declaration/")
    assert_accessible(page)
    page.locator("#statement_of_truth").check()
    continue_("check-your-answers/")
    expect(page.locator(".govuk-summary-list")).to_contain_text("dashcam.png")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Accept and send").click()
    arrive(page, "confirmation/")
    reference = page.locator("[data-reference]")
    expect(reference).to_have_text(re.compile(r"^TVP-RTI-"))
    assert_accessible(page)

    # The photo reaches the back office with the report, downloadable from its link.
    arrived = wait_for_report(receiver, reference.inner_text().strip())
    assert len(arrived) == 1
    (evidence,) = arrived[0].payload["evidence"]
    assert evidence["filename"] == "dashcam.png"
    assert evidence["content_type"] == "image/png"
    assert evidence["size"] == len(photo)
    # The link is made for the force's public address; the test server listens on its own port.
    link = urlsplit(evidence["url"])
    assert link.hostname == live.forces["thames-valley"].host
    path = f"{link.path}?{link.query}" if link.query else link.path
    request = urllib.request.Request(
        f"http://127.0.0.1:{live.port}{path}", headers={"Host": link.hostname}
    )
    with urllib.request.urlopen(request, timeout=5) as download:
        assert download.read() == photo


def test_the_emergency_exit_step_is_accessible(page, journey_url, assert_accessible):
    page.goto(journey_url("hampshire"))
    with page.expect_navigation():
        page.get_by_role("button", name="Start now").click()
    page.get_by_label("Yes").check()
    with page.expect_navigation():
        page.locator(CONTINUE).click()
    arrive(page, "step/call-999/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Call 999 now")
    expect(page.get_by_role("button", name="Accept and send")).to_have_count(0)
    assert_accessible(page)


# --- errors, caching ---------------------------------------------------------------------------


def shift_tab_to(page, selector, limit=40):
    for _ in range(limit):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("s => !!document.activeElement?.matches(s)", selector):
            return
    pytest.fail(f"{selector} was not reached with {limit} presses of Shift+Tab")


def test_an_empty_step_shows_a_focused_error_summary_linking_to_each_field(
    page, journey_url, tab_to
):
    start(page, journey_url)
    # A question of radios: the link lands on the first radio.
    keyboard_continue(page, tab_to)
    arrive(page, "step/emergency/")
    summary = page.locator(ERROR_SUMMARY)
    expect(summary).to_be_focused()
    assert page.title().startswith("Error:")
    link = summary.locator("a")
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", "#in_danger")
    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#in_danger")).to_be_focused()
    expect(page.locator("#in_danger-error")).to_be_visible()

    page.keyboard.press("ArrowRight")  # No
    keyboard_continue(page, tab_to)
    arrive(page, "step/what-happened/")
    choose_radio(page, tab_to, "#incident_type", position=3)  # dangerous driving: no injuries
    keyboard_continue(page, tab_to)

    # A date and a time, both missing: a link for each, each moving focus to its field.
    arrive(page, "step/when/")
    keyboard_continue(page, tab_to)
    arrive(page, "step/when/")
    expect(summary).to_be_focused()
    links = summary.locator("a")
    expect(links).to_have_count(2)
    targets = [links.nth(i).get_attribute("href") for i in range(2)]
    assert targets == ["#incident_date-day", "#incident_time"]
    page.keyboard.press("Tab")
    expect(links.nth(0)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#incident_date-day")).to_be_focused()
    shift_tab_to(page, f"{ERROR_SUMMARY} a[href='#incident_time']")
    page.keyboard.press("Enter")
    expect(page.locator("#incident_time")).to_be_focused()
    # Every field in error says why, and is tied to its message for screen readers.
    for field in ("#incident_date-day", "#incident_time"):
        expect(page.locator(field)).to_have_class(re.compile(r"govuk-input--error"))
    expect(page.locator("#incident_time")).to_have_attribute(
        "aria-describedby", re.compile(r"incident_time-error")
    )


def test_journey_pages_are_never_stored(page, context, journey_url):
    response = page.goto(journey_url("thames-valley"))
    assert "no-store" in response.headers["cache-control"]
    start(page, journey_url)
    response = page.goto(journey_url("thames-valley", "step/emergency/"))
    assert response.status == 200
    assert "no-store" in response.headers["cache-control"]
    response = page.goto(journey_url("thames-valley", "check-your-answers/"))
    # Not finished: sent back to the step it is on, which is no-store as well.
    assert response.url.endswith("/step/emergency/")
    assert "no-store" in response.headers["cache-control"]
    assert response.request.redirected_from is not None
    redirect = response.request.redirected_from.response()
    assert "no-store" in redirect.headers["cache-control"]
