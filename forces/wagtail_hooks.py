from wagtail import hooks

from .scoping import pages_visible_in_chooser
from .views import ForceSettingsViewSet


@hooks.register("register_admin_viewset")
def register_force_settings():
    return ForceSettingsViewSet()


@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages, request):
    """Choosers show a user's own tree and the live national tree, never another force's."""
    return pages_visible_in_chooser(pages, request.user)
