"""What part of the page tree and which forces a user may see in the admin.

Wagtail already scopes the explorer, editing, revisions, history and media by the permissions
onboarding grants. This module closes the places where Wagtail shows every page to anyone who
can use the admin: the page chooser (browse and search), the bulk actions' confirmations and
the tag suggestions and filters, which draw on every force's media.
"""

from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from wagtail.models import GroupPagePermission, Page
from wagtail.permissions import policy_registry

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


# Any of these on an object means a user works on it (Wagtail checks the precise action later).
WORKING_ACTIONS = ["change", "choose", "delete", "view", "publish", "unpublish", "lock", "unlock"]


def objects_user_may_work_on(model, user):
    """The instances of ``model`` that ``user`` may work on in the admin (``None``: all of them).

    Pages in the subtrees where they hold page permissions; anything else as its Wagtail
    permission policy allows (media: their collections').
    """
    if user.is_superuser:
        return None
    if issubclass(model, Page):
        own = [Q(path__startswith=root.path) for root in permitted_roots(user)]
        return model.objects.filter(reduce(or_, own)) if own else model.objects.none()
    policy = policy_registry.get_by_type(model)
    return policy.instances_user_has_any_permission_for(user, WORKING_ACTIONS)


def tags_of_own(model, user):
    """A filter on taggit's ``Tag``: tags used on the ``model`` instances ``user`` may work on."""
    permitted = objects_user_may_work_on(model, user)
    used = Q(taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(model))
    if permitted is not None:
        used &= Q(taggit_taggeditem_items__object_id__in=permitted.values("pk"))
    return used
