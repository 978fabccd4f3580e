"""The public journey over HTTP: start, steps, conditions, exits, check your answers, submit."""

import re

from django.core import mail
from django.test import override_settings
from django.utils import timezone

import pytest

from reporting.models import Draft, ReportJourneyPage, SpamCount, Submission
from tests.reporting.journeys import emergency_steps, journey_steps, short_text, step
from tests.reporting.reporter import CANARY, TVP, Reporter, make_journey

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey(forces):
    return make_journey(forces["thames-valley"])


@pytest.fixture
def reporter(client, journey):
    return Reporter(client, TVP, journey)


@pytest.fixture(autouse=True)
def quick_and_unlimited(settings):
    settings.REPORT_MIN_SECONDS = 0
    settings.REPORT_RATE_LIMIT_PER_HOUR = 1000


def location(response):
    return response["Location"].split("?")[0]


def test_start_page_offers_the_journey_and_is_never_stored(reporter):
    response = reporter.get()
    assert response.status_code == 200
    assert b"Start now" in response.content
    assert "no-store" in response["Cache-Control"]


def test_the_first_step_is_the_emergency_question_and_yes_ends_with_999(reporter):
    response = reporter.start()
    assert location(response).endswith("/step/emergency/")
    response = reporter.answer("emergency", {"in-danger": "yes"})
    assert location(response).endswith("/step/call-999/")
    page = reporter.get("step/call-999/")
    assert b"Call 999 now" in page.content
    assert b"Accept and send" not in page.content
    # An exit ends the journey: check your answers is not reachable from it.
    assert location(reporter.get("check-your-answers/")).endswith("/step/call-999/")


