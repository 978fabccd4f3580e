"""Signals and admin hooks of syndication; each forwards to ``forces.national.syndication``.

Signals keep every force's copy of the national sections (the report hub and the library) in
step with them: publishing fans a
national page out, unpublishing, deleting and moving it do the same to its copies. The admin
hooks mark national and localised pages in a force's tree, offer "Localise" and "Revert to
national" (views in ``syndication_views``), and stop a force's users from unpublishing,
deleting or moving the national pages in their tree, which only the national team may do.
"""

from functools import reduce
from operator import or_

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.widgets import Button, ListingButton
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from forces.models import LocalisedPage

from . import bilingual, syndication, syndication_views

# --- signals ----------------------------------------------------------------------------------


@receiver(page_published)
def _national_page_published(sender, instance, alias=False, **kwargs):
    if alias:
        return
    with syndication.one_operation():
        if syndication.is_national(instance):
            syndication.fan_out(instance)
        # The Welsh trees follow: a new national page, a Welsh translation published, a force's
        # new page on a bilingual site.
        bilingual.after_change(instance, published=True)


@receiver(page_unpublished)
def _national_page_unpublished(sender, instance, **kwargs):
    if instance.alias_of_id is None and syndication.is_national(instance):
        syndication.unpublish_everywhere(instance)
        # Withdrawn national content is withdrawn in Welsh too.
        bilingual.unpublish_translations(instance)


@receiver(post_page_move)
def _national_page_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    roots = syndication.national_roots()
    if roots and instance.pk not in {root.pk for root in roots}:
        was_national = syndication.is_national(parent_page_before, roots)
        if was_national or syndication.is_national(parent_page_after, roots):
            syndication.move_everywhere(instance, was_national=was_national)
    bilingual.after_change(instance)


@receiver(pre_delete)
def _national_page_deleted(sender, instance, **kwargs):
    # Sent for the base Page and again for the specific page of every page being deleted, in no
    # particular order: removing copies is idempotent and order-independent.
    if not isinstance(instance, Page):
        return
    # The copies deleted here send this signal too, each asking for the national roots.
    with syndication.one_operation():
        national = syndication.is_national(instance)
        if national:
            syndication.remove_everywhere(instance)
        # Its Welsh stand-ins go with it (and a national page's Welsh translation too).
        bilingual.remove_counterparts(instance, translated_too=national)


# --- admin: what a force's users see and may do -------------------------------------------------


@hooks.register("register_admin_urls")
def register_syndication_urls():
    return [
        path(
            "syndication/",
            include((syndication_views.urlpatterns, "forces_syndication")),
        )
    ]


@hooks.register("register_log_actions")
def register_syndication_log_actions(actions):
    actions.register_action(
        syndication.LOCALISE_ACTION,
        gettext_lazy("Localise"),
        gettext_lazy("Localised: the force's own copy of the national page"),
    )
    actions.register_action(
        syndication.REVERT_ACTION,
        gettext_lazy("Revert to national"),
        gettext_lazy("Reverted to the national page"),
    )


def _url(name, page, next_url=None):
    url = reverse(f"forces_syndication:{name}", args=[page.pk])
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _marks(request):
    """What the explorer needs to mark pages, worked out once per request (it asks per row)."""
    marks = getattr(request, "_syndication_marks", None)
    if marks is None:
        localised = LocalisedPage.objects.values_list(
            "page_id", "national_page_id", "national_revision_id", "national_page__live_revision_id"
        )
        marks = {
            "english_locale_id": bilingual.english_locale().pk,
            "national_paths": [root.path for root in syndication.all_national_roots()],
            "localised": {row[0]: row[1:] for row in localised},
        }
        request._syndication_marks = marks
    return marks


def _is_national_copy(page, marks):
    national_paths = marks["national_paths"]
    if (
        page.alias_of_id is None
        or not national_paths
        or any(page.path.startswith(path) for path in national_paths)
    ):
        return False
    if page.locale_id == marks["english_locale_id"]:
        return True  # in a force's English tree, every alias is a copy of a national page
    # In a Welsh tree, an alias may stand in for the force's own English page instead.
    return syndication.national_original(page) is not None


@hooks.register("register_page_header_buttons")
def syndication_header_buttons(page, user, view_name, next_url=None):
    if page.alias_of_id is not None:
        if syndication_views.can_localise(page, user):
            yield Button(
                _("Localise"), url=_url("localise", page, next_url), icon_name="edit", priority=12
            )
    elif syndication_views.can_revert(page, user):
        yield Button(
            _("Revert to national"),
            url=_url("revert", page, next_url),
            icon_name="rotate",
            priority=12,
        )


