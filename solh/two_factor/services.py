"""Setting up an authenticator app, recovery codes, and checking a code at sign-in."""

import logging
import math
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import django_otp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

logger = logging.getLogger(__name__)

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_DIGITS = 6  # what authenticator apps show (django-otp's default)
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"


def normalise_code(code):
    """A code as typed (spaces, hyphens, any case) as stored."""
    return "".join(code.split()).replace("-", "").lower()


def format_recovery_code(code):
    """A recovery code as shown: two groups of four."""
    return f"{code[:4]}-{code[4:]}"


def confirmed_authenticator(user):
    """The user's authenticator app, or ``None`` if they have not set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_authenticator(user):
    """The authenticator the user is setting up: the one started before, or a new one."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def recovery_codes_left(user):
    """How many unused recovery codes the user has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def replace_recovery_codes(user):
    """Give ``user`` a fresh set of recovery codes (the old ones stop working); return them."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_CODES_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    logger.info("two-factor: new recovery codes for user %s", user.pk)
    return codes


def confirm_authenticator(device, code):
    """Finish setting up ``device`` if ``code`` is its current code.

    Returns the new recovery codes (shown to the user once), or ``None`` if the code is wrong.
    Any other authenticator the user had is removed: one app per person.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(normalise_code(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        codes = replace_recovery_codes(device.user)
    logger.info("two-factor: user %s set up an authenticator app", device.user_id)
    return codes


@dataclass
class Verification:
    """The outcome of checking a code: the device that accepted it, or why none did."""

    device: object = None
    error: str = ""

    @property
    def used_recovery_code(self):
        return isinstance(self.device, StaticDevice)


def verify_code(user, code):
    """Check ``code`` (from the authenticator app, or a recovery code) for ``user``.

    Six digits are checked against the authenticator app, anything else against the recovery
    codes, each of which works once. Each device slows down repeated wrong codes (django-otp
    doubles the wait after each).
    """
    code = normalise_code(code)
    devices = (
        [confirmed_authenticator(user)]
        if code.isdigit() and len(code) == AUTHENTICATOR_DIGITS
        else list(StaticDevice.objects.filter(user=user, confirmed=True))
    )
    for device in filter(None, devices):
        allowed, details = device.verify_is_allowed()
        if not allowed:
            wait = (details or {}).get("locked_until", timezone.now()) - timezone.now()
            seconds = max(1, math.ceil(wait.total_seconds()))
            return Verification(
                error=ngettext(
                    "You have entered too many wrong codes. Wait %(seconds)d second, then try "
                    "again.",
                    "You have entered too many wrong codes. Wait %(seconds)d seconds, then try "
                    "again.",
                    seconds,
                )
                % {"seconds": seconds}
            )
        if django_otp.verify_token(user, device.persistent_id, code):
            return Verification(device=device)
    return Verification(
        error=_(
            "The code is not right. Enter the newest code from your authenticator app, "
            "or one of your recovery codes."
        )
    )
