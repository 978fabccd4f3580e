"""Admin views: what people search for on the sites a user works on, and the promoted results
(national ones for national editors, a force's own for its editors)."""

from datetime import timedelta

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from forces.models import Force

from .forms import PromotedResultForm
from .models import PromotedResult, SearchQueryCount
from .permissions import user_roles

REPORT_DAYS = 30
REPORT_ROWS = 50


def search_counts_for_user(user):
    """The search counts of the sites of ``user``'s forces (every site for superusers)."""
    counts = SearchQueryCount.objects.all()
    if not user.is_superuser:
        sites = Force.objects.for_user(user).values("site_id")
        counts = counts.filter(site_id__in=sites)
    return counts


def can_see_report(user):
    """Superusers, and whoever holds a role at some force."""
    if not (user.is_active and user.is_authenticated):
        return False
    return user.is_superuser or any(force_id for _role, force_id in user_roles(user))


def popular_searches(request):
    user = request.user
    if not can_see_report(user):
        raise PermissionDenied
    since = timezone.localdate() - timedelta(days=REPORT_DAYS - 1)
    rows = (
        search_counts_for_user(user)
        .filter(day__gte=since)
        .values("site__site_name", "site__hostname", "query")
        .annotate(total=Sum("hits"), most_results=Max("results"))
    )
    popular = rows.order_by("-total", "query")[:REPORT_ROWS]
    no_results = rows.filter(most_results=0).order_by("-total", "query")[:REPORT_ROWS]
    return TemplateResponse(
        request,
        "search/admin/popular_searches.html",
        {
            "page_title": _("Popular searches"),
            "days": REPORT_DAYS,
            "popular": popular,
            "no_results": no_results,
            "show_site": user.is_superuser or Force.objects.for_user(user).count() > 1,
        },
    )


class ScopedPromotionMixin:
    """Refuse (as not found) a promotion the user does not manage, whatever the URL says."""

    def get_object(self, *args, **kwargs):
        promotion = super().get_object(*args, **kwargs)
        if not promotion_policy().user_has_permission_for_instance(
            self.request.user, "change", promotion
        ):
            raise Http404
        return promotion


class PromotionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            promotion_policy()
            .instances_user_has_any_permission_for(self.request.user, ["change"])
            .select_related("force", "page")
        )


class PromotionEditView(ScopedPromotionMixin, generic.EditView):
    pass


class PromotionDeleteView(ScopedPromotionMixin, generic.DeleteView):
    pass


class PromotionHistoryView(ScopedPromotionMixin, HistoryView):
    pass


class PromotionUsageView(ScopedPromotionMixin, UsageView):
    pass


def promotion_policy():
    return policy_registry.get_by_type(PromotedResult)


class PromotedResultViewSet(ModelViewSet):
    """*Settings → Promoted search results*, for national and force editors (see
    ``search.permissions``)."""

    model = PromotedResult
    name = "promoted_results"
    icon = "pick"
    menu_label = gettext_lazy("Promoted search results")
    menu_name = "promoted-results"
    menu_order = 900
    add_to_settings_menu = True
    list_display = ["query_string", "title", "shown_on", "sort_order"]
    search_fields = ["query_string", "external_link_text", "page__title"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False
    sort_order_field = None
    edit_handler = ObjectList(
        [
            FieldPanel("query_string"),
            FieldPanel("force"),
            FieldPanel("page"),
            FieldPanel("external_link_url"),
            FieldPanel("external_link_text"),
            FieldPanel("description"),
            FieldPanel("sort_order"),
        ],
        base_form_class=PromotedResultForm,
    )
    index_view_class = PromotionIndexView
    edit_view_class = PromotionEditView
    delete_view_class = PromotionDeleteView
    history_view_class = PromotionHistoryView
    usage_view_class = PromotionUsageView

    def get_permissions_to_register(self):
        # Granted by role (search.permissions), not by model permissions in the group editor.
        return Permission.objects.none()
