"""Save and come back later, over HTTP: the link by email, used once, on another device, after
the idle timeout; the email without answers; the token out of logs; retried email."""

import logging
import re
import smtplib
from datetime import timedelta

from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client
from django.utils import timezone

import pytest

from reporting import save_and_return
from reporting.journey_builder import (
    email,
    emergency_steps,
    journey_steps,
    radios,
    short_text,
    step,
)
from reporting.models import Draft, SavedDraftLink
from reporting.retention import purge
from solh.log_filters import WithoutQueryStrings
from tests.factories import JourneyClient, make_journey_page

pytestmark = pytest.mark.django_db

TVP = "thames-valley.localhost"
CANARY_NAME = "Zebedee Quartermaine-77"
ADDRESS = "saver@example.org"
LINK = re.compile(r"https?://\S+/resume/\?token=(\S+)")

STEPS = journey_steps(
    *emergency_steps(),
    step(
        "what",
        radios("what", [("theft", "A bicycle theft"), ("damage", "Criminal damage")], "What?"),
    ),
    step(
        "about-you",
        short_text("name", "Full name", is_contact=True),
        email("email", "Email address", is_contact=True, required=False),
        title="About you",
    ),
)


@pytest.fixture(autouse=True)
def _quick_and_unlimited(settings):
    settings.REPORT_MIN_SECONDS = 0
    settings.REPORT_RATE_LIMIT_PER_HOUR = 1000


@pytest.fixture
def journey(forces):
    return make_journey_page(forces["thames-valley"], STEPS, slug="save-test", code="SAV")


@pytest.fixture
def reporter(client, journey):
    return JourneyClient(client, TVP, journey)


@pytest.fixture
def later(monkeypatch):
    """``later(**delta)``: the clock moved on by ``delta`` for everything that reads it."""
    real_now = timezone.now

    def move(**delta):
        monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(**delta))

    return move


def half_way(reporter):
    reporter.start()
    reporter.answer("emergency", {"in-danger": "no"})
    reporter.answer("what", {"what": "theft"})


def save(reporter, django_capture_on_commit_callbacks, address=ADDRESS):
    with django_capture_on_commit_callbacks(execute=True):
        response = reporter.post("save/", {"email": address})
    assert response.status_code == 200, response.content[:2000]
    return response


def emailed_token(message):
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def test_every_step_and_check_your_answers_offer_to_save(reporter):
    half_way(reporter)
    page = reporter.get("step/about-you/").content.decode()
    assert 'href="/report/save-test/save/"' in page
    assert "Save and come back later" in page


def test_a_saved_link_works_once_on_another_device_after_the_idle_timeout(
    reporter, journey, django_capture_on_commit_callbacks, later, settings
):
    half_way(reporter)
    page = save(reporter, django_capture_on_commit_callbacks).content.decode()
    assert "We have sent a link to" in page and ADDRESS in page
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ADDRESS]
    token = emailed_token(message)

    # Someone else's draft, not saved, for comparison: the idle timeout ends it.
    other = JourneyClient(Client(), TVP, journey)
    half_way(other)

    later(minutes=settings.REPORT_DRAFT_TIMEOUT_MINUTES + 90)
    assert other.get("step/about-you/")["Location"].endswith("/session-ended/")
    purge()
    assert Draft.objects.count() == 1  # the saved one outlives the idle timeout

    phone = JourneyClient(Client(), TVP, journey)  # another device: no cookie
    landing = phone.get(f"resume/?token={token}")
    assert landing.status_code == 200
    assert landing["Referrer-Policy"] == "strict-origin"  # the origin, never the token
    assert "no-store" in landing["Cache-Control"]
    assert "Continue your report" in landing.content.decode()

    resumed = phone.post("resume/", {"token": token})
    assert resumed.status_code == 302
    assert resumed["Location"].endswith("/step/about-you/")
    page = phone.get("step/about-you/")
    assert page.status_code == 200
    assert "Your answers are saved until" in page.content.decode()
    phone.answer("about-you", {"name": CANARY_NAME, "email": ""})
    summary = phone.get("check-your-answers/").content.decode()
    assert "A bicycle theft" in summary and CANARY_NAME in summary

    # Once only: a second use, from anywhere, is refused, and so is opening it again.
    again = JourneyClient(Client(), TVP, journey)
    assert again.get(f"resume/?token={token}").status_code == 410
    refused = again.post("resume/", {"token": token})
    assert refused.status_code == 410
    assert "This link cannot be used" in refused.content.decode()
    assert again.get("step/about-you/")["Location"].endswith("/report/save-test/")


def test_opening_the_link_uses_nothing_up(reporter, django_capture_on_commit_callbacks):
    """Mail scanners and link previews open links: only the button's POST uses it."""
    half_way(reporter)
    save(reporter, django_capture_on_commit_callbacks)
    token = emailed_token(mail.outbox[0])
    fresh = JourneyClient(Client(), TVP, reporter_page(reporter))
    for _ in range(3):
        assert fresh.get(f"resume/?token={token}").status_code == 200
    assert SavedDraftLink.objects.get().used_at is None
    assert fresh.post("resume/", {"token": token}).status_code == 302
    assert SavedDraftLink.objects.get().used_at is not None


def reporter_page(reporter):
    from reporting.models import ReportJourneyPage

    return ReportJourneyPage.objects.get(slug="save-test")


