"""The demo's authenticator: one fixed, published secret, so demo logins stay usable.

Never seed the demo where the public can reach it: its passwords and this secret are in the
README.
"""

from base64 import b32decode
from binascii import hexlify

from django.contrib.auth import get_user_model

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .policy import two_factor_required

DEMO_TOTP_SECRET = "SOLHDEMOSOLHDEMOSOLHDEMOSOLHDEMO"  # noqa: S105 (published on purpose)
DEMO_DEVICE_NAME = "Demo authenticator"
DEMO_KEY = hexlify(b32decode(DEMO_TOTP_SECRET)).decode()


def enrol_demo_users(usernames):
    """Give each of ``usernames`` who must use two-factor sign-in the demo authenticator.

    Returns the usernames enrolled. Safe to run again.
    """
    enrolled = []
    for user in get_user_model().objects.filter(username__in=usernames).order_by("username"):
        if two_factor_required(user):
            TOTPDevice.objects.filter(user=user).exclude(name=DEMO_DEVICE_NAME).delete()
            TOTPDevice.objects.update_or_create(
                user=user, name=DEMO_DEVICE_NAME, defaults={"key": DEMO_KEY, "confirmed": True}
            )
            enrolled.append(user.username)
    return enrolled


def demo_code(user):
    """The current code of ``user``'s demo authenticator, or ``None`` if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True, key=DEMO_KEY).first()
    if device is None:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
