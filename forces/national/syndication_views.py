"""Admin views of syndication: localise a force's copy of a national page, or revert it.

Each asks for confirmation, then calls ``syndication``. Only users who can edit the page
in its force's tree may do either (``syndication_hooks`` registers the URLs, under
Wagtail's admin, and shows the buttons that lead here).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.models import Page

from . import syndication


def can_localise(page, user):
    """Whether ``user`` may localise ``page``: a force's copy of a national page they can edit."""
    return (
        page.alias_of_id is not None
        and page.permissions_for_user(user).can_edit()
        and syndication.national_original(page) is not None
    )


def can_revert(page, user):
    """Whether ``user`` may revert ``page``: a localised page they can edit, whose national
    original still exists."""
    if page.alias_of_id is not None or not page.permissions_for_user(user).can_edit():
        return False
    localisation = syndication.localisation_of(page)
    return localisation is not None and localisation.national_page is not None


def _edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def localise(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    original = syndication.national_original(page)
    if original is None:
        raise Http404
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    next_url = get_valid_next_url_from_request(request)
    if request.method == "POST":
        syndication.localise(page, request.user)
        messages.success(
            request,
            _(
                "“%(title)s” is now your force's own version: national changes no longer reach "
                "it, and your edits go through your force's moderation."
            )
            % {"title": page.title},
            buttons=[messages.button(_edit_url(page), _("Edit"))],
        )
        return redirect(next_url or _edit_url(page))
    return TemplateResponse(
        request,
        "forces/syndication/confirm_localise.html",
        {"page": page, "original": original, "next": next_url},
    )


def revert(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    localisation = syndication.localisation_of(page)
    if localisation is None or localisation.national_page is None:
        raise Http404
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    next_url = get_valid_next_url_from_request(request)
    if request.method == "POST":
        syndication.revert_to_national(page, request.user)
        messages.success(
            request,
            _("“%(title)s” shows the national version again.") % {"title": page.title},
        )
        return redirect(next_url or reverse("wagtailadmin_explore", args=[page.get_parent().pk]))
    return TemplateResponse(
        request,
        "forces/syndication/confirm_revert.html",
        {
            "page": page,
            "localisation": localisation,
            "national_changed": syndication.national_changed_since(localisation),
            "in_moderation": page.workflow_in_progress,
            "next": next_url,
        },
    )


urlpatterns = [
    path("<int:page_id>/localise/", localise, name="localise"),
    path("<int:page_id>/revert/", revert, name="revert"),
]
