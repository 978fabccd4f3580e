"""Feedback over HTTP: "Is this page useful?" on cached content pages, the problem form, the
satisfaction question after a report, site feedback, the phase banner, the editors' listing
scoped per force (national team: national pages), and retention."""

import re
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page

import pytest

from feedback.models import Feedback, Kind
from forces.national.syndication import national_root
from forces.roles import FORCE_EDITOR, NATIONAL_EDITOR
from reporting.journey_builder import emergency_steps, journey_steps, short_text, step
from reporting.retention import purge
from tests.factories import ContentPageFactory, JourneyClient, make_journey_page

pytestmark = pytest.mark.django_db

TVP = "thames-valley.localhost"
MET = "met.localhost"
COMMENT = "The opening hours on this page are wrong-4471"


@pytest.fixture(autouse=True)
def _unlimited(settings):
    settings.REPORT_MIN_SECONDS = 0
    settings.REPORT_RATE_LIMIT_PER_HOUR = 1000


def advice(force):
    return force.site.root_page.get_children().get(slug="advice").specific


@pytest.fixture
def local_page(forces):
    return ContentPageFactory(parent=advice(forces["thames-valley"]), slug="bike-marking")


@pytest.fixture
def met_page(forces):
    return ContentPageFactory(parent=advice(forces["met"]), slug="met-only")


@pytest.fixture
def national_copy(forces):
    """A national advice page, and its copy on Thames Valley's site."""
    original = ContentPageFactory(parent=national_root(), slug="phone-scams")
    return Page.objects.get(
        alias_of=original, url_path__startswith=forces["thames-valley"].site.root_page.url_path
    )


def post_useful(client, page, answer, host=TVP):
    return client.post(
        reverse("feedback:page"), {"page": page.pk, "useful": answer}, HTTP_HOST=host
    )


def test_the_component_is_on_content_pages_and_they_stay_cached(client, local_page):
    first = client.get("/advice/bike-marking/", HTTP_HOST=TVP)
    second = client.get("/advice/bike-marking/", HTTP_HOST=TVP)
    assert first.status_code == 200
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert "Set-Cookie" not in first and not first.cookies
    body = first.content.decode()
    assert "Is this page useful?" in body
    component = body[body.index("data-feedback-component") :]
    component = component[: component.index("Report a problem")]
    assert 'action="/feedback/page/"' in component
    assert "csrfmiddlewaretoken" not in component
    assert f'name="page" value="{local_page.pk}"' in component
    assert "<script" not in component
    # A vote is not a change to the page: it stays cached.
    post_useful(client, local_page, "yes")
    assert client.get("/advice/bike-marking/", HTTP_HOST=TVP)["X-Page-Cache"] == "hit"


def test_yes_is_counted_for_the_page_and_site(local_page, forces):
    client = Client(enforce_csrf_checks=True)  # as a browser without the page's token
    response = post_useful(client, local_page, "yes")
    assert response.status_code == 303
    assert "no-store" in response["Cache-Control"]
    thanks = client.get(response["Location"], HTTP_HOST=TVP)
    assert thanks.status_code == 200
    assert "Thank you for your feedback" in thanks.content.decode()
    assert "What went wrong?" not in thanks.content.decode()
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.page_id, feedback.force, feedback.national) == (
        Kind.USEFUL,
        local_page.pk,
        forces["thames-valley"],
        False,
    )
    assert feedback.site == forces["thames-valley"].site
    assert feedback.path == "/advice/bike-marking/"


def test_no_asks_what_went_wrong_and_keeps_the_comment_encrypted(client, local_page):
    response = post_useful(client, local_page, "no")
    thanks = client.get(response["Location"], HTTP_HOST=TVP)
    body = thanks.content.decode()
    assert "What went wrong?" in body and "csrfmiddlewaretoken" in body
    assert "no-store" in thanks["Cache-Control"]
    refused = client.post(
        reverse("feedback:page_problem"), {"page": local_page.pk, "comment": ""}, HTTP_HOST=TVP
    )
    assert refused.status_code == 400
    assert "There is a problem" in refused.content.decode()
    assert "Enter what went wrong" in refused.content.decode()
    sent = client.post(
        reverse("feedback:page_problem"),
        {"page": local_page.pk, "comment": COMMENT},
        HTTP_HOST=TVP,
    )
    assert sent.status_code == 303
    assert list(Feedback.objects.order_by("pk").values_list("kind", flat=True)) == [
        Kind.NOT_USEFUL,
        Kind.PROBLEM,
    ]
    assert Feedback.objects.get(kind=Kind.PROBLEM).comment == COMMENT
    with connection.cursor() as cursor:
        cursor.execute("SELECT comment FROM feedback_feedback WHERE kind = 'problem'")
        assert COMMENT not in cursor.fetchone()[0]


def test_feedback_about_another_sites_page_or_nonsense_is_refused(client, met_page, local_page):
    assert post_useful(client, met_page, "yes").status_code == 400
    assert post_useful(client, local_page, "maybe").status_code == 400
    response = client.post(reverse("feedback:page"), {"page": "x"}, HTTP_HOST=TVP)
    assert response.status_code == 400
    assert "Your feedback was not recorded" in response.content.decode()
    assert client.get(reverse("feedback:page"), HTTP_HOST=TVP).status_code == 405
    assert not Feedback.objects.exists()


