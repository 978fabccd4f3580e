"""A reporter's answers never reach the logs or the administrators' error emails.

A sentinel goes into every free-text answer of a journey sent over HTTP, through a rejected
answer, a step that crashes, a report that cannot be stored, and a delivery the force's back
office refuses with 500. Every log record (every logger at DEBUG) and every email to ``ADMINS``
is then searched for it.
"""

import logging

from django.core import mail
from django.test import Client

import pytest

from demo.receiver import Receiver
from reporting import views
from reporting.models import Submission
from tests.reporting.receiver import SECRET, configure
from tests.reporting.reporter import TVP, Reporter, make_journey

pytestmark = pytest.mark.django_db

SENTINEL = "Sentinel-Qx7-Marmalade"
ADMIN = "ops@example.com"


def leaks(text):
    return SENTINEL.lower() in str(text).lower()


@pytest.fixture
def every_log(caplog):
    """Every record of every logger, at DEBUG, including loggers that do not propagate."""
    caplog.set_level(logging.DEBUG)
    detached = []
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if not isinstance(logger, logging.Logger):
            continue
        caplog.set_level(logging.DEBUG, logger=name)
        if not logger.propagate:
            logger.addHandler(caplog.handler)
            detached.append(logger)
    yield caplog
    for logger in detached:
        logger.removeHandler(caplog.handler)


@pytest.fixture
def receiver():
    with Receiver(secret=SECRET) as server:
        server.always(500)
        yield server


def test_answers_stay_out_of_logs_and_error_emails(
    forces, every_log, receiver, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.REPORT_MIN_SECONDS = 0
    settings.REPORT_RATE_LIMIT_PER_HOUR = 1000
    settings.ADMINS = [("Operations", ADMIN)]
    force = configure(forces["thames-valley"], receiver.url("thames-valley"))
    reporter = Reporter(Client(raise_request_exception=False), TVP, make_journey(force))

    reporter.start()
    reporter.answer("emergency", {"in-danger": "no"})
    reporter.answer("what", {"what": "collision"})
    reporter.answer("injuries", {"injuries": f"{SENTINEL} broke an arm"})
    reporter.answer(
        "when", {"incident-date-day": "3", "incident-date-month": "2", "incident-date-year": "2026"}
    )
    # A rejected answer is shown back to the reporter, and nowhere else.
    rejected = reporter.answer("vehicles", {"vehicles-count": "1", "vehicles-1-reg": SENTINEL})
    assert rejected.status_code == 400
    # A step that crashes: Django logs the request and emails ADMINS.
    with monkeypatch.context() as patch:
        patch.setattr(views, "_render_step", crash)
        crashed = reporter.answer("vehicles", {"vehicles-count": "1", "vehicles-1-reg": SENTINEL})
    assert crashed.status_code == 500
    reporter.answer("vehicles", {"vehicles-count": "1", "vehicles-1-reg": "ab12cde"})
    about_you = {"name": SENTINEL, "email": f"{SENTINEL}@example.com"}
    reporter.answer("about-you", about_you)

    # A report that cannot be stored, by an error that quotes the answers.
    with monkeypatch.context() as patch:
        patch.setattr("reporting.submissions.submit", quoting_failure)
        assert reporter.post("check-your-answers/").status_code == 503
    # Stored, then refused by the back office.
    with django_capture_on_commit_callbacks(execute=True):
        assert reporter.post("check-your-answers/").status_code == 302
    assert Submission.objects.count() == 1

    levels = {record.levelname for record in every_log.records}
    assert {"WARNING", "ERROR"} <= levels, levels
    leaked = [record for record in every_log.records if leaks(record.getMessage())]
    leaked += [record for record in every_log.records if leaks(record.__dict__)]
    assert not leaked, [record.getMessage() for record in leaked]
    assert not leaks(every_log.text)

    errors = [message for message in mail.outbox if ADMIN in message.to]
    assert errors, "the crash was not emailed to ADMINS"
    for message in errors:
        bodies = [message.subject, message.body]
        bodies += [content for content, _type in getattr(message, "alternatives", [])]
        assert not any(leaks(body) for body in bodies), message.subject


def crash(*args, **kwargs):
    raise RuntimeError("The step could not be shown")


def quoting_failure(*, answers, **kwargs):
    raise ValueError(f"Could not store {answers!r}")
