"""Text messages: a pluggable sender for one-time codes sent to a phone number.

The platform has no SMS gateway of its own. ``TRACKING_SMS_BACKEND`` names a class with
``send(to, text)`` (``to`` in E.164); a production deployment points it at a class wrapping its
provider (GOV.UK Notify, or any other). Two are built in, neither of which sends anything:

- ``tracking.sms.ConsoleBackend`` (the default, for the demo and development) writes the message
  to standard output, like Django's console email backend;
- ``tracking.sms.LocmemBackend`` (tests) keeps messages in ``tracking.sms.outbox``.

``manage.py check --deploy`` warns when production still uses one of these.
"""

import sys
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "tracking.sms.ConsoleBackend"
NOT_SENDING = {"tracking.sms.ConsoleBackend", "tracking.sms.LocmemBackend"}

outbox = []


@dataclass(frozen=True)
class TextMessage:
    to: str
    text: str


class SmsError(Exception):
    """The provider did not take the message."""


class ConsoleBackend:
    """Writes each message to standard output (development only: nothing is sent)."""

    def send(self, to, text):
        sys.stdout.write(f"--- Text message to {to} ---\n{text}\n---\n")
        sys.stdout.flush()


class LocmemBackend:
    """Keeps each message in ``tracking.sms.outbox`` (tests only)."""

    def send(self, to, text):
        outbox.append(TextMessage(to=to, text=text))


def get_backend():
    return import_string(getattr(settings, "TRACKING_SMS_BACKEND", "") or DEFAULT_BACKEND)()


def send_text(to, text):
    """Send ``text`` to the phone number ``to`` through the configured backend."""
    get_backend().send(to, text)