def test_the_email_carries_no_answers(reporter, django_capture_on_commit_callbacks):
    reporter.start()
    reporter.answer("emergency", {"in-danger": "no"})
    reporter.answer("what", {"what": "damage"})
    reporter.get("step/about-you/")
    save(reporter, django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    text = message.subject + message.body
    for answer in ("Criminal damage", "damage", "in-danger", "No"):
        assert not re.search(rf"\b{re.escape(answer)}\b", text), answer
    assert "does not include any of your answers" in message.body
    assert "Report an incident" in message.body  # the journey's name, not its answers
    link = SavedDraftLink.objects.get()
    assert link.email == ""  # the address is not kept once sent
    assert link.email_status == SavedDraftLink.EmailStatus.SENT


def test_forged_expired_and_other_journeys_tokens_are_refused(
    reporter, forces, django_capture_on_commit_callbacks, later, settings
):
    half_way(reporter)
    save(reporter, django_capture_on_commit_callbacks)
    token = emailed_token(mail.outbox[0])
    link_id = token.split(":")[0]
    fresh = JourneyClient(Client(), TVP, reporter_page(reporter))
    assert fresh.get(f"resume/?token={link_id}:forged").status_code == 410
    assert fresh.get("resume/?token=").status_code == 410
    assert fresh.post("resume/", {"token": "nonsense"}).status_code == 410
    other = make_journey_page(forces["thames-valley"], STEPS, slug="other-journey", code="OTH")
    assert JourneyClient(Client(), TVP, other).get(f"resume/?token={token}").status_code == 410

    later(days=settings.REPORT_SAVED_DRAFT_DAYS, minutes=1)
    assert fresh.get(f"resume/?token={token}").status_code == 410
    assert fresh.post("resume/", {"token": token}).status_code == 410
    purge()
    assert not Draft.objects.exists() and not SavedDraftLink.objects.exists()


def test_only_the_newest_link_works(reporter, django_capture_on_commit_callbacks):
    half_way(reporter)
    save(reporter, django_capture_on_commit_callbacks, address="typo@example.org")
    save(reporter, django_capture_on_commit_callbacks)
    first, second = (emailed_token(message) for message in mail.outbox)
    fresh = JourneyClient(Client(), TVP, reporter_page(reporter))
    assert fresh.post("resume/", {"token": first}).status_code == 410
    assert fresh.post("resume/", {"token": second}).status_code == 302


def test_the_save_page_explains_and_checks_the_address(reporter):
    half_way(reporter)
    reporter.get("step/about-you/")
    page = reporter.get("save/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "The email does not include any of your answers." in page.content.decode()
    refused = reporter.post("save/", {"email": "not an address"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "There is a problem" in body and 'href="#email"' in body
    assert "Enter an email address in the correct format" in body
    assert reporter.post("save/", {"email": ""}).status_code == 400
    assert not SavedDraftLink.objects.exists()


def test_without_a_draft_the_save_page_goes_to_the_start(reporter):
    response = reporter.get("save/")
    assert response.status_code == 302 and response["Location"].endswith("/report/save-test/")


def test_the_token_is_in_no_log_line(reporter, django_capture_on_commit_callbacks, caplog):
    caplog.set_level(logging.DEBUG)
    half_way(reporter)
    save(reporter, django_capture_on_commit_callbacks)
    token = emailed_token(mail.outbox[0])
    fresh = JourneyClient(Client(), TVP, reporter_page(reporter))
    fresh.get(f"resume/?token={token}")
    fresh.post("resume/", {"token": token})
    fresh.post("resume/", {"token": token})  # refused
    assert token not in caplog.text
    assert ADDRESS not in caplog.text
    assert token.split(":")[1] not in caplog.text


def test_request_lines_lose_their_query_strings():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /report/x/resume/?token=abc:def HTTP/1.1", "200", "512"),
        None,
    )
    WithoutQueryStrings().filter(record)
    assert record.getMessage() == '"GET /report/x/resume/?… HTTP/1.1" 200 512'


def test_a_mail_server_failure_is_tried_again(
    reporter, django_capture_on_commit_callbacks, monkeypatch, later
):
    real_send = EmailMessage.send
    calls = []

    def flaky_send(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("down")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", flaky_send)
    half_way(reporter)
    save(reporter, django_capture_on_commit_callbacks)
    link = SavedDraftLink.objects.get()
    assert link.email_status == SavedDraftLink.EmailStatus.PENDING
    assert link.email_attempts == 1 and link.next_attempt_at is not None
    assert link.email == ADDRESS  # kept (encrypted) until it is sent
    assert not mail.outbox

    assert save_and_return.sweep() == 0  # not due yet
    later(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert save_and_return.sweep() == 1
    link.refresh_from_db()
    assert link.email_status == SavedDraftLink.EmailStatus.SENT and link.email_attempts == 2
    assert len(mail.outbox) == 1


def test_a_refused_address_is_not_tried_again(
    reporter, django_capture_on_commit_callbacks, monkeypatch
):
    def refused(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({ADDRESS: (550, b"no such user")})

    monkeypatch.setattr(EmailMessage, "send", refused)
    half_way(reporter)
    save(reporter, django_capture_on_commit_callbacks)
    link = SavedDraftLink.objects.get()
    assert link.email_status == SavedDraftLink.EmailStatus.FAILED and link.email == ""


def test_the_address_is_encrypted_until_sent(
    reporter, django_capture_on_commit_callbacks, monkeypatch
):
    from django.db import connection

    monkeypatch.setattr(
        EmailMessage,
        "send",
        lambda self, *a, **k: (_ for _ in ()).throw(smtplib.SMTPServerDisconnected("down")),
    )
    half_way(reporter)
    save(reporter, django_capture_on_commit_callbacks)
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM reporting_saveddraftlink")
        (stored,) = cursor.fetchone()
    assert stored and ADDRESS not in stored
