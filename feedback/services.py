"""Storing feedback: which page of which site it is about, and whether that page is national."""

from wagtail.models import Page, Site

from forces.models import Force
from home.models import HubPage

from .models import Feedback


def page_on_site(page_id, site):
    """The live page ``page_id`` if it is on ``site`` (in any of its languages), else None."""
    try:
        page_id = int(page_id)
    except (TypeError, ValueError):
        return None
    page = Page.objects.filter(pk=page_id, live=True).only("path", "title", "alias_of_id").first()
    if page is None or site is None:
        return None
    roots = site.root_page.get_translations(inclusive=True).only("path")
    if not any(page.path.startswith(root.path) for root in roots):
        return None
    return page


def is_national(page):
    """Whether ``page`` is national content: in the hub's tree, or a force's copy of a page
    that is."""
    original = page
    if page.alias_of_id:
        original = Page.objects.filter(pk=page.alias_of_id).only("path").first() or page
    hubs = HubPage.objects.only("path")
    return any(original.path.startswith(hub.path) for hub in hubs)


def record(request, kind, page=None, *, rating=None, comment=""):
    """Store one piece of feedback from ``request``'s site (and language) about ``page``."""
    from django.utils.translation import get_language

    site = Site.find_for_request(request)
    force = Force.objects.filter(site=site).only("pk").first() if site else None
    return Feedback.objects.create(
        site=site,
        force=force,
        page=page,
        national=bool(page is not None and is_national(page)) or (page is None and force is None),
        path=(page.get_url(request) or "")[:255] if page is not None else "",
        page_title=(page.title[:255] if page is not None else ""),
        language=(get_language() or "en")[:10],
        kind=kind,
        rating=rating,
        comment=comment,
    )
