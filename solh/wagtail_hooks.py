from django.urls import include, path, reverse
from django.utils.translation import gettext as _

from wagtail import hooks

from .two_factor import urls as two_factor_urls


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [path("two-factor/", include(two_factor_urls, namespace="two_factor"))]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("two_factor:recovery_codes"),
        "label": _("Two-factor authentication"),
        "help_text": _("Set up your authenticator app, or make new recovery codes."),
    }
