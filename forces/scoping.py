"""What part of the page tree and which forces a user may see in the admin.

Wagtail already scopes the explorer, editing, revisions, history and media by the permissions
onboarding grants. This module closes the places where Wagtail shows every page to anyone who
can use the admin: the page chooser (browse and search).
"""

from functools import reduce
from operator import or_

from django.db.models import Q

from wagtail.models import GroupPagePermission, Page

from home.models import HubPage


def permitted_roots(user):
    """The pages at which ``user`` holds page permissions (each covers its subtree)."""
    page_ids = GroupPagePermission.objects.filter(group__user=user).values("page_id")
    return list(Page.objects.filter(pk__in=page_ids).only("path", "depth"))


def chooser_filter(user):
    """A filter for the pages ``user`` may see in choosers, or ``None`` for no restriction.

    Their own subtrees in any state; the national hub's tree once it is live; and the tree's
    root, so browsing can start there.
    """
    if user.is_superuser:
        return None
    roots = permitted_roots(user)
    own = [Q(path__startswith=root.path) for root in roots]
    hub = HubPage.objects.only("path").first()
    allowed = Q(depth=1)
    if own:
        allowed |= reduce(or_, own)
    if hub is not None:
        allowed |= Q(path__startswith=hub.path, live=True)
    return allowed


def pages_visible_in_chooser(pages, user):
    allowed = chooser_filter(user)
    return pages if allowed is None else pages.filter(allowed)


def can_see_in_chooser(page, user):
    return pages_visible_in_chooser(Page.objects.filter(pk=page.pk), user).exists()
