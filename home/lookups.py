"""What nearly every request reads and that rarely changes, kept in each process under the
shared version tokens (``solh.versions``), so a change made in any process is seen by every
other on its next request:

- the *lookups version* moves with the sites, locales, force settings and view restrictions,
  whose rows each process reads once per version (saving Wagtail's queries for them);
- the *content version* moves with live content (a page published, unpublished, moved or
  deleted; a site, an image or a document changed): what is worked out from live pages
  (breadcrumbs, language versions, routes) is kept under keys that carry it, in ``kept``.
"""

import contextlib
import copy
import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.base import BaseCache
from django.db.models import Q
from django.http.request import split_domain_port
from django.utils import translation

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.models.pages import COMMENTS_RELATION_NAME
from wagtail.models.sites import get_site_for_hostname

import cachetools

from solh import versions

# --- the versions --------------------------------------------------------------------------------


def content_version():
    """A token that changes whenever live content may have: a page published, unpublished,
    moved or deleted, a site, an image or a document changed. What is worked out from live
    pages (breadcrumbs, language versions, rendered fragments) is kept under it."""
    return versions.get(versions.CONTENT)


def lookups_version():
    """A token that changes with the sites, locales, force settings and view restrictions."""
    return versions.get(versions.LOOKUPS)


def content_changed():
    """Everything kept under ``content_version()`` is worked out again, in every process."""
    versions.move(versions.CONTENT)


# --- entries kept in this process ----------------------------------------------------------------


class Kept:
    """Values kept in this process's memory under keys that carry the versions they were made
    at (so a key's value never changes, and another process's change needs no telling): a
    ``cachetools`` LRU, with a lock since a worker's threads share it. The least recently used
    go first once there are more than ``size`` or their text passes ``max_bytes``: each entry
    counts as its text's length, and at least ``max_bytes / size``."""

    def __init__(self, size, max_bytes):
        least = max_bytes // size
        self.entries = cachetools.LRUCache(
            max_bytes,
            getsizeof=lambda value: max(
                len(value) if isinstance(value, (str, bytes)) else 0, least
            ),
        )
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            return self.entries.get(key)

    def set(self, key, value):
        with self.lock, contextlib.suppress(ValueError):  # larger than the whole: not kept
            self.entries[key] = value

    def clear(self):
        with self.lock:
            self.entries.clear()

    def get_or_make(self, key, make):
        value = self.get(key)
        if value is None:
            value = make()
            self.set(key, value)
        return value


# Rendered fragments and pickled pages (a few KB each), breadcrumbs, language versions, routes.
kept = Kept(size=5000, max_bytes=16 * 1024 * 1024)


class KeptCache(BaseCache):
    """The templates' ``{% cache %}`` store (``CACHES["template_fragments"]``): ``kept``, so a
    rendered fragment is kept as the text itself, not pickled. Keys carry the version tokens, so
    there is no expiry: a timeout of ``0`` (a preview) keeps nothing. Only what ``{% cache %}``
    calls is here, with ``clear`` (as a cache's operator may call it for every alias), and no
    key check: its keys are hashes that never leave the process."""

    def __init__(self, location, params):
        super().__init__(params)

    def get(self, key, default=None, version=None):
        value = kept.get(self.make_key(key, version))
        return default if value is None else value

    def set(self, key, value, timeout=None, version=None):
        if timeout != 0:
            kept.set(self.make_key(key, version), value)

    def clear(self):
        kept.clear()

    def validate_key(self, key):
        pass


# --- sites, locales and view restrictions --------------------------------------------------------

MAX_HOSTS_KEPT = 1000


@dataclass
class Lookups:
    """One reading of the rows, at one version."""

    version: str
    sites: list
    locales: dict  # language code -> Locale
    # Paths of the pages with a view restriction (Wagtail's ``PageQuerySet.public()``).
    restricted_paths: tuple
    # (path, page id): a page at or below ``path`` is restricted by the restrictions of the
    # page ``page id``: its own, an ancestor's, or those of the page it is an alias of (Wagtail's
    # ``Page.get_view_restrictions``).
    restriction_sources: tuple
    # Aliases of restricted pages: saving one may make it a page of its own.
    restricted_alias_ids: frozenset
    sites_by_host: dict = field(default_factory=dict)
    sites_by_id: dict = field(default_factory=dict)  # id -> (site, its root page, ready to copy)

    def site_id_for(self, hostname, port):
        """The id of the site for ``hostname:port`` by Wagtail's own rules (one query the first
        time a host is asked for at this version), or ``None``."""
        key = (hostname, str(port))
        if key not in self.sites_by_host:
            try:
                site_id = get_site_for_hostname(hostname, str(port)).pk
            except Site.DoesNotExist:
                site_id = None
            if len(self.sites_by_host) >= MAX_HOSTS_KEPT:  # any Host header can be sent
                return site_id
            self.sites_by_host[key] = site_id
        return self.sites_by_host[key]

    def site_and_root(self, site_id):
        """The site ``site_id`` and its root page: the specific page with only the ``Page``
        fields loaded (routing needs no more; a page type that serves itself from such an
        instance, ``BasePage``, loads the rest when it is the page asked for)."""
        from .models import BasePage

        if site_id not in self.sites_by_id:
            site = next(site for site in self.sites if site.pk == site_id)
            root = site.root_page
            if issubclass(root.specific_class or Page, BasePage):
                root = root.get_specific(deferred=True)
            self.sites_by_id[site_id] = (site, root)
        return self.sites_by_id[site_id]


