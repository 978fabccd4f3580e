"""Signing test clients in to the admin past the second factor, for tests not about it."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def pass_second_factor(client, user):
    """Mark ``client``'s session as having given a code, as django-otp's ``login`` does after a
    real one: with a confirmed authenticator of ``user``'s (made if they have none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
