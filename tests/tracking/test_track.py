"""Track my report over HTTP: one-time codes, never telling whether a reference exists, rate
limits, the timeline, Welsh, and one force's reporters never reaching another's reports."""

import re

from django.core import mail
from django.db import connection
from django.test import override_settings

import pytest

from tracking import challenges, sms
from tracking.models import TrackingChallenge

from .conftest import EMAIL, PHONE, sent_code

pytestmark = pytest.mark.django_db


def test_the_right_code_shows_the_reports_timeline(tvp, report, post_update, visitor):
    submission = report(tvp)
    post_update(tvp, submission.reference, {"status": "received", "message_en": "Logged it."})
    post_update(tvp, submission.reference, {"status": "assigned", "message_en": "PC Smith."})
    mail.outbox.clear()
    reporter = visitor()

    assert reporter.get("/report/track/").status_code == 200
    answer = reporter.ask(submission.reference.lower().replace("-", " "), EMAIL.upper())
    assert answer.status_code == 302 and answer["Location"] == "/report/track/code/"
    code = sent_code()
    assert mail.outbox[0].to == [EMAIL]
    # Before the code, the report cannot be read.
    assert reporter.get("/report/track/report/")["Location"] == "/report/track/"

    assert reporter.enter(code)["Location"] == "/report/track/report/"
    page = reporter.get("/report/track/report/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert submission.reference in html
    # Newest first.
    assert html.index("PC Smith.") < html.index("Logged it.")
    assert "Assigned to an officer" in html and "Add more information" not in html


def test_codes_are_hashed_single_use_and_expire(tvp, report, visitor, settings):
    submission = report(tvp)
    reporter = visitor()
    reporter.ask(submission.reference, EMAIL)
    code = sent_code()
    challenge = TrackingChallenge.objects.get()
    assert challenge.submission == submission and code not in challenge.code_hash
    assert challenge.code_hash == challenges.code_hash(challenge.pk, code)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM tracking_trackingchallenge")
        assert code not in " ".join(str(value) for value in cursor.fetchone())

    assert reporter.enter(code)["Location"] == "/report/track/report/"
    # Used: another browser with the same challenge cannot use it again.
    assert challenges.check(tvp, challenge.pk, code).problem == "expired"

    mail.outbox.clear()
    later = visitor()
    later.ask(submission.reference, EMAIL)
    code = sent_code()
    TrackingChallenge.objects.filter(used_at__isnull=True).update(expires_at=challenge.created_at)
    expired = later.enter(code)
    assert expired.status_code == 400 and "This code no longer works" in expired.content.decode()


def test_a_code_allows_limited_attempts(tvp, report, visitor, settings):
    submission = report(tvp)
    reporter = visitor()
    reporter.ask(submission.reference, EMAIL)
    code = sent_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(settings.TRACKING_CODE_MAX_ATTEMPTS - 1):
        answer = reporter.enter(wrong)
        assert answer.status_code == 400
        assert "The code is not right" in answer.content.decode()
    assert "This code no longer works" in reporter.enter(wrong).content.decode()
    # Even the right code no longer passes.
    assert reporter.enter(code)["Location"] == "/report/track/"
    assert reporter.get("/report/track/report/")["Location"] == "/report/track/"


def test_a_reference_is_never_confirmed_without_the_code(tvp, report, visitor):
    submission = report(tvp)
    answers = []
    for reference, contact in [
        (submission.reference, EMAIL),  # a match: a code is sent
        (submission.reference, "someone.else@example.org"),  # a real reference, wrong email
        ("TVP-RTI-ZZZZZZ", EMAIL),  # no such reference
    ]:
        reporter = visitor()
        asked = reporter.ask(reference, contact)
        page = reporter.get("/report/track/code/")
        wrong = reporter.enter("123456")
        answers.append(
            (
                asked.status_code,
                asked["Location"],
                page.status_code,
                page.content.decode().replace(reporter.client.cookies["csrftoken"].value, ""),
                wrong.status_code,
            )
        )
        assert reporter.get("/report/track/report/")["Location"] == "/report/track/"
    # The same answers whatever was typed: nothing says whether the reference exists.
    assert answers[0][:3] == answers[1][:3] == answers[2][:3]
    assert answers[0][4] == answers[1][4] == answers[2][4] == 400
    page_text = [re.sub(r'value="[^"]*"', "", answer[3]) for answer in answers]
    assert page_text[0] == page_text[1] == page_text[2]
    # A challenge for each, only one able to pass, only one code sent.
    assert TrackingChallenge.objects.count() == 3
    assert TrackingChallenge.objects.filter(submission__isnull=False).count() == 1
    assert len(mail.outbox) == 1


def test_a_phone_number_gets_its_code_by_text_message(tvp, report, visitor):
    submission = report(tvp, email="", phone="+447700900982")
    reporter = visitor()
    reporter.ask(submission.reference, PHONE)
    (message,) = sms.outbox
    assert message.to == "+447700900982" and mail.outbox == []
    code = re.search(r"\b([0-9]{6})\b", message.text).group(1)
    assert "Thames Valley Police" in message.text
    assert reporter.enter(code)["Location"] == "/report/track/report/"


def test_invalid_input_gets_govuk_errors(tvp, visitor):
    reporter = visitor()
    empty = reporter.ask("", "")
    html = empty.content.decode()
    assert empty.status_code == 400
    assert "There is a problem" in html and 'href="#reference"' in html
    assert "Enter your reference number" in html and "Enter the email address or phone" in html
    bad = reporter.ask("TVP/RTI", "not an address")
    assert bad.status_code == 400
    assert "like TVP-RTI-7KX2MQ" in bad.content.decode()
    assert not TrackingChallenge.objects.exists()


def test_requests_for_codes_are_limited_per_reference(tvp, report, visitor, settings):
    submission = report(tvp)
    limit = settings.TRACKING_CODES_PER_REFERENCE_PER_HOUR
    for number in range(limit):
        answer = visitor(address=f"198.51.100.{number + 1}").ask(submission.reference, EMAIL)
        assert answer.status_code == 302
    # From yet another address: the reference has had its codes for the hour.
    limited = visitor(address="198.51.100.200").ask(submission.reference, EMAIL)
    assert limited.status_code == 429
    assert "tried too many times" in limited.content.decode()
    # The same for a reference nobody has: the limit gives nothing away.
    for number in range(limit):
        visitor(address=f"192.0.2.{number + 1}").ask("TVP-RTI-ZZZZZZ", EMAIL)
    assert visitor(address="192.0.2.200").ask("TVP-RTI-ZZZZZZ", EMAIL).status_code == 429


def test_requests_for_codes_are_limited_per_real_client(tvp, visitor, settings):
    settings.TRACKING_CODES_PER_REFERENCE_PER_HOUR = 0  # per reference: no limit here
    settings.TRACKING_CODES_PER_CLIENT_PER_HOUR = 3
    settings.TRACKING_PROXIES = []
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # Behind the trusted proxy, each client is the address it forwards.
    one = visitor(address="10.0.0.5")
    forwarded = {"HTTP_X_FORWARDED_FOR": "203.0.113.50"}
    for number in range(3):
        response = one.post(
            "/report/track/",
            {"reference": f"TVP-RTI-AAAAA{number + 2}", "contact": EMAIL},
            **forwarded,
        )
        assert response.status_code == 302
    over = one.post(
        "/report/track/", {"reference": "TVP-RTI-BBBBBB", "contact": EMAIL}, **forwarded
    )
    assert over.status_code == 429
    # Another client behind the same proxy has its own allowance.
    other = one.post(
        "/report/track/",
        {"reference": "TVP-RTI-CCCCCC", "contact": EMAIL},
        HTTP_X_FORWARDED_FOR="203.0.113.51",
    )
    assert other.status_code == 302


def test_code_checks_are_limited_per_client(tvp, report, visitor, settings):
    settings.TRACKING_CODE_CHECKS_PER_CLIENT_PER_HOUR = 2
    submission = report(tvp)
    reporter = visitor()
    reporter.ask(submission.reference, EMAIL)
    code = sent_code()
    reporter.enter("000001")
    reporter.enter("000002")
    assert reporter.enter(code).status_code == 429


def test_another_forces_report_cannot_be_tracked_or_read(tvp, met, report, visitor):
    submission = report(tvp)
    # Asked for on Met's site: no code is sent, however right the email.
    on_met = visitor(host="met.localhost")
    assert on_met.ask(submission.reference, EMAIL).status_code == 302
    assert mail.outbox == []
    assert TrackingChallenge.objects.get().submission is None

    # Proved on Thames Valley's site, the session still reads nothing on Met's.
    reporter = visitor()
    reporter.ask(submission.reference, EMAIL)
    reporter.enter(sent_code())
    assert reporter.get("/report/track/report/").status_code == 200
    session_cookie = reporter.client.cookies["sessionid"].value
    on_met.client.cookies["sessionid"] = session_cookie
    assert on_met.get("/report/track/report/")["Location"] == "/report/track/"
    assert on_met.get("/report/track/add-information/")["Location"] == "/report/track/"


def test_the_hub_has_no_track_page(visitor):
    assert visitor(host="localhost").get("/report/track/").status_code == 404


@pytest.fixture
def dyfed_powys(make_force, receiver):
    from tests.reporting.receiver import configure

    force = make_force(
        "dyfed-powys",
        name="Dyfed-Powys Police",
        welsh_name="Heddlu Dyfed-Powys",
        country="wales",
        languages="en,cy",
        short_name="DPP",
    )
    return configure(force, webhook_url=receiver.url("dyfed-powys"))


def test_welsh_at_cy_for_a_bilingual_force(dyfed_powys, report, post_update, visitor):
    submission = report(dyfed_powys, language="cy")
    post_update(
        dyfed_powys,
        submission.reference,
        {"status": "received", "message_en": "We have it.", "message_cy": "Mae gennym ni fe."},
    )
    mail.outbox.clear()
    reporter = visitor(host="dyfed-powys.localhost")
    start = reporter.get("/cy/report/track/")
    html = start.content.decode()
    assert start.status_code == 200 and 'lang="cy"' in html
    assert "Dilyn eich adroddiad" in html and "Anfon cod ataf" in html
    assert reporter.ask(submission.reference, EMAIL, prefix="/cy")["Location"] == (
        "/cy/report/track/code/"
    )
    assert "Eich cod" in mail.outbox[0].subject
    assert reporter.enter(sent_code(), prefix="/cy")["Location"] == "/cy/report/track/report/"
    page = reporter.get("/cy/report/track/report/").content.decode()
    assert "Mae gennym ni fe." in page and "We have it." not in page
    assert "Wedi dod i law" in page
    # English at /report/track/ on the same site, with the English message.
    english = reporter.get("/report/track/report/").content.decode()
    assert "We have it." in english


def test_no_welsh_on_an_english_only_force(visitor):
    assert visitor().get("/cy/report/track/").status_code == 404


@override_settings(TRACKING_SMS_BACKEND="tracking.sms.ConsoleBackend")
def test_the_console_text_backend_writes_the_message(capsys):
    sms.send_text("+447700900982", "Your code is 123456")
    assert "Your code is 123456" in capsys.readouterr().out


def test_the_file_text_backend_writes_each_message_to_a_file(tmp_path, settings):
    settings.TRACKING_SMS_BACKEND = "tracking.sms.FileBackend"
    settings.TRACKING_SMS_FILE_PATH = str(tmp_path)
    sms.send_text("+447700900982", "Your code is 123456")
    (written,) = tmp_path.iterdir()
    assert written.read_text() == "To: +447700900982\n\nYour code is 123456\n"
