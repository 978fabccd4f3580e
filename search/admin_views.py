"""Admin report: what people search for on the sites a user works on."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from forces.models import Force

from .models import SearchQueryCount

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
    return user.is_superuser or Force.objects.for_user(user).exists()


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