def test_errors_are_summarised_and_linked_to_the_field(reporter):
    reporter.start()
    reporter.answer("emergency", {"in-danger": "no"})
    reporter.answer("what", {"what": "driving"})
    future = timezone.localdate().replace(year=timezone.localdate().year + 1)
    response = reporter.answer(
        "when",
        {
            "incident-date-day": str(future.day),
            "incident-date-month": str(future.month),
            "incident-date-year": str(future.year),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#incident-date-day"' in html
    assert "<title>Error:" in html
    assert "no-store" in response["Cache-Control"]


def test_conditions_skip_steps_and_exit_steps_end_the_journey(reporter):
    reporter.start()
    reporter.answer("emergency", {"in-danger": "no"})
    # Dangerous driving: no injuries step.
    assert location(reporter.answer("what", {"what": "driving"})).endswith("/step/when/")
    # Collision: the injuries step is asked.
    assert location(reporter.answer("what", {"what": "collision"})).endswith("/step/injuries/")
    assert location(reporter.answer("what", {"what": "fraud"})).endswith("/step/fraud-exit/")


def test_steps_cannot_be_skipped_ahead(reporter):
    reporter.start()
    response = reporter.get("step/about-you/")
    assert location(response).endswith("/step/emergency/")


def test_check_your_answers_shows_the_path_taken_with_change_links(reporter):
    response = reporter.complete()
    assert location(response).endswith("/check-your-answers/")
    page = reporter.get("check-your-answers/").content.decode()
    assert "Check your answers" in page
    assert "AB12 CDE" in page
    assert "Tell us about the injuries" not in page  # not on the path taken
    assert "step/what/?change=1" in page
    # Changing to a collision makes the injuries step necessary: it is asked, then back to CYA.
    response = reporter.answer("what", {"what": "collision"}, change=True)
    assert response["Location"].endswith("/step/injuries/?change=1")
    response = reporter.answer("injuries", {"injuries": "A cut hand"}, change=True)
    assert location(response).endswith("/check-your-answers/")
    page = reporter.get("check-your-answers/").content.decode()
    assert "A cut hand" in page
    assert "AB12 CDE" in page  # later answers were kept


def test_a_change_that_needs_nothing_new_returns_to_check_your_answers(reporter):
    reporter.complete()
    response = reporter.answer("about-you", {"name": "Another Name"}, change=True)
    assert location(response).endswith("/check-your-answers/")


def test_repeating_group_adds_another_without_javascript(reporter):
    reporter.start()
    reporter.answer("emergency", {"in-danger": "no"})
    reporter.answer("what", {"what": "driving"})
    reporter.answer(
        "when",
        {"incident-date-day": "3", "incident-date-month": "2", "incident-date-year": "2026"},
    )
    response = reporter.post(
        "step/vehicles/",
        {"action": "add:vehicles", "vehicles-count": "1", "vehicles-1-reg": "AB12CDE"},
    )
    assert response.status_code == 200
    assert b'name="vehicles-2-reg"' in response.content
    response = reporter.answer(
        "vehicles",
        {"vehicles-count": "2", "vehicles-1-reg": "AB12CDE", "vehicles-2-reg": "not a reg"},
    )
    assert response.status_code == 400
    assert b"registration" in response.content.lower()


def test_submit_gives_a_force_reference_and_stores_it_encrypted(
    reporter, forces, django_capture_on_commit_callbacks
):
    reporter.complete()
    with django_capture_on_commit_callbacks(execute=True):
        response = reporter.post("check-your-answers/")
    assert location(response).endswith("/confirmation/")
    page = reporter.get("confirmation/")
    reference = re.search(rb"data-reference>([A-Z0-9-]+)<", page.content).group(1).decode()
    assert re.fullmatch(r"TVP-RTI-[2-9A-HJKMNP-TV-Z]{6}", reference)
    submission = Submission.objects.get(reference=reference)
    assert submission.force == forces["thames-valley"]
    assert submission.revision_number
    assert any(row["value"] == CANARY for row in submission.answers)
    # Nothing personal in the URLs the reporter went through or in the page title.
    assert CANARY not in response["Location"]
    assert CANARY.encode() not in page.content.split(b"</title>")[0]
    # The confirmation email went to the reporter with the reference.
    assert any(reference in message.body for message in mail.outbox)


def test_submitting_twice_gives_one_report_and_the_same_reference(reporter):
    reporter.complete()
    first = reporter.post("check-your-answers/")
    second = reporter.post("check-your-answers/")
    assert location(first) == location(second)
    assert Submission.objects.count() == 1
    assert Draft.objects.get().answers == {}  # the answers are only in the report now
    page = reporter.get("confirmation/")
    assert Submission.objects.get().reference.encode() in page.content


def test_a_failed_transaction_gives_no_reference_and_a_phone_number(reporter, monkeypatch):
    from reporting import submissions

    def broken(**kwargs):
        raise RuntimeError(CANARY)

    monkeypatch.setattr(submissions, "submit", broken)
    reporter.complete()
    response = reporter.post("check-your-answers/")
    assert response.status_code == 503
    html = response.content.decode()
    assert "has not been sent" in html
    assert "101" in html
    assert "data-reference" not in html
    assert Submission.objects.count() == 0


def test_someone_who_started_on_one_revision_finishes_on_it(reporter, journey):
    reporter.start()
    reporter.answer("emergency", {"in-danger": "no"})
    # An editor publishes a new revision that drops every step after the emergency question.
    journey.steps = journey_steps(*emergency_steps(), step("new", short_text("new-q", "New")))
    journey.save_revision().publish()
    response = reporter.answer("what", {"what": "driving"})
    assert location(response).endswith("/step/when/")
    draft = Draft.objects.get()
    assert draft.revision_id != ReportJourneyPage.objects.get(pk=journey.pk).live_revision_id


def test_an_expired_draft_says_so_and_starts_again(reporter):
    reporter.start()
    Draft.objects.update(expires_at=timezone.now())
    response = reporter.get("step/emergency/")
    assert location(response).endswith("/session-ended/")
    page = reporter.get("session-ended/")
    assert b"Your answers have been deleted" in page.content


def test_keep_alive_pushes_the_expiry_back(reporter):
    reporter.start()
    Draft.objects.update(expires_at=timezone.now() + timezone.timedelta(minutes=1))
    assert reporter.post("keep-alive/").status_code == 204
    assert Draft.objects.get().expires_at > timezone.now() + timezone.timedelta(minutes=30)


def test_the_honeypot_drops_the_report_and_counts_it(reporter, forces):
    reporter.complete()
    response = reporter.post("check-your-answers/", {"website": "http://spam.example"})
    assert response.status_code == 400
    assert b"101" in response.content
    assert Submission.objects.count() == 0
    assert SpamCount.objects.get(reason="honeypot").count == 1


def test_the_minimum_time_trap(reporter, settings):
    settings.REPORT_MIN_SECONDS = 3600
    reporter.complete()
    response = reporter.post("check-your-answers/")
    assert response.status_code == 400
    assert Submission.objects.count() == 0
    assert SpamCount.objects.get(reason="too-fast").count == 1


@override_settings(REPORT_RATE_LIMIT_PER_HOUR=2)
def test_rate_limit_answers_with_a_friendly_page(reporter, settings):
    from django.core.cache import cache

    cache.clear()
    settings.REPORT_RATE_LIMIT_PER_HOUR = 2
    reporter.start()
    reporter.start()
    response = reporter.post("start/")
    assert response.status_code == 429
    assert b"101" in response.content
    assert SpamCount.objects.get(reason="rate-limit").count == 1


PROXY = "10.0.0.5"


def start_from(client, reporter, remote, forwarded=None):
    """Start the journey as a connection from ``remote`` carrying ``forwarded`` (if any)."""
    client.cookies.clear()
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return reporter.post("start/", **extra).status_code


def test_clients_behind_a_trusted_proxy_have_their_own_rate_limits(client, reporter, settings):
    from django.core.cache import cache

    cache.clear()
    settings.REPORT_RATE_LIMIT_PER_HOUR = 2
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    first, second = "203.0.113.7", "198.51.100.23"

    assert [start_from(client, reporter, PROXY, first) for _ in range(3)] == [302, 302, 429]
    # Another reporter behind the same proxy is not punished for the first one's flood.
    assert [start_from(client, reporter, PROXY, second) for _ in range(2)] == [302, 302]
    # A client cannot escape its bucket by writing its own hops in front of the proxy's.
    assert start_from(client, reporter, PROXY, f"192.0.2.1, {first}") == 429


def test_a_forged_forwarded_for_from_an_untrusted_client_does_not_escape_the_limit(
    client, reporter, settings
):
    from django.core.cache import cache

    cache.clear()
    settings.REPORT_RATE_LIMIT_PER_HOUR = 2
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    attacker = "203.0.113.66"
    statuses = [
        start_from(client, reporter, attacker, f"198.51.100.{number}") for number in range(4)
    ]

    assert statuses == [302, 302, 429, 429]
    assert SpamCount.objects.get(reason="rate-limit").count == 2


def test_every_step_renders_within_the_query_budget(reporter, django_assert_max_num_queries):
    reporter.start()
    with django_assert_max_num_queries(10):
        assert reporter.get("step/emergency/").status_code == 200
    reporter.answer("emergency", {"in-danger": "no"})
    with django_assert_max_num_queries(10):
        assert reporter.get("step/what/").status_code == 200
    reporter.complete()
    with django_assert_max_num_queries(10):
        assert reporter.get("check-your-answers/").status_code == 200


def test_a_report_on_one_force_is_not_visible_from_another(client, forces):
    page = make_journey(forces["hampshire"], slug="hants-journey", code="HJ")
    other = Reporter(client, TVP, page)
    # Hampshire's journey is not on Thames Valley's site.
    assert other.get().status_code == 404


def test_a_national_journey_reports_to_the_force_whose_site_it_was_made_on(
    client, hub, forces, django_capture_on_commit_callbacks
):
    from demo.receiver import Receiver
    from demo.seed import seed_national_journeys

    seed_national_journeys(hub)
    secrets = {"thames-valley": "tvp-secret-for-tests-1", "hampshire": "hiow-secret-for-tests-2"}
    receiver = Receiver(secrets=secrets)
    receiver.start()
    try:
        for slug, secret in secrets.items():
            force = forces[slug]
            force.webhook_url = receiver.url(slug)
            force.set_webhook_secret(secret)
            force.save()
        references = {}
        for slug in secrets:
            page = ReportJourneyPage.objects.get(url_path=f"/{slug}/report/lost-property/")
            client.cookies.clear()
            reporter = Reporter(client, f"{slug}.localhost", page)
            reporter.start()
            reporter.answer("emergency", {"in_danger": "no"})
            reporter.answer("what", {"item_type": "phone", "item_description": "Black phone"})
            reporter.answer(
                "when-where",
                {
                    "lost_date-day": "1",
                    "lost_date-month": "11",
                    "lost_date-year": "2026",
                    "think_stolen": "no",
                },
            )
            reporter.answer("your-details", {"your_name": CANARY, "your_email": "a@example.com"})
            with django_capture_on_commit_callbacks(execute=True):
                reporter.post("check-your-answers/")
            references[slug] = Submission.objects.get(force=forces[slug]).reference
        assert references["thames-valley"].startswith("TVP-LP-")
        assert references["hampshire"].startswith("HIOW-LP-")
        received = {report.force: report.reference for report in receiver.reports}
        assert received == references
        assert receiver.duplicates == 0
    finally:
        receiver.stop()


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def test_evidence_is_kept_across_visits_and_can_be_removed(client, forces):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reporting.models import Evidence
    from tests.reporting.journeys import evidence

    page = make_journey(
        forces["thames-valley"],
        slug="evidence-journey",
        steps=journey_steps(
            step("photos", evidence("photos", "Photos", required=False)),
            step("about", short_text("name", "Name")),
        ),
    )
    reporter = Reporter(client, TVP, page)
    reporter.start()
    for name in ("one.png", "two.png"):
        photo = SimpleUploadedFile(name, PNG, content_type="image/png")
        response = reporter.post("step/photos/", {"action": "continue", "photos": photo})
        assert location(response).endswith("/step/about/")
    answer = Draft.objects.get().answers["photos"]
    assert [item["filename"] for item in answer] == ["one.png", "two.png"]
    assert Evidence.objects.count() == 2
    # "Remove" beside the first file: gone from the answers and from storage, the other kept.
    response = reporter.post("step/photos/", {"remove-evidence": answer[0]["evidence_id"]})
    assert location(response).endswith("/step/photos/")
    kept = Draft.objects.get().answers["photos"]
    assert [item["filename"] for item in kept] == ["two.png"]
    assert [str(pk) for pk in Evidence.objects.values_list("pk", flat=True)] == [
        kept[0]["evidence_id"]
    ]
