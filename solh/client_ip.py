"""The address of the client behind a request, believing ``X-Forwarded-For`` only from our proxies.

Anyone can send an ``X-Forwarded-For`` header. Only the hops added by the proxies in
``TRUSTED_PROXIES`` can be believed: the client is the right-most address in the chain that is
not one of them. With no trusted proxies (the default) it is the connection's own address.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=4)
def _networks(proxies):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(value):
    """``value`` as an IP address (IPv4-mapped IPv6 as IPv4), or ``None`` if it is not one."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address, networks):
    return any(address in network for network in networks)


def client_ip(request):
    """The client's IP address as a string (``None`` if the connection has none).

    ``X-Forwarded-For`` is read only when the connection comes from a trusted proxy, and then
    from the right: each trusted hop passes the question to the address before it, and the first
    address that is not a trusted proxy is the client. A hop that is not an address ends the walk
    (what came before it was written by the client).
    """
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    address = _address(remote) if remote else None
    if address is None or not _trusted(address, networks):
        return remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        hop_address = _address(hop)
        if hop_address is None:
            break
        address = hop_address
        if not _trusted(address, networks):
            break
    return str(address)
