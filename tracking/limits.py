"""Rate limits on "Track my report": per client address and per reference, per hour.

Counted under keyed hashes, so neither the client's address nor the reference is stored, in the
``ratelimit`` cache where the settings have one (the reports' rate limits' cache, which every
process shares), else the default cache. The client is the real one behind the
proxies in ``TRUSTED_PROXIES`` (``solh.client_ip``, through ``reporting.abuse.client_key``).
A reference is counted whether or not any report has it: the limit itself reveals nothing.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from reporting.abuse import client_key

WINDOW_SECONDS = 3600


def _cache():
    return caches["ratelimit" if "ratelimit" in settings.CACHES else "default"]


def _over(key, limit):
    if limit <= 0:
        return False
    window = int(timezone.now().timestamp()) // WINDOW_SECONDS
    key = f"tracking:rate:{key}:{window}"
    cache = _cache()
    if cache.add(key, 1, WINDOW_SECONDS):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
        return False
    return count > limit


def reference_key(reference):
    digest = hmac.new(settings.SECRET_KEY.encode(), reference.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def code_requests_over_limit(request, reference):
    """Count a request for a code; True when the client or the reference is over its limit."""
    by_client = _over(
        f"code:client:{client_key(request)}", settings.TRACKING_CODES_PER_CLIENT_PER_HOUR
    )
    by_reference = _over(
        f"code:reference:{reference_key(reference)}", settings.TRACKING_CODES_PER_REFERENCE_PER_HOUR
    )
    return by_client or by_reference


def code_checks_over_limit(request):
    """Count a code typed in; True when the client is over its limit (whatever the challenge)."""
    return _over(
        f"check:client:{client_key(request)}", settings.TRACKING_CODE_CHECKS_PER_CLIENT_PER_HOUR
    )
