"""Admin views: the force settings screens, scoped to the forces a user belongs to."""

from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy

from .models import Force
from .roles import SETTINGS_ROLES


class ForceSettingsPermissionPolicy(ModelPermissionPolicy):
    """Force editors, moderators and admins change their own force's settings; only superusers
    (through ``onboard_force``) create or remove forces."""

    editing_actions = {"change", "view"}

    def _settings_forces(self, user):
        if user.is_superuser:
            return Force.objects.all()
        return Force.objects.filter(
            role_groups__role__in=SETTINGS_ROLES, role_groups__group__user=user
        ).distinct()

    def user_has_permission(self, user, action):
        if not (user.is_active and user.is_authenticated):
            return False
        if user.is_superuser:
            return True
        return action in self.editing_actions and self._settings_forces(user).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and self._settings_forces(user).filter(pk=instance.pk).exists()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not any(self.user_has_permission(user, action) for action in actions):
            return Force.objects.none()
        return self._settings_forces(user)


class ScopedObjectMixin:
    """Refuse (as not found) any force outside the user's own, whatever the URL says."""

    def get_object(self, queryset=None):
        force = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", force
        ):
            raise Http404
        return force


class ForceIndexView(generic.IndexView):
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["change"]
        ).select_related("site")

    def get(self, request, *args, **kwargs):
        # Someone who looks after one force goes straight to its settings.
        if not request.user.is_superuser:
            forces = list(self.get_base_queryset()[:2])
            if len(forces) == 1:
                return redirect(self.edit_url_name, forces[0].pk)
        return super().get(request, *args, **kwargs)


class ForceEditView(ScopedObjectMixin, generic.EditView):
    pass


class ForceDeleteView(ScopedObjectMixin, generic.DeleteView):
    pass


class ForceHistoryView(ScopedObjectMixin, HistoryView):
    pass


class ForceUsageView(ScopedObjectMixin, UsageView):
    pass


class ForceSettingsViewSet(ModelViewSet):
    model = Force
    icon = "site"
    menu_label = _("Force settings")
    menu_order = 800
    add_to_settings_menu = True
    name = "force_settings"
    list_display = ["name", "short_name", "site"]
    search_fields = ["name", "short_name", "slug"]
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = ForceIndexView
    edit_view_class = ForceEditView
    delete_view_class = ForceDeleteView
    history_view_class = ForceHistoryView
    usage_view_class = ForceUsageView
