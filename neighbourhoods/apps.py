from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeighbourhoodsConfig(AppConfig):
    name = "neighbourhoods"
    verbose_name = _("Neighbourhoods")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Publishing, unpublishing and deleting a neighbourhood keep its postcode areas in step.
        from . import signals  # noqa: F401
