"""Personal data encrypted at rest, with keys from the environment and key rotation.

Fernet (AES-128-CBC with an HMAC-SHA256) through ``MultiFernet``: the first key in
``settings.REPORTS_ENCRYPTION_KEYS`` encrypts, every listed key decrypts. To rotate, put a new key
first, keep the old ones after it, run ``manage.py rotate_report_keys`` (which re-encrypts every
stored value with the new key), then drop the old keys.

``cryptography``'s Fernet (about 9 MB of a process's memory, most of it its compiled library) is
imported on first use, not with this module: models import this module, and a web worker that
only serves pages never encrypts anything.
"""

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

__all__ = ["InvalidToken", "decrypt", "encrypt", "rotate"]  # noqa: F822 (InvalidToken: __getattr__)


def __getattr__(name):
    # ``crypto.InvalidToken``, without importing cryptography before it is needed.
    if name == "InvalidToken":
        from cryptography.fernet import InvalidToken

        return InvalidToken
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def _fernet():
    from cryptography.fernet import Fernet, MultiFernet

    keys = list(getattr(settings, "REPORTS_ENCRYPTION_KEYS", []))
    if not keys:
        raise ImproperlyConfigured("REPORTS_ENCRYPTION_KEYS must list at least one key.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "Each key in REPORTS_ENCRYPTION_KEYS must be 32 url-safe base64-encoded bytes "
            "(make one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())')."
        ) from error


@receiver(setting_changed)
def _forget_keys(setting, **kwargs):
    if setting == "REPORTS_ENCRYPTION_KEYS":
        _fernet.cache_clear()


def encrypt(data: bytes) -> bytes:
    """Encrypt ``data`` with the current (first) key."""
    return _fernet().encrypt(data)


def decrypt(token: bytes) -> bytes:
    """Decrypt a token made with any configured key (``InvalidToken`` if none fits)."""
    return _fernet().decrypt(token)


def rotate(token: bytes) -> bytes:
    """Re-encrypt ``token`` with the current key."""
    return _fernet().rotate(token)
