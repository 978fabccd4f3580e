"""Which CDNs hear about purges, from environment variables (imported by ``base``).

The platform purges its own page cache itself (``solh.purge``); the same URLs go to a CDN in
front through Wagtail's frontend-cache backends, configured here:

* Cloudflare: ``CLOUDFLARE_BEARER_TOKEN`` (an API token allowed to purge) with either
  ``CLOUDFLARE_ZONE_ID`` (one zone holding every site) or ``CLOUDFLARE_ZONES``
  (``host=zone-id,host=zone-id``: a zone per force domain; ``.police.uk``-style leading dots
  match subdomains).
* CloudFront: ``CLOUDFRONT_DISTRIBUTION_ID`` (one distribution for every site) or
  ``CLOUDFRONT_DISTRIBUTIONS`` (``host=distribution-id,…``); credentials from the usual AWS
  variables or the instance role.
* Any cache that takes HTTP ``PURGE`` requests (Varnish, nginx): ``FRONTEND_CACHE_PURGE_URL``.

Nothing set: no CDN purges (the platform's own cache is still purged).
"""

from django.core.exceptions import ImproperlyConfigured

BACKENDS = "wagtail.contrib.frontend_cache.backends"


def _get(environ, name):
    return environ.get(name, "").strip() or None


def _host_map(environ, name):
    """``host=value,host=value`` → ``{host: value}``."""
    mapping = {}
    for item in filter(None, (part.strip() for part in (_get(environ, name) or "").split(","))):
        host, separator, value = item.partition("=")
        if not separator or not host.strip() or not value.strip():
            raise ImproperlyConfigured(f"{name} must be a list of host=id pairs, not {item!r}.")
        mapping[host.strip().lower()] = value.strip()
    return mapping


def frontend_cache_backends(environ):
    """The ``WAGTAILFRONTENDCACHE`` setting for these environment variables."""
    backends = {}
    token = _get(environ, "CLOUDFLARE_BEARER_TOKEN")
    zones = _host_map(environ, "CLOUDFLARE_ZONES")
    if _get(environ, "CLOUDFLARE_ZONE_ID"):
        zones["*"] = _get(environ, "CLOUDFLARE_ZONE_ID")
    if zones and not token:
        raise ImproperlyConfigured("CLOUDFLARE_BEARER_TOKEN must be set to purge Cloudflare.")
    for number, (host, zone) in enumerate(sorted(zones.items())):
        backends[f"cloudflare-{number}"] = {
            "BACKEND": f"{BACKENDS}.CloudflareBackend",
            "BEARER_TOKEN": token,
            "ZONEID": zone,
            "HOSTNAMES": [host],
        }

    distributions = _host_map(environ, "CLOUDFRONT_DISTRIBUTIONS")
    if _get(environ, "CLOUDFRONT_DISTRIBUTION_ID"):
        distributions["*"] = _get(environ, "CLOUDFRONT_DISTRIBUTION_ID")
    for number, (host, distribution) in enumerate(sorted(distributions.items())):
        backends[f"cloudfront-{number}"] = {
            "BACKEND": f"{BACKENDS}.CloudfrontBackend",
            "DISTRIBUTION_ID": distribution,
            "HOSTNAMES": [host],
        }

    if _get(environ, "FRONTEND_CACHE_PURGE_URL"):
        backends["http"] = {
            "BACKEND": f"{BACKENDS}.HTTPBackend",
            "LOCATION": _get(environ, "FRONTEND_CACHE_PURGE_URL"),
        }
    return backends
