"""Text messages: a pluggable sender for one-time codes sent to a phone number.

The platform has no SMS gateway of its own. ``TRACKING_SMS_BACKEND`` names a class with
``send(to, text)`` (``to`` in E.164); a production deployment points it at a class wrapping its
provider (GOV.UK Notify, or any other). Three are built in, none of which sends anything:

- ``tracking.sms.FileBackend`` (the default, for the demo and development) writes each message to
  a file in ``TRACKING_SMS_FILE_PATH`` (``sent_texts/``), as the dev settings do with emails: a
  message names a phone number, which is personal data, so never to the console by default;
- ``tracking.sms.ConsoleBackend`` writes it to standard output;
- ``tracking.sms.LocmemBackend`` (tests) keeps messages in ``tracking.sms.outbox``.
"""

import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "tracking.sms.FileBackend"

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


class FileBackend:
    """Writes each message to a file of its own in ``TRACKING_SMS_FILE_PATH`` (nothing is sent)."""

    def send(self, to, text):
        folder = Path(getattr(settings, "TRACKING_SMS_FILE_PATH", "") or "sent_texts")
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}.txt"
        (folder / name).write_text(f"To: {to}\n\n{text}\n", encoding="utf-8")


class LocmemBackend:
    """Keeps each message in ``tracking.sms.outbox`` (tests only)."""

    def send(self, to, text):
        outbox.append(TextMessage(to=to, text=text))


def get_backend():
    return import_string(getattr(settings, "TRACKING_SMS_BACKEND", "") or DEFAULT_BACKEND)()


def send_text(to, text):
    """Send ``text`` to the phone number ``to`` through the configured backend."""
    get_backend().send(to, text)
