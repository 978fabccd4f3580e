"""The anonymous page cache: public pages served from memory without touching the database.

A page is stored per host, path (which carries the language: ``/cy/…`` is Welsh) and
cookie-banner variant (visitors who have chosen their cookie settings see no banner), in the
``pages`` cache: Redis when ``REDIS_URL`` is set, else the process's own memory.

What is never stored or served from here: requests other than GET and HEAD, requests with a
query string (search, pagination, "change" links), requests carrying a private cookie (a
signed-in session, flash messages, a report in progress: ``PAGE_CACHE_PRIVATE_COOKIES``), and
responses that are not a plain 200 page (HTML, the sitemap's XML, robots.txt's text: not the
API's JSON), that set a cookie (a CSRF token does), wrote to the session
or say ``private``, ``no-cache`` or ``no-store`` (journeys, previews, the admin, search results).

Freshness is exact, not timed. With Redis, ``solh.purge`` removes a page the moment it (or
anything it lists) changes, before and again after the change commits. Each purged key is
replaced by a short-lived *tombstone* holding the number of the purge (from a counter in the
cache), so a render that started before the purge cannot store what it read; a whole site is
purged by moving its *generation*, which every entry records.

Without Redis each process keeps its pages in its own memory, where another process's purge
cannot reach: there an entry's generation is the shared version tokens (``solh.versions``,
read in one query per request), which every change that purges a page also moves, in whichever
process it is made. A change anywhere then empties every process's page cache at once: coarser
than Redis's exact purges, but never stale. ``PAGE_CACHE_SECONDS`` bounds an entry's life in
case a change reaches the database without passing through the purges.

Responses say how they were served in ``X-Page-Cache`` (``hit``, ``miss``: rendered and
stored, ``bypass``: not cacheable), carry an ``ETag`` (an ``If-None-Match`` that matches is
answered 304) and a ``Cache-Control`` a CDN can follow: ``public, max-age=0,
s-maxage=CDN_CACHE_SECONDS`` when cacheable, ``private, no-cache`` otherwise (unless the view
set its own).
"""

import hashlib
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control

from home.context_processors import COOKIE_POLICY_NAME

from . import versions

CACHE_ALIAS = "pages"
HEADER = "X-Page-Cache"
# How long a tombstone outlives its purge: longer than any render takes.
TOMBSTONE_SECONDS = 300
# Counts purges; a render records its value when it begins.
PURGE_COUNTER_KEY = "page-purges"
# Headers a stored response never keeps: per-request, or rebuilt when served.
DROPPED_HEADERS = {"set-cookie", "vary", "date", "content-length", HEADER.lower()}
# What is stored: pages, the sitemap, robots.txt.
CACHED_CONTENT_TYPES = {"text/html", "application/xml", "text/xml", "text/plain"}
# Variants of one URL: the cookie banner shown (no choice made yet) or not.
VARIANTS = ("b", "n")


def page_cache():
    return caches[CACHE_ALIAS]


def normalise_host(host):
    """``host[:port]`` as a browser sends it, lower case, without a default port."""
    host = host.lower()
    for default in (":80", ":443"):
        if host.endswith(default):
            return host[: -len(default)]
    return host


def host_of_url(url):
    return normalise_host(urlsplit(url).netloc)


def entry_key(host, path, variant):
    digest = hashlib.sha256(f"{normalise_host(host)}\n{path}".encode()).hexdigest()
    return f"page:{digest}:{variant}"


def generation_key(host):
    return f"page-gen:{normalise_host(host)}"


def url_keys(url):
    """Every cache key of a full URL (all its variants)."""
    parts = urlsplit(url)
    return [entry_key(parts.netloc, parts.path or "/", variant) for variant in VARIANTS]


@dataclass(frozen=True)
class Entry:
    generation: int | str
    status: int
    headers: tuple
    content: bytes
    etag: str
    stored_at: float


@dataclass(frozen=True)
class Tombstone:
    purge: int  # the purge counter's value after this purge


def new_generation():
    return time.time_ns()


def _next_purge(cache):
    cache.add(PURGE_COUNTER_KEY, 0, timeout=None)
    try:
        return cache.incr(PURGE_COUNTER_KEY)
    except ValueError:  # evicted between the two calls: start again
        cache.set(PURGE_COUNTER_KEY, 1, timeout=None)
        return 1


def tombstone_keys(keys):
    """Purge ``keys``: a render that began before now will not store them again."""
    if keys:
        cache = page_cache()
        tomb = Tombstone(purge=_next_purge(cache))
        cache.set_many(dict.fromkeys(keys, tomb), TOMBSTONE_SECONDS)


def bump_generations(hosts):
    """Purge every page of these hosts at once."""
    if hosts:
        page_cache().set_many(
            {generation_key(host): new_generation() for host in hosts}, timeout=None
        )


