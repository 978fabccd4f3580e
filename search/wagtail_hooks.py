from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


def _is_replaced(item):
    """Wagtail's own promotions screen and its "Search terms" report (``searchpicks/``).

    Promotions are made in ``PromotedResultViewSet`` instead, which knows national from force
    promotions, and searches are counted per site by ``SearchQueryCount`` (the "Popular
    searches" report).
    """
    return item.url.startswith(reverse("wagtailsearchpromotions:index"))


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


@hooks.register("register_admin_viewset")
def register_promoted_results():
    return admin_views.PromotedResultViewSet()


@hooks.register("construct_settings_menu")
def hide_wagtails_promotions_menu(request, menu_items):
    menu_items[:] = [item for item in menu_items if not _is_replaced(item)]


@hooks.register("construct_reports_menu")
def hide_wagtails_search_terms_report(request, menu_items):
    menu_items[:] = [item for item in menu_items if not _is_replaced(item)]
