"""Exact purges: when content changes, remove exactly the cached pages that show it.

A published, unpublished, moved or deleted page is purged on every site where it appears (a
national page's aliases put it on every force's site), with the pages that list or show it:
its parent (the index that lists it), its site's home page in that language (latest news,
featured pages), the sitemap, its translations (their language switcher links to it), its
descendants when it has any (their breadcrumbs name it; a move changes their URLs) and the
pages that link to it (Wagtail's reference index). A page in a site's menu, a force's settings
or a site's address change every page of that site, so those purge the whole site.

Purges go to the page cache (``solh.page_cache``) at once and again when the change commits
(a render that read the old content in between is purged too), and, after the commit, to the
CDN through Wagtail's frontend-cache backends when ``WAGTAILFRONTENDCACHE`` is configured
(``purge_urls_from_cache``, a background task).

The signals reach these services through ``solh.invalidation``, after the version tokens moved.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from wagtail.images import get_image_model
from wagtail.models import Locale, Page, ReferenceIndex, Site

from forces.models import Force

from . import page_cache

SITEMAP_PATH = "/sitemap.xml"


# --- Which URLs show a page ---------------------------------------------------------------------


def _language_path(language, url_path_in_site):
    """The public path of a page ``url_path_in_site`` below its site's root, in ``language``."""
    with translation.override(language):
        return reverse("wagtail_serve", args=[url_path_in_site])


def _roots_for(url_path, language, roots):
    """The site roots (``SiteRootPath``) a page with ``url_path`` is served under, preferring
    those in the page's own language."""
    matching = [root for root in roots if url_path.startswith(root.root_path)]
    own_language = [root for root in matching if root.language_code == language]
    return own_language or matching


def _page_urls(url_path, language, roots, *, listings=True):
    """Full URLs showing the page at ``url_path``: itself, and with ``listings`` its parent,
    its site's home page in its language and the sitemap."""
    urls = set()
    for root in _roots_for(url_path, language, roots):
        below = url_path[len(root.root_path) :]
        urls.add(root.root_url + _language_path(root.language_code, below))
        if listings:
            parent = below.rstrip("/").rpartition("/")[0]
            urls.add(
                root.root_url + _language_path(root.language_code, f"{parent}/" if parent else "")
            )
            urls.add(root.root_url + _language_path(root.language_code, ""))
            urls.add(root.root_url + SITEMAP_PATH)
    return urls


def _menu_sites(page, roots):
    """Sites whose menu shows ``page``: it is in menus, directly below a site's root."""
    if not page.show_in_menus:
        return set()
    parent_path = page.url_path.rstrip("/").rpartition("/")[0] + "/"
    return {root.site_id for root in roots if root.root_path == parent_path}


_LANGUAGES = {}  # locale id → language code: a locale's language never changes


def _language(page):
    if page.locale_id not in _LANGUAGES:
        _LANGUAGES.update(Locale.objects.values_list("pk", "language_code"))
    return _LANGUAGES[page.locale_id]


def urls_showing(pages, *, descendants=True, references=True):
    """Full URLs of every cached page that shows one of ``pages``, and the ids of the sites to
    purge whole (see the module's docstring)."""
    roots = Site.get_site_root_paths()
    urls, whole_sites = set(), set()
    pages = list(pages)
    for page in pages:
        urls |= _page_urls(page.url_path, _language(page), roots)
        whole_sites |= _menu_sites(page, roots)

    ids = [page.pk for page in pages]
    keys = {page.translation_key for page in pages}
    related = (
        Page.objects.filter(Q(translation_key__in=keys) | Q(alias_of_id__in=ids))
        .exclude(pk__in=ids)
        .values_list("url_path", "locale__language_code", "alias_of_id")
    )
    for url_path, language, alias_of_id in related:
        # An alias is the page itself on another site: purge what lists it there too.
        urls |= _page_urls(url_path, language, roots, listings=alias_of_id in ids)

    if descendants:
        parents = [page for page in pages if page.numchild]
        if parents:
            below = Q()
            for page in parents:
                below |= Q(path__startswith=page.path, depth__gt=page.depth)
            for url_path, language in Page.objects.filter(below).values_list(
                "url_path", "locale__language_code"
            ):
                urls |= _page_urls(url_path, language, roots, listings=False)

    if references:
        urls |= _referring_urls(pages, roots)
    return urls, whole_sites


def _referring_urls(objects, roots):
    """URLs of the pages that link to or show any of ``objects`` (the reference index)."""
    page_ids = {
        int(object_id)
        for object_id in ReferenceIndex.get_references_to_in_bulk(objects)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    }
    urls = set()
    for url_path, language in Page.objects.filter(pk__in=page_ids).values_list(
        "url_path", "locale__language_code"
    ):
        urls |= _page_urls(url_path, language, roots, listings=False)
    return urls


