"""Keeping spam and floods out of the reports without getting in a real person's way.

- A honeypot field, hidden from everyone (``display: none`` takes it out of the accessibility
  tree too) that only a bot fills in.
- A minimum time from starting a journey to sending it, quicker than any person could.
- A limit on journeys started and reports sent per client per hour (django-ratelimit's
  counting), keyed on a keyed hash of the client's address (the address itself is never
  stored). Behind a proxy in ``TRUSTED_PROXIES`` that is the address it forwards, otherwise the
  connection's own (``solh.client_ip``); an IPv6 client is its /64, which one household holds.
  The counts are in the ``ratelimit`` cache, which every process shares: Redis when there is
  one, else a database table (README "Configuration").

What is dropped is counted per force, day and reason (``SpamCount``).
"""

import contextlib
import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from django_ratelimit.core import is_ratelimited

from solh.client_ip import client_ip

from .models import SpamCount

HONEYPOT_FIELD = "website"


def client_key(request):
    """A keyed hash of the client's address: enough to count, useless to identify anyone.

    The address is the real client's behind our trusted proxies (``solh.client_ip``): keyed on
    the proxy's own address, everyone behind it would share one bucket. An IPv6 address counts
    as its /64: one connection is given a whole /64 to pick addresses from.
    """
    address = client_ip(request) or ""
    if ":" in address:
        # Not an address (a socket's name): counted as it is.
        with contextlib.suppress(ValueError):
            address = str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def over_rate_limit(request, action):
    """Count one ``action`` by this client; True when it is over the hourly limit."""
    limit = settings.REPORT_RATE_LIMIT_PER_HOUR
    if limit <= 0:
        return False
    return is_ratelimited(
        request,
        group=f"reporting:{action}",
        key=lambda _group, request: client_key(request),
        rate=f"{limit}/h",
        increment=True,
    )


def honeypot_filled(request):
    return bool(request.POST.get(HONEYPOT_FIELD, "").strip())


def too_fast(draft):
    """Whether the draft went from start to send quicker than a person could."""
    elapsed = (timezone.now() - draft.started_at).total_seconds()
    return elapsed < settings.REPORT_MIN_SECONDS


def count_dropped(force, reason):
    """Add one to today's count of attempts dropped for ``reason`` on ``force``'s site (the
    row is made by whichever process comes first: ``get_or_create`` finds another's)."""
    counted, created = SpamCount.objects.get_or_create(
        force=force, day=timezone.localdate(), reason=reason, defaults={"count": 1}
    )
    if not created:
        SpamCount.objects.filter(pk=counted.pk).update(count=F("count") + 1)
