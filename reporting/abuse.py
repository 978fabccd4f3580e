"""Keeping spam and floods out of the reports without getting in a real person's way.

- A honeypot field, hidden from everyone (``display: none`` takes it out of the accessibility
  tree too) that only a bot fills in.
- A minimum time from starting a journey to sending it, quicker than any person could.
- A limit on journeys started and reports sent per client per hour, kept in the cache under a
  keyed hash of the client's address (the address itself is never stored); behind a proxy in
  ``TRUSTED_PROXIES`` that is the address it forwards, otherwise the connection's own.

What is dropped is counted per force, day and reason (``SpamCount``).
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from solh.client_ip import client_ip

from .models import SpamCount

HONEYPOT_FIELD = "website"
WINDOW_SECONDS = 3600


def client_key(request):
    """A keyed hash of the client's address: enough to count, useless to identify anyone.

    The address is the real client's behind our trusted proxies (``solh.client_ip``): keyed on
    the proxy's own address, everyone behind it would share one bucket.
    """
    address = client_ip(request) or ""
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def over_rate_limit(request, action):
    """Count one ``action`` by this client; True when it is over the hourly limit."""
    limit = settings.REPORT_RATE_LIMIT_PER_HOUR
    if limit <= 0:
        return False
    window = int(timezone.now().timestamp()) // WINDOW_SECONDS
    key = f"reporting:rate:{action}:{client_key(request)}:{window}"
    if cache.add(key, 1, WINDOW_SECONDS):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
        return False
    return count > limit


def honeypot_filled(request):
    return bool(request.POST.get(HONEYPOT_FIELD, "").strip())


def too_fast(draft):
    """Whether the draft went from start to send quicker than a person could."""
    elapsed = (timezone.now() - draft.started_at).total_seconds()
    return elapsed < settings.REPORT_MIN_SECONDS


def count_dropped(force, reason):
    """Add one to today's count of attempts dropped for ``reason`` on ``force``'s site."""
    day = timezone.localdate()
    updated = SpamCount.objects.filter(force=force, day=day, reason=reason).update(
        count=F("count") + 1
    )
    if not updated:
        _, created = SpamCount.objects.get_or_create(
            force=force, day=day, reason=reason, defaults={"count": 1}
        )
        if not created:
            SpamCount.objects.filter(force=force, day=day, reason=reason).update(
                count=F("count") + 1
            )