def _read_restrictions():
    rows = list(
        PageViewRestriction.objects.values_list("page_id", "page__path", "page__alias_of_id")
    )
    restricted_paths = tuple(sorted({path for _pk, path, _alias in rows}))
    # Wagtail ignores a restriction on an alias: the alias has its original's.
    sources = [(path, pk) for pk, path, alias_of_id in rows if alias_of_id is None]
    alias_ids = set()
    pending = {pk: pk for _path, pk in sources}  # page id -> the original it stands for
    while pending:
        aliases = Page.objects.filter(alias_of_id__in=pending).values_list(
            "pk", "path", "alias_of_id"
        )
        found = {}
        for pk, path, alias_of_id in aliases:
            if pk in alias_ids:
                continue
            alias_ids.add(pk)
            sources.append((path, pending[alias_of_id]))
            found[pk] = pending[alias_of_id]
        pending = found
    return restricted_paths, tuple(sorted(set(sources))), frozenset(alias_ids)


def _read(version):
    sites = list(Site.objects.select_related("root_page").order_by("pk"))
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    restricted_paths, sources, alias_ids = _read_restrictions()
    return Lookups(version, sites, locales, restricted_paths, sources, alias_ids)


_current = None  # this process's reading, kept while the shared version says it is current


def lookups():
    """The current ``Lookups`` (no query, but after a change)."""
    global _current
    version = lookups_version()
    if _current is None or _current.version != version:
        # Also on a process's first reading: another process may have kept Wagtail's copy
        # while a change was being made, before it committed.
        _forget_wagtail_caches()
        _current = _read(version)
    return _current


def _forget_wagtail_caches():
    """What Wagtail keeps in the default cache about sites and locales: without a shared cache,
    only the process that made a change would drop it."""
    Site.clear_site_root_paths_cache()
    cache.delete("wagtail_locales_display_name")


def invalidate():
    """Every process reads the sites, locales, force settings and restrictions again."""
    versions.move(versions.LOOKUPS)


# --- sites ---------------------------------------------------------------------------------------


def find_site(request):
    """The ``Site`` ``request`` is for, as ``Site.find_for_request`` finds it, without a query:
    the request's own copy, with its own copy of the root page (``Lookups.site_and_root``)."""
    hostname = split_domain_port(request._get_raw_host())[0]
    current = lookups()
    site_id = current.site_id_for(hostname, request.get_port())
    if site_id is None:
        return None
    cached, root = current.site_and_root(site_id)
    site = copy.copy(cached)
    site.root_page = copy.copy(root)
    return site


def site_root_paths(request):
    """Wagtail's site root paths (what ``Page.get_url`` reads), for ``request``: kept in this
    process under the lookups and content versions (a site, a locale or a root page's address
    changed moves one), rather than read from the shared cache on each request. Also left on
    the request, where ``Page.get_url`` looks first."""
    key = ("site-root-paths", lookups_version(), content_version())
    paths = kept.get_or_make(key, Site.get_site_root_paths)
    request._wagtail_cached_site_root_paths = paths
    return paths


# --- locales -------------------------------------------------------------------------------------


def _locale_for(locales, language):
    try:
        return locales.get(get_supported_content_language_variant(language))
    except LookupError:
        return None


def active_locale():
    """The ``Locale`` of the active language, else the default one, as ``Locale.get_active()``
    finds it, without a query (``None`` if there is neither)."""
    locales = lookups().locales
    locale = _locale_for(locales, translation.get_language()) or _locale_for(
        locales, settings.LANGUAGE_CODE
    )
    return copy.copy(locale) if locale is not None else None


# --- view restrictions ---------------------------------------------------------------------------


def restriction_page_ids(page):
    """The ids of the pages whose view restrictions apply to ``page``: those on it, on its
    ancestors, and for an alias (or a page below one) on the page it is an alias of."""
    return {pk for path, pk in lookups().restriction_sources if page.path.startswith(path)}


def public(pages):
    """``pages.public()``: without the pages in a private section, with no query to find them."""
    paths = lookups().restricted_paths
    if not paths:
        return pages
    private = Q()
    for path in paths:
        private |= Q(path__startswith=path)
    return pages.exclude(private)


# --- what moves the versions (called by ``solh.invalidation``) -----------------------------------


def sites_changed():
    """A site was saved or deleted, a page moved or deleted (its path can be given to a new
    page): sites, routes and live content."""
    versions.move(versions.LOOKUPS, versions.CONTENT)


# What saving a draft, locking or reviewing a page writes to it: nothing shown to the public.
DRAFT_FIELDS = {
    COMMENTS_RELATION_NAME,
    "latest_revision",
    "latest_revision_id",
    "latest_revision_created_at",
    "draft_title",
    "has_unpublished_changes",
    "locked",
    "locked_at",
    "locked_by",
    "locked_by_id",
}


def page_saved(page, created, update_fields):
    """A page saved whole (its content may have changed without a publication: a copy reverted
    to its national original, a page made live by ``add_child``), a site's root page changed, a
    new alias (of a page that may be restricted), or an alias of a restricted page saved (it may
    have become a page of its own). (Saving a draft or a lock writes only ``DRAFT_FIELDS`` to
    the page: nothing shown changes.)"""
    if update_fields is None:
        if page.live or not created:
            content_changed()
    elif set(update_fields) - DRAFT_FIELDS:
        content_changed()
    if created:
        if page.alias_of_id is not None:
            invalidate()
        return
    if (
        _current is None
        or page.pk in {site.root_page_id for site in _current.sites}
        or page.pk in _current.restricted_alias_ids
    ):
        invalidate()