def site_urls(site_ids):
    """Full URLs of every live page of these sites, with their sitemaps: what a CDN holds."""
    roots = [root for root in Site.get_site_root_paths() if root.site_id in set(site_ids)]
    if not roots:
        return set()
    under = Q()
    for root in roots:
        under |= Q(url_path__startswith=root.root_path)
    urls = set()
    for url_path, language in (
        Page.objects.live().filter(under).values_list("url_path", "locale__language_code")
    ):
        urls |= _page_urls(url_path, language, roots, listings=False)
    return urls | {root.root_url + SITEMAP_PATH for root in roots}


# --- Purging ---------------------------------------------------------------------------------


# The pages to purge when the outermost ``batched()`` ends: ``{id: page}``.
_batch = ContextVar("solh_purge_batch", default=None)


@contextmanager
def batched():
    """Purge the pages that ``purge_pages`` is given inside as one purge, when it ends: the
    URLs of many pages (the 43 forces' copies of a national page) are worked out with one
    query of each kind rather than a few per page. Nested, the outermost one purges."""
    if _batch.get() is not None:
        yield
        return
    pages = {}
    token = _batch.set(pages)
    try:
        yield
    finally:
        _batch.reset(token)
    if pages:
        purge_pages(pages.values())


def purge_pages(pages, *, descendants=True):
    """Purge ``pages`` and every page showing them (see ``urls_showing``); inside
    ``batched()``, when it ends. Pages about to be deleted (``descendants=False``) are purged
    at once, while the reference index still names the pages that link to them."""
    batch = _batch.get()
    if batch is not None and descendants:
        batch.update((page.pk, page) for page in pages)
        return
    urls, whole_sites = urls_showing(pages, descendants=descendants)
    _purge(urls, site_ids=whole_sites)


def _purge(urls, hosts=(), site_ids=()):
    site_ids = set(site_ids)
    if site_ids and not hosts:
        hosts = {page_cache.site_host(site) for site in Site.objects.filter(pk__in=site_ids)}
    keys = [key for url in urls for key in page_cache.url_keys(url)]

    def apply():
        page_cache.tombstone_keys(keys)
        page_cache.bump_generations(hosts)

    if connection.in_atomic_block:
        apply()  # now, and again below: a render between the two read the old content

    def after_commit():
        apply()
        _to_cdn(urls, site_ids)

    transaction.on_commit(after_commit)


def _to_cdn(urls, site_ids):
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    purge_urls_from_cache(sorted(urls | site_urls(site_ids)))


# --- What each change purges (called by ``solh.invalidation``) ----------------------------


def purge_moved(page, before, after):
    """A page (and its subtree) now at ``after`` was at ``before``: purge both."""
    page = Page.objects.filter(pk=page.pk).first()
    if page is None:
        return  # deleted since: its deletion purged it
    roots = Site.get_site_root_paths()
    urls = set()
    for url_path, language in Page.objects.filter(path__startswith=page.path).values_list(
        "url_path", "locale__language_code"
    ):
        old = before + url_path[len(after) :] if url_path.startswith(after) else url_path
        urls |= _page_urls(old, language, roots, listings=url_path == page.url_path)
    _purge(urls)
    purge_pages([page])


def purge_restricted(restriction):
    """A view restriction added or removed: the page (and everything below it) must stop
    being served to everyone, or start being served again."""
    page = Page.objects.filter(pk=restriction.page_id).first()
    if page is not None:
        purge_pages([page])


def purge_force(force):
    """A force's settings changed: every page of its site, and the hub, which lists it."""
    hub = Site.objects.filter(is_default_site=True).values_list("pk", flat=True)
    _purge(set(), site_ids={force.site_id, *hub})


def remember_site_hosts(site):
    """Before a site is saved: the host its pages were cached under until now."""
    before = Site.objects.filter(pk=site.pk).first() if site.pk else None
    site._purge_hosts_before = {page_cache.site_host(before)} if before else set()


def purge_site(site):
    """A site saved or deleted: every page under its host, now and before."""
    hosts = {page_cache.site_host(site), *getattr(site, "_purge_hosts_before", ())}
    _purge(set(), hosts=hosts, site_ids={site.pk})


def purge_media(instance, created=False):
    """A replaced or deleted image or document: purge the pages showing or linking to it
    (before a deletion, while the reference index still names them)."""
    if created:
        return  # nothing shows a new file yet
    _purge(_referring_urls([instance], Site.get_site_root_paths()))
    if isinstance(instance, get_image_model()):
        logo_sites = Force.objects.filter(logo_id=instance.pk).values_list("site_id", flat=True)
        if logo_sites:
            _purge(set(), site_ids=set(logo_sites))
