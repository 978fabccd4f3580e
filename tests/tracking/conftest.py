"""Fixtures for the tracking tests: forces whose back office is a real receiver, reports with
contact details, and signed requests to the inbound API."""

import json
import re
import uuid

from django.core import mail
from django.test import Client

import pytest

from reporting.delivery import sign
from tests.reporting.receiver import SECRET, configure, make_report, running_receiver
from tracking import sms

OTHER_SECRET = "another-force-webhook-secret"
TVP = "thames-valley.localhost"
EMAIL = "reporter@example.org"
PHONE = "07700 900982"


@pytest.fixture(autouse=True)
def _empty_outboxes():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def receiver():
    with running_receiver(secrets={"met": OTHER_SECRET}) as receiver:
        yield receiver


@pytest.fixture
def tvp(forces, receiver):
    return configure(forces["thames-valley"], webhook_url=receiver.url("thames-valley"))


@pytest.fixture
def met(forces, receiver):
    return configure(forces["met"], webhook_url=receiver.url("met"), secret=OTHER_SECRET)


@pytest.fixture
def report(django_capture_on_commit_callbacks):
    """``report(force, email=..., phone=..., language=...)``: a sent report, delivered."""
    from tests.reporting.receiver import journey_page, make_draft

    def make(force, email=EMAIL, phone="", language="en"):
        page = journey_page(force)
        draft = make_draft(force, page, language=language)
        with django_capture_on_commit_callbacks(execute=True):
            submission = make_report(
                force, page=page, draft=draft, contact={"email": email, "phone": phone}
            )
        mail.outbox.clear()
        return submission

    return make


@pytest.fixture
def post_update(client, django_capture_on_commit_callbacks):
    """``post_update(force, reference, document, key=None, secret=SECRET, host=None)``: a
    signed POST to the inbound API, its jobs run; returns the response."""

    def post(force, reference, document, *, key=None, secret=SECRET, host=None, body=None):
        body = body if body is not None else json.dumps(document).encode()
        headers = {"HTTP_IDEMPOTENCY_KEY": key or str(uuid.uuid4())}
        if secret is not None:
            headers["HTTP_X_SOLH_SIGNATURE"] = sign(body, secret)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                f"/api/reports/{reference}/updates/",
                data=body,
                content_type="application/json",
                HTTP_HOST=host or force.site.hostname,
                **headers,
            )

    return post


@pytest.fixture
def visitor(django_capture_on_commit_callbacks):
    """A client on Thames Valley's site whose requests run their jobs."""

    class Browser:
        def __init__(self, host=TVP, address="203.0.113.9"):
            self.client = Client(HTTP_HOST=host, REMOTE_ADDR=address)

        def get(self, path, **extra):
            return self.client.get(path, **extra)

        def post(self, path, data, **extra):
            with django_capture_on_commit_callbacks(execute=True):
                return self.client.post(path, data, **extra)

        def ask(self, reference, contact, prefix=""):
            return self.post(
                f"{prefix}/report/track/", {"reference": reference, "contact": contact}
            )

        def enter(self, code, prefix=""):
            return self.post(f"{prefix}/report/track/code/", {"code": code})

    return Browser


def sent_code():
    """The code in the one email sent."""
    (message,) = mail.outbox
    return re.search(r"\b([0-9]{6})\b", message.subject).group(1)
