from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteImportConfig(AppConfig):
    name = "site_import"
    verbose_name = _("Site import")
    default_auto_field = "django.db.models.BigAutoField"
