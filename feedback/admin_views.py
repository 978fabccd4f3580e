"""Feedback in the admin: each force's people read their site's feedback, the national team
the feedback on national pages (on the hub and on every force's copy). Comments are decrypted
only here."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Avg, Count
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from insight.access import sees_any_force

from .models import Feedback, Kind

PER_PAGE = 50


def may_read_feedback(user):
    return sees_any_force(user)


class FeedbackIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "feedback/admin/index.html"
    page_title = _("Feedback")
    header_icon = "comment"

    def dispatch(self, request, *args, **kwargs):
        if not may_read_feedback(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def kind(self):
        kind = self.request.GET.get("kind", "")
        return kind if kind in Kind.values else ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = Feedback.objects.for_user(self.request.user)
        rows = visible.select_related("force", "site")
        if self.kind:
            rows = rows.filter(kind=self.kind)
        paginator = Paginator(rows, PER_PAGE)
        counts = dict(visible.values_list("kind").annotate(n=Count("id")).order_by())
        satisfaction = visible.filter(kind=Kind.SATISFACTION).aggregate(avg=Avg("rating"))
        context.update(
            page_obj=paginator.get_page(self.request.GET.get("p")),
            kinds=[(value, label, counts.get(value, 0)) for value, label in Kind.choices],
            kind=self.kind,
            average_rating=satisfaction["avg"],
        )
        return context


class FeedbackMenuItem(MenuItem):
    def is_shown(self, request):
        return may_read_feedback(request.user)


class FeedbackViewSet(ViewSet):
    """Feedback from the public, at ``/admin/feedback/``."""

    name = "public_feedback"
    url_prefix = "feedback"
    icon = "comment"
    menu_label = _("Feedback")
    menu_name = "public-feedback"
    menu_order = 220
    add_to_admin_menu = True
    menu_item_class = FeedbackMenuItem

    def get_urlpatterns(self):
        return [path("", FeedbackIndexView.as_view(), name="index")]
