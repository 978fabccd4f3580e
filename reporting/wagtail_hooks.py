from wagtail import hooks

from .admin_views import ReportsViewSet


@hooks.register("register_admin_viewset")
def register_report_handlers_admin():
    """The report handlers' admin: "Public reports" in the menu, for handlers only."""
    return ReportsViewSet()