@hooks.register("construct_page_listing_buttons")
def mark_national_pages(buttons, page, user, context=None):
    """In the explorer, label a force's national and localised pages beside their title, with
    the "Localise" or "Revert to national" action for those who may take it."""
    request = (context or {}).get("request")
    if request is None:
        return
    marks = _marks(request)
    can_edit = page.permissions_for_user(user).can_edit()
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    next_url = request.get_full_path()
    if _is_national_copy(page, marks):
        label = _("National")
        title = _("Shared with every force; only the national team changes it.")
        action = (_("Localise"), _url("localise", page, next_url)) if can_edit else None
    elif page.pk in marks["localised"]:
        national_id, copied_revision, live_revision = marks["localised"][page.pk]
        changed = national_id is not None and copied_revision != live_revision
        label = _("Localised: national page changed") if changed else _("Localised")
        title = _("Your force's own version of a national page.")
        revertible = can_edit and national_id is not None
        action = (_("Revert to national"), _url("revert", page, next_url)) if revertible else None
    else:
        return
    extra = [
        ListingButton(
            label,
            url=edit_url,
            classname="w-status w-status--primary",
            attrs={"title": title},
            priority=0,
        )
    ]
    if action is not None:
        extra.append(ListingButton(action[0], url=action[1], priority=1))
    buttons[:0] = extra


@hooks.register("before_edit_page")
def explain_national_and_localised_pages(request, page):
    """Tell the editor that a page is national (read-only) or localised, and whether the
    national original has changed since it was localised."""
    if request.method != "GET":
        return None
    original = syndication.national_original(page) if page.alias_of_id else None
    if original is not None:
        buttons = []
        if syndication_views.can_localise(page, request.user):
            buttons.append(messages.button(_url("localise", page), _("Localise")))
        messages.info(
            request,
            _(
                "This is a national page, shared with every force. Only the national team can "
                "change it; localise it to make your force's own version."
            ),
            buttons=buttons,
        )
        return None
    if page.alias_of_id is None and syndication.is_national(page):
        localised = LocalisedPage.objects.filter(national_page=page).count()
        messages.info(
            request,
            _(
                "This page is national: every force's site shows it, and publishing it "
                "updates them all. Forces with their own localised version: %(count)s."
            )
            % {"count": localised},
        )
        return None
    localisation = syndication.localisation_of(page)
    if localisation is None:
        return None
    message = _("This is your force's localised version of a national page, localised on %(date)s.")
    message %= {"date": date_format(localisation.localised_at, "DATE_FORMAT")}
    buttons = []
    if syndication_views.can_revert(page, request.user):
        buttons.append(messages.button(_url("revert", page), _("Revert to national")))
    if localisation.national_page is None:
        messages.warning(request, message + " " + _("The national page has since been deleted."))
    elif syndication.national_changed_since(localisation):
        messages.warning(
            request,
            message + " " + _("The national page has changed since: check whether yours should."),
            buttons=buttons,
        )
    else:
        messages.info(request, message, buttons=buttons)
    return None


@hooks.register("before_convert_alias_page")
def localise_instead_of_converting(request, page):
    """Wagtail's "convert alias" on a national page goes to "Localise", which records it."""
    if syndication.national_original(page) is not None:
        next_url = request.GET.get("next") or request.POST.get("next")
        return redirect(_url("localise", page, next_url))
    return None


def _refuse_on_national_copies(request, page, *args):
    user = getattr(request, "user", AnonymousUser())
    if user.is_superuser or page.alias_of_id is None:
        return
    if syndication.national_original(page) is not None:
        raise PermissionDenied


# A force's users see the national pages in their tree but may not take them off their site:
# that is the national team's decision, made once for every force.
hooks.register("before_delete_page", _refuse_on_national_copies)
hooks.register("before_unpublish_page", _refuse_on_national_copies)
hooks.register("before_move_page", _refuse_on_national_copies)


@hooks.register("before_bulk_action")
def refuse_bulk_actions_on_national_copies(request, action_type, objects, action_class_instance):
    if request.user.is_superuser or action_type not in ("delete", "unpublish", "move"):
        return
    aliases = [page.pk for page in objects if getattr(page, "alias_of_id", None) is not None]
    roots = syndication.all_national_roots() if aliases else []
    if not roots:
        return
    of_national = reduce(or_, (Q(alias_of__path__startswith=root.path) for root in roots))
    within = reduce(or_, (Q(path__startswith=root.path) for root in roots))
    national_copies = Page.objects.filter(of_national, pk__in=aliases)
    if national_copies.exclude(within).exists():
        raise PermissionDenied
