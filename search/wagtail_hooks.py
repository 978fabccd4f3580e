from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


class PopularSearchesMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_see_report(request.user)


@hooks.register("register_admin_urls")
def register_search_report_urls():
    return [
        path(
            "reports/popular-searches/",
            admin_views.popular_searches,
            name="search_popular_searches",
        )
    ]


@hooks.register("register_reports_menu_item")
def register_popular_searches_menu_item():
    return PopularSearchesMenuItem(
        _("Popular searches"),
        reverse("search_popular_searches"),
        name="popular-searches",
        icon_name="search",
        order=900,
    )