def site_host(site):
    """The host a site's pages are requested at (as in ``Site.root_url``)."""
    return host_of_url(site.root_url)


def _has_private_cookie(request):
    prefixes = tuple(settings.PAGE_CACHE_PRIVATE_COOKIES)
    return any(name.startswith(prefixes) for name in request.COOKIES)


def shared_generation():
    """An entry's generation without a shared cache: the version tokens every purge moves."""
    return ":".join(
        versions.get(name) for name in (versions.LOOKUPS, versions.CONTENT, versions.CHROME)
    )


def _eligible(request):
    """May this request be answered from, or stored in, the cache?"""
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and not _has_private_cookie(request)
    )


def _variant(request):
    return "n" if COOKIE_POLICY_NAME in request.COOKIES else "b"


def _forbids_caching(response):
    cache_control = response.get("Cache-Control", "").lower()
    return any(word in cache_control for word in ("private", "no-cache", "no-store"))


def _session_written(request):
    session = getattr(request, "session", None)
    return session is not None and session.modified


def _served_site_matches(request, host):
    """Only pages of a site requested at its own host are stored: purges address sites by
    their hosts, so a page reached through another name (the default site's fallback) could
    never be purged."""
    site = getattr(request, "_wagtail_site", None)
    return site is not None and site_host(site) == host


def _is_page(response):
    """Pages, the sitemap and robots.txt; not API answers, whose URLs no purge lists."""
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type in CACHED_CONTENT_TYPES


def _cacheable(request, response, host):
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and _is_page(response)
        # A page that used a CSRF token (or anything else setting a cookie) sets one here.
        and not response.cookies
        and not _forbids_caching(response)
        and not _session_written(request)
        and _served_site_matches(request, host)
    )


def _etag(content):
    return f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'


def _not_modified(request, etag):
    wanted = request.META.get("HTTP_IF_NONE_MATCH", "")
    return etag in {tag.strip().removeprefix("W/") for tag in wanted.split(",")} or wanted == "*"


def _public_headers(response, etag):
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age=0, s-maxage={settings.CDN_CACHE_SECONDS}"


class PageCacheMiddleware:
    """Serve and store anonymous pages (see the module's docstring). Goes right after
    WhiteNoise, before the session middleware, so a hit costs no database query with Redis, and
    one (the shared version tokens) without."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_ENABLED:
            return self.get_response(request)
        if not _eligible(request):
            return self._bypass(self.get_response(request))

        if versions.in_database():
            # The tokens are read here, once, for the whole request (the site middleware and
            # everything after it use this reading).
            with versions.for_request():
                return self._answer(request, shared_generation())
        return self._answer(request)

    def _answer(self, request, shared_generation=None):
        host = normalise_host(request.get_host())
        key = entry_key(host, request.path, _variant(request))
        gen_key = generation_key(host)
        cache = page_cache()
        found = cache.get_many([key, gen_key, PURGE_COUNTER_KEY])
        entry = found.get(key)
        generation = shared_generation or found.get(gen_key)
        if isinstance(entry, Entry) and generation is not None and entry.generation == generation:
            return self._serve(request, entry)

        began = found.get(PURGE_COUNTER_KEY) or 0
        response = self.get_response(request)
        if not _cacheable(request, response, host):
            return self._bypass(response)
        if generation is None:
            cache.add(gen_key, new_generation(), timeout=None)
            generation = cache.get(gen_key)
        self._store(cache, key, response, generation, began)
        response[HEADER] = "miss"
        return response

    def _serve(self, request, entry):
        if _not_modified(request, entry.etag):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(
                b"" if request.method == "HEAD" else entry.content, status=entry.status
            )
            if request.method == "HEAD":
                response["Content-Length"] = str(len(entry.content))
        for name, value in entry.headers:
            response[name] = value
        response[HEADER] = "hit"
        return response

    def _store(self, cache, key, response, generation, began):
        content = response.content
        etag = _etag(content)
        _public_headers(response, etag)
        if "Vary" in response:
            del response["Vary"]
        current = cache.get(key)
        purged = isinstance(current, Tombstone) and current.purge > began
        if purged or generation is None:
            return  # purged while this render was under way: what it read may be old
        headers = tuple(
            (name, value) for name, value in response.items() if name.lower() not in DROPPED_HEADERS
        )
        cache.set(
            key,
            Entry(generation, response.status_code, headers, content, etag, time.time()),
            settings.PAGE_CACHE_SECONDS,
        )

    def _bypass(self, response):
        if "Cache-Control" not in response and not response.streaming:
            patch_cache_control(response, private=True, no_cache=True)
        response[HEADER] = "bypass"
        return response
