"""Adding information when the force asks: the follow-up journey after "Track my report", and
its signed ``report.follow_up`` webhook reaching the back office (a real receiver over HTTP)."""

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from reporting.delivery import sweep
from reporting.models import Delivery, DeliveryChannel, DeliveryStatus, Evidence
from tests.factories import png_bytes
from tests.reporting.receiver import Clock
from tracking.models import FollowUp

from .conftest import EMAIL, sent_code

pytestmark = pytest.mark.django_db

ASK = {"status": "needs-more-information", "message_en": "Do you have a photo of the car?"}
TEXT = "The car was a blue estate; photo attached."


@pytest.fixture
def verified(tvp, report, post_update, visitor):
    """A report the force asked more about, and a reporter who has proved it is theirs."""

    def make(status=ASK):
        submission = report(tvp)
        post_update(tvp, submission.reference, status)
        mail.outbox.clear()
        reporter = visitor()
        reporter.ask(submission.reference, EMAIL)
        assert reporter.enter(sent_code())["Location"] == "/report/track/report/"
        return submission, reporter

    return make


def photo(name="car.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def test_a_follow_up_reaches_the_back_office_with_the_original_reference(verified, receiver):
    submission, reporter = verified()
    page = reporter.get("/report/track/report/").content.decode()
    assert "Add more information" in page and ASK["message_en"] in page
    assert reporter.get("/report/track/add-information/").status_code == 200

    sent = reporter.post("/report/track/add-information/", {"text": TEXT, "evidence": photo()})
    assert sent["Location"] == "/report/track/information-sent/"
    confirmation = reporter.get("/report/track/information-sent/").content.decode()
    assert "Information sent" in confirmation and submission.reference in confirmation

    follow_up = FollowUp.objects.get()
    assert follow_up.text == TEXT and follow_up.in_reply_to.status == ASK["status"]
    (evidence,) = Evidence.objects.filter(draft_key=follow_up.pk)
    assert evidence.submission == submission and evidence.original_name == "car.png"

    (received,) = [item for item in receiver.reports if item.is_follow_up]
    assert received.key == str(follow_up.pk) and received.force == "thames-valley"
    payload = received.payload
    assert payload["event"] == "report.follow_up"
    assert payload["reference"] == submission.reference
    assert payload["report_id"] == str(submission.pk)
    assert payload["text"] == TEXT and payload["in_reply_to_update"] == str(
        follow_up.in_reply_to_id
    )
    (file,) = payload["evidence"]
    assert file["filename"] == "car.png" and file["sha256"] == evidence.sha256
    delivery = Delivery.objects.get(channel=DeliveryChannel.FOLLOW_UP_WEBHOOK)
    assert (delivery.item_id, delivery.status) == (follow_up.pk, DeliveryStatus.DELIVERED)
    # The receiver checked the signature (a wrong one is answered 401 and not kept).
    assert ("thames-valley", str(follow_up.pk), 200) in receiver.requests


def test_a_back_office_that_is_down_gets_the_follow_up_later_once(
    verified, receiver, monkeypatch, django_capture_on_commit_callbacks
):
    submission, reporter = verified()
    receiver.fail_next(1, status=503)
    reporter.post("/report/track/add-information/", {"text": TEXT})
    delivery = Delivery.objects.get(channel=DeliveryChannel.FOLLOW_UP_WEBHOOK)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert not [item for item in receiver.reports if item.is_follow_up]

    clock = Clock(monkeypatch)
    clock.advance(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        sweep()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    (received,) = [item for item in receiver.reports if item.is_follow_up]
    assert received.reference == submission.reference

    # Sent again (a worker that died after the back office answered): kept once.
    from reporting.delivery import item_sender

    item_sender(DeliveryChannel.FOLLOW_UP_WEBHOOK)(submission, delivery.item_id)
    assert len([item for item in receiver.reports if item.is_follow_up]) == 1
    assert receiver.duplicates == 1


def test_a_refused_follow_up_is_dead_lettered(verified, receiver):
    _submission, reporter = verified()
    receiver.always(400)
    reporter.post("/report/track/add-information/", {"text": TEXT})
    delivery = Delivery.objects.get(channel=DeliveryChannel.FOLLOW_UP_WEBHOOK)
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_error == "HTTP 400"


def test_the_webhook_is_signed_with_the_forces_secret(verified, receiver):
    submission, reporter = verified()
    # A back office holding another secret refuses it (401), keeps nothing: it is dead-lettered.
    receiver.secrets["thames-valley"] = "not-the-forces-secret"
    reporter.post("/report/track/add-information/", {"text": TEXT})
    delivery = Delivery.objects.get(channel=DeliveryChannel.FOLLOW_UP_WEBHOOK)
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_error == "HTTP 401"
    assert not [item for item in receiver.reports if item.is_follow_up]
    assert receiver.by_reference(submission.reference)  # the report itself had arrived


def test_information_cannot_be_added_unless_the_force_asked(verified):
    _submission, reporter = verified(status={"status": "investigating", "message_en": "On it."})
    assert "Add more information" not in reporter.get("/report/track/report/").content.decode()
    assert reporter.get("/report/track/add-information/")["Location"] == "/report/track/report/"
    posted = reporter.post("/report/track/add-information/", {"text": TEXT})
    assert posted["Location"] == "/report/track/report/"
    assert not FollowUp.objects.exists()


def test_information_cannot_be_added_without_the_code(tvp, report, post_update, visitor):
    submission = report(tvp)
    post_update(tvp, submission.reference, ASK)
    stranger = visitor()
    assert stranger.get("/report/track/add-information/")["Location"] == "/report/track/"
    stranger.post("/report/track/add-information/", {"text": TEXT})
    assert not FollowUp.objects.exists()


def test_errors_are_shown_and_nothing_is_kept(verified):
    _submission, reporter = verified()
    empty = reporter.post("/report/track/add-information/", {"text": ""})
    assert empty.status_code == 400
    assert "Enter the information you want to add" in empty.content.decode()
    program = SimpleUploadedFile("car.png", b"MZ\x90\x00" + b"\x00" * 200)
    bad = reporter.post("/report/track/add-information/", {"text": TEXT, "evidence": program})
    assert bad.status_code == 400 and 'href="#evidence"' in bad.content.decode()
    too_long = reporter.post("/report/track/add-information/", {"text": "x" * 5001})
    assert too_long.status_code == 400
    assert (
        not FollowUp.objects.exists()
        and not Delivery.objects.filter(channel=DeliveryChannel.FOLLOW_UP_WEBHOOK).exists()
    )


def test_handlers_see_the_added_information(verified, client, make_user):
    submission, reporter = verified()
    reporter.post("/report/track/add-information/", {"text": TEXT, "evidence": photo()})
    handler = make_user("handler", role="report-handler", force=submission.force)
    client.force_login(handler)
    from django.urls import reverse

    page = client.get(
        reverse("handled_reports:detail", args=[submission.pk]), HTTP_HOST="localhost"
    )
    html = page.content.decode()
    assert "Information added by the reporter" in html and TEXT in html and "car.png" in html
