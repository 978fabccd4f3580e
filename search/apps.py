from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from .models import PromotedResult
        from .permissions import PromotedResultPermissionPolicy

        register_permission_policy(PromotedResult, PromotedResultPermissionPolicy(PromotedResult))
