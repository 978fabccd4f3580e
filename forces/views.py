"""Admin views: the force settings screens, scoped to the forces a user belongs to (report
delivery for platform admins only); and the admin API's media endpoints and the media listings'
tag filters, scoped to the collections a user may use."""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from taggit.models import Tag
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.views.documents import DocumentsFilterSet
from wagtail.documents.views.documents import IndexView as DocumentsIndexView
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.views.chooser import ImageChooserViewSet, ImageChooseView
from wagtail.images.views.images import ImagesFilterSet
from wagtail.images.views.images import IndexView as ImagesIndexView
from wagtail.permission_policies.base import ModelPermissionPolicy

from .forms import NEW_SECRET, REMOVE_SECRET, ForceSettingsForm
from .models import Force
from .roles import SETTINGS_ROLES
from .scoping import objects_user_may_work_on, tags_of_own


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


PLATFORM_ADMIN = "superuser"  # Wagtail's panel permission for superusers only


class PlatformAdminFieldPanel(FieldPanel):
    """A field that only platform admins change; a force's own staff see its value, read-only."""

    def __init__(self, field_name, **kwargs):
        kwargs.setdefault("permission", PLATFORM_ADMIN)
        super().__init__(field_name, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if self.form is not None and self.bound_field is None:
                # Left out of this user's form by its permission: show the value instead.
                self.read_only = True
                self.heading = self.panel.heading or capfirst(self.panel.db_field.verbose_name)
                self.help_text = self.panel.help_text or capfirst(self.panel.db_field.help_text)

        def is_shown(self):
            return self.read_only or super().is_shown()


# Where the force's reports go: platform admins set it (as onboard_force does). The fields are
# left out of everyone else's form, so they can neither see nor post them; a force's own staff
# see how long reports are kept.
report_delivery_panel = MultiFieldPanel(
    [
        FieldPanel("webhook_url", permission=PLATFORM_ADMIN),
        FieldPanel(NEW_SECRET, permission=PLATFORM_ADMIN),
        FieldPanel(REMOVE_SECRET, permission=PLATFORM_ADMIN),
        FieldPanel("reports_email", permission=PLATFORM_ADMIN),
        PlatformAdminFieldPanel("report_retention_days"),
    ],
    heading=_("Report delivery"),
    help_text=_("Set by platform administrators."),
)


class ScopedObjectMixin:
    """Refuse (as not found) any force outside the user's own, whatever the URL says."""

    def get_object(self, *args, **kwargs):
        # Wagtail's edit view takes a queryset argument; its history and usage views do not.
        force = super().get_object(*args, **kwargs)
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
    edit_handler = ObjectList(
        [*Force.panels, report_delivery_panel], base_form_class=ForceSettingsForm
    )
    index_view_class = ForceIndexView
    edit_view_class = ForceEditView
    delete_view_class = ForceDeleteView
    history_view_class = ForceHistoryView
    usage_view_class = ForceUsageView


class PermittedMediaMixin:
    """Only the images or documents the user may work on: their own collections'."""

    def get_queryset(self):
        queryset = super().get_queryset()
        permitted = objects_user_may_work_on(self.model, self.request.user)
        return queryset if permitted is None else queryset.filter(pk__in=permitted.values("pk"))


class ScopedImagesAdminAPIViewSet(PermittedMediaMixin, ImagesAdminAPIViewSet):
    pass


class ScopedDocumentsAdminAPIViewSet(PermittedMediaMixin, DocumentsAdminAPIViewSet):
    pass


def own_popular_tags(model, user, count=10):
    """The tags used most on the ``model`` instances ``user`` may work on."""
    return (
        Tag.objects.filter(tags_of_own(model, user))
        .annotate(item_count=Count("taggit_taggeditem_items"))
        .order_by("-item_count", "name")[:count]
    )


class OwnTagsFilterMixin:
    """The tag filter offers the most used tags of the user's own media, not the platform's."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if "tag" not in self.filters or request.user.is_superuser:
            return
        names = [tag.name for tag in own_popular_tags(self._meta.model, request.user)]
        if names:
            self.filters["tag"].extra["choices"] = [(name, name) for name in names]
        else:
            del self.filters["tag"]


class OwnImagesFilterSet(OwnTagsFilterMixin, ImagesFilterSet):
    class Meta(ImagesFilterSet.Meta):
        pass


class OwnDocumentsFilterSet(OwnTagsFilterMixin, DocumentsFilterSet):
    class Meta(DocumentsFilterSet.Meta):
        pass


class OwnImagesIndexView(ImagesIndexView):
    filterset_class = OwnImagesFilterSet


class OwnDocumentsIndexView(DocumentsIndexView):
    filterset_class = OwnDocumentsFilterSet


class OwnTagsImageChooseView(ImageChooseView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.request.user.is_superuser:
            context["popular_tags"] = own_popular_tags(self.model, self.request.user)
        return context


class OwnTagsImageChooserViewSet(ImageChooserViewSet):
    """Wagtail's image chooser, with the popular tags of the user's own images only.

    Not registered: ``forces.admin_urls`` serves its choose view at Wagtail's address.
    """

    choose_view_class = OwnTagsImageChooseView
