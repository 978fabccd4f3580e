from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForcesConfig(AppConfig):
    name = "forces"
    verbose_name = _("Forces")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from .models import Force
        from .views import ForceSettingsPermissionPolicy

        register_permission_policy(Force, ForceSettingsPermissionPolicy(Force))

        # Admin hooks of the governance and syndication features live beside their services.
        from .national import governance_hooks, syndication_hooks  # noqa: F401