def test_the_rate_limit_answers_in_plain_words(client, local_page, settings):
    settings.REPORT_RATE_LIMIT_PER_HOUR = 2
    assert post_useful(client, local_page, "yes").status_code == 303
    assert post_useful(client, local_page, "yes").status_code == 303
    limited = post_useful(client, local_page, "yes")
    assert limited.status_code == 429
    assert "Too much feedback from your connection" in limited.content.decode()
    assert Feedback.objects.count() == 2


def test_the_confirmation_page_asks_how_reporting_went(client, forces):
    page = make_journey_page(
        forces["thames-valley"],
        journey_steps(*emergency_steps(), step("name", short_text("name", "Name"))),
        slug="feedback-journey",
        code="FBJ",
    )
    reporter = JourneyClient(client, TVP, page)
    reporter.start()
    reporter.answer("emergency", {"in-danger": "no"})
    reporter.answer("name", {"name": "Someone"})
    reporter.post("check-your-answers/")
    confirmation = reporter.get("confirmation/").content.decode()
    assert "Overall, how did you feel about reporting online?" in confirmation
    assert 'action="/feedback/service/"' in confirmation
    url = reverse("feedback:service")
    refused = client.post(url, {"journey": page.pk, "rating": "9"}, HTTP_HOST=TVP)
    assert refused.status_code == 400
    assert "Select how you felt about reporting online" in refused.content.decode()
    assert 'href="#rating-1"' in refused.content.decode()
    sent = client.post(url, {"journey": page.pk, "rating": "4", "comment": "Quick"}, HTTP_HOST=TVP)
    assert sent.status_code == 303
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.rating, feedback.comment, feedback.page_id) == (
        Kind.SATISFACTION,
        4,
        "Quick",
        page.pk,
    )
    # Only a journey can be rated.
    home = forces["thames-valley"].site.root_page
    assert client.post(url, {"journey": home.pk, "rating": "4"}, HTTP_HOST=TVP).status_code == 400


def test_site_feedback_form(client, forces):
    url = reverse("feedback:site")
    page = client.get(url, HTTP_HOST=TVP)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert client.post(url, {"comment": ""}, HTTP_HOST=TVP).status_code == 400
    assert client.post(url, {"comment": "x" * 1201}, HTTP_HOST=TVP).status_code == 400
    assert client.post(url, {"comment": "Nice site"}, HTTP_HOST=TVP).status_code == 303
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.force, feedback.page) == (
        Kind.SITE,
        forces["thames-valley"],
        None,
    )


def banner(client, host, path="/"):
    body = client.get(path, HTTP_HOST=host).content.decode()
    found = re.search(r'<div class="govuk-phase-banner".*?</div>', body, re.S)
    return found.group(0) if found else ""


def test_a_live_site_has_no_phase_banner(client, forces):
    assert banner(client, TVP) == ""
    assert banner(client, "localhost") == ""


def test_a_beta_force_shows_the_banner_with_its_feedback_form(client, forces, local_page):
    tvp = forces["thames-valley"]
    assert banner(client, TVP, "/advice/bike-marking/") == ""  # cached as it was
    tvp.phase = "beta"
    tvp.save()
    shown = banner(client, TVP, "/advice/bike-marking/")
    assert ">Beta</strong>" in shown and 'href="/feedback/"' in shown
    assert banner(client, MET) == ""  # another force's setting


def test_an_alpha_force_links_to_its_own_survey(client, forces):
    tvp = forces["thames-valley"]
    tvp.phase = "alpha"
    tvp.phase_feedback_url = "https://example.org/survey"
    tvp.save()
    shown = banner(client, TVP)
    assert ">Alpha</strong>" in shown and 'href="https://example.org/survey"' in shown


def test_the_hubs_banner_is_a_setting(client, settings):
    settings.HUB_PHASE = "beta"
    assert ">Beta</strong>" in banner(client, "localhost")


# --- the editors' listing ------------------------------------------------------------------------


@pytest.fixture
def all_feedback(client, local_page, met_page, national_copy):
    post_useful(client, local_page, "no")
    post_useful(client, met_page, "yes", host=MET)
    post_useful(client, national_copy, "yes")
    return Feedback.objects.all()


def listing(client, user):
    client.force_login(user)
    response = client.get(reverse("public_feedback:index"))
    assert response.status_code == 200
    return set(re.findall(r'data-feedback="(\d+)"', response.content.decode()))


def ids(queryset):
    return {str(pk) for pk in queryset.values_list("pk", flat=True)}


def test_editors_read_their_forces_feedback_only(all_feedback, forces, make_user):
    client = Client()
    tvp_editor = make_user("tvp-editor", FORCE_EDITOR, forces["thames-valley"])
    seen = listing(client, tvp_editor)
    assert seen == ids(all_feedback.filter(force=forces["thames-valley"]))
    assert not seen & ids(all_feedback.filter(force=forces["met"]))


def test_the_national_team_reads_feedback_on_national_pages(all_feedback, make_user):
    national = make_user("national", NATIONAL_EDITOR)
    seen = listing(Client(), national)
    assert seen == ids(all_feedback.filter(national=True))
    assert len(seen) == 1


def test_people_without_a_role_cannot_read_feedback(all_feedback, make_user):
    client = Client()
    client.force_login(make_user("somebody"))
    response = client.get(reverse("public_feedback:index"))
    assert response.status_code in (302, 403)


def test_feedback_is_purged_after_its_retention(all_feedback, settings):
    old = all_feedback.first()
    Feedback.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=settings.FEEDBACK_RETENTION_DAYS + 1)
    )
    assert purge(dry_run=True).feedback == 1
    assert purge().feedback == 1
    assert not Feedback.objects.filter(pk=old.pk).exists()
    assert Feedback.objects.count() == 2
