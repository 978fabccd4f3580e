from django.core.exceptions import PermissionDenied

from wagtail import hooks

from home.languages import SERVED_PAGE_ATTRIBUTE

from .scoping import pages_visible_in_chooser
from .views import ForceSettingsViewSet, ScopedDocumentsAdminAPIViewSet, ScopedImagesAdminAPIViewSet


@hooks.register("register_admin_viewset")
def register_force_settings():
    return ForceSettingsViewSet()


@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages, request):
    """Choosers show a user's own tree and the live national tree, never another force's."""
    return pages_visible_in_chooser(pages, request.user)


@hooks.register("construct_admin_api", order=100)
def scope_admin_api_media(router):
    """Replace Wagtail's image and document endpoints (registered at order 0)."""
    # Wagtail's admin API lists every image and document to anyone who can use the admin.
    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)


@hooks.register("before_move_page")
def refuse_moves_the_user_may_not_make(request, page, destination):
    # Wagtail's move confirmation shows both pages' titles before checking any permission.
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


# Reports that cover every site: only superusers have them (see admin_urls).
PLATFORM_WIDE_REPORTS = {"page-types-usage", "translations"}


@hooks.register("construct_reports_menu")
def hide_platform_wide_reports(request, menu_items):
    """The page types and translations reports cover every site: superusers only."""
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name not in PLATFORM_WIDE_REPORTS]


@hooks.register("before_serve_page")
def remember_the_served_page(page, request, serve_args, serve_kwargs):
    """Templates outside the page's own context (the header's language switcher) need it."""
    setattr(request, SERVED_PAGE_ATTRIBUTE, page)
