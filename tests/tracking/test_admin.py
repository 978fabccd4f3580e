"""Handlers see and post status updates on their own force's reports, and no other force's."""

from django.core import mail
from django.urls import reverse

import pytest

from tracking.admin_views import URL_NAME
from tracking.models import ReportUpdate, UpdateSource

from .conftest import EMAIL

pytestmark = pytest.mark.django_db

UPDATE = {"status": "needs-more-information", "message_en": "Do you have a photo of the car?"}


def post_url(submission):
    return reverse(URL_NAME, args=[submission.pk])


def detail_url(submission):
    return reverse("handled_reports:detail", args=[submission.pk])


@pytest.fixture
def handler_client(client, make_user):
    def sign_in(force, username="handler"):
        user = make_user(f"{username}-{force.slug}", role="report-handler", force=force)
        client.force_login(user)
        return client

    return sign_in


def test_a_handler_posts_an_update_and_sees_who_and_when(
    tvp, report, handler_client, django_capture_on_commit_callbacks
):
    submission = report(tvp)
    client = handler_client(tvp)
    form = client.get(post_url(submission), HTTP_HOST="localhost")
    assert form.status_code == 200
    assert "Post a status update" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(post_url(submission), UPDATE, HTTP_HOST="localhost")
    assert response.status_code == 302 and response["Location"] == detail_url(submission)

    update = ReportUpdate.objects.get()
    assert (update.source, update.author_name, update.status) == (
        UpdateSource.ADMIN,
        "handler-thames-valley",
        "needs-more-information",
    )
    (email,) = mail.outbox
    assert email.to == [EMAIL] and UPDATE["message_en"] not in email.body
    assert "We need more information from you." in email.body

    page = client.get(detail_url(submission), HTTP_HOST="localhost").content.decode()
    assert "Status updates" in page and UPDATE["message_en"] in page
    assert "handler-thames-valley" in page and "More information needed" in page


def test_back_office_updates_show_as_from_the_back_office(tvp, report, post_update, handler_client):
    submission = report(tvp)
    post_update(tvp, submission.reference, {**UPDATE, "officer_reference": "PC 99"})
    page = handler_client(tvp).get(detail_url(submission), HTTP_HOST="localhost")
    html = page.content.decode()
    assert "Back office" in html and "PC 99" in html


def test_a_handler_form_with_errors_changes_nothing(tvp, report, handler_client):
    submission = report(tvp)
    response = handler_client(tvp).post(
        post_url(submission), {"status": "solved", "message_en": ""}, HTTP_HOST="localhost"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Status must be one of" in html and "Give a message in English" in html
    assert not ReportUpdate.objects.exists()


def test_another_forces_handler_can_neither_see_nor_update(tvp, met, report, handler_client):
    submission = report(tvp)
    client = handler_client(met)
    assert client.get(post_url(submission), HTTP_HOST="localhost").status_code == 404
    assert client.post(post_url(submission), UPDATE, HTTP_HOST="localhost").status_code == 404
    assert client.get(detail_url(submission), HTTP_HOST="localhost").status_code == 404
    assert not ReportUpdate.objects.exists() and mail.outbox == []


def test_someone_who_is_not_a_handler_is_refused(tvp, report, client, make_user):
    submission = report(tvp)
    editor = make_user("editor", role="force-editor", force=tvp)
    client.force_login(editor)
    assert client.get(post_url(submission), HTTP_HOST="localhost").status_code in (302, 403)
    response = client.post(post_url(submission), UPDATE, HTTP_HOST="localhost")
    assert response.status_code in (302, 403)
    assert not ReportUpdate.objects.exists()
