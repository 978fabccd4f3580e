"""The journey insight report in the admin: per force, each journey's funnel, as a table with a
bar chart drawn in HTML and CSS (no JavaScript), and as CSV.

Forces are looked up among ``insight.access.visible_forces`` only: another force is "not
found" (404) at every address, whether it exists or not.
"""

import csv
from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.models import Page

from reporting.models import ReportJourneyPage

from . import funnel as funnels
from .access import sees_any_force, visible_forces

VIEWSET_NAME = "journey_insight"
DEFAULT_DAYS = 30


def url_name(view):
    return f"{VIEWSET_NAME}:{view}"


def fixed_labels():
    return {
        "start": gettext("Started"),
        "check": gettext("Check your answers"),
        "complete": gettext("Sent"),
    }


class Period:
    """The dates asked for (``?from=YYYY-MM-DD&to=YYYY-MM-DD``), the last 30 days by default.

    A date that cannot be read is reported in plain words, never a 500."""

    def __init__(self, params):
        self.errors = []
        today = timezone.localdate()
        self.end = self._date(params.get("to"), gettext("end date")) or today
        self.start = self._date(params.get("from"), gettext("start date")) or (
            self.end - timedelta(days=DEFAULT_DAYS - 1)
        )
        if self.start > self.end:
            self.errors.append(gettext("The start date must be on or before the end date."))
            self.start = self.end

    def _date(self, value, name):
        if not value:
            return None
        try:
            return datetime.strptime(value.strip(), "%Y-%m-%d").date()
        except ValueError:
            self.errors.append(
                gettext("Enter the %(name)s as a date like 2026-03-31.") % {"name": name}
            )
            return None

    @property
    def since(self):
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self):
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def query(self):
        return f"from={self.start.isoformat()}&to={self.end.isoformat()}"


class InsightMixin(WagtailAdminTemplateMixin):
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not self.forces.exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def forces(self):
        return visible_forces(self.request.user).select_related("site")

    @cached_property
    def period(self):
        return Period(self.request.GET)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(url_name("index")), "label": _("Journey insight")},
        ]


class ForceIndexView(InsightMixin, TemplateView):
    """The forces the user may see, each with its journeys' starts and sends."""

    template_name = "insight/admin/index.html"
    page_title = _("Journey insight")

    def get(self, request, *args, **kwargs):
        forces = list(self.forces[:2])
        if len(forces) == 1:  # one force: straight to it
            url = reverse(url_name("force"), args=[forces[0].slug])
            return HttpResponseRedirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forces"] = self.forces
        context["query"] = self.period.query
        return context


class ForceMixin(InsightMixin):
    @cached_property
    def force(self):
        return get_object_or_404(self.forces, slug=self.kwargs["slug"])

    def journeys(self):
        """The force's journeys (with events in the period, or live on its site), by title."""
        totals = funnels.journey_totals(self.force, self.period.since, self.period.until)
        root = self.force.site.root_page
        pages = {
            page.pk: page for page in Page.objects.filter(pk__in=list(totals)).only("title", "path")
        }
        # Every live journey on the force's site, in every language, even without events.
        for translation in root.get_translations(inclusive=True):
            for page in (
                ReportJourneyPage.objects.descendant_of(translation).live().only("title", "path")
            ):
                pages.setdefault(page.pk, page)
        rows = []
        for pk, page in pages.items():
            starts, completions = totals.get(pk, (0, 0))
            rows.append(
                {
                    "page": page,
                    "starts": starts,
                    "completions": completions,
                    "percent": round(100 * completions / starts) if starts else 0,
                    "url": reverse(url_name("journey"), args=[self.force.slug, pk]),
                }
            )
        return sorted(rows, key=lambda row: (row["page"].title, row["page"].pk))


class ForceView(ForceMixin, TemplateView):
    template_name = "insight/admin/force.html"

    def get_page_title(self):
        return gettext("Journey insight: %(force)s") % {"force": self.force.name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            force=self.force,
            journeys=self.journeys(),
            period=self.period,
            several_forces=self.forces.count() > 1,
        )
        return context


class JourneyView(ForceMixin, TemplateView):
    """One journey's funnel on one force's site, or (``?format=csv``) the same as CSV."""

    template_name = "insight/admin/journey.html"

    @cached_property
    def journey_page(self):
        # A journey of this force's site (in any language), or with events on it.
        page = Page.objects.filter(pk=self.kwargs["journey_id"]).first()
        if page is None:
            raise Http404
        on_site = any(
            page.path.startswith(root.path)
            for root in self.force.site.root_page.get_translations(inclusive=True)
        )
        if not on_site and not funnels.events_for(self.force, page.pk).exists():
            raise Http404
        return page.specific

    @cached_property
    def funnel(self):
        events = funnels.events_for(
            self.force, self.journey_page.pk, self.period.since, self.period.until
        )
        steps = (
            funnels.journey_steps(self.journey_page)
            if isinstance(self.journey_page, ReportJourneyPage)
            else []
        )
        return funnels.build(events, steps, fixed_labels())

    def get_page_title(self):
        return gettext("%(journey)s on %(force)s") % {
            "journey": self.journey_page.title,
            "force": self.force.name,
        }

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            return self.csv()
        return super().get(request, *args, **kwargs)

    def csv(self):
        funnel = self.funnel
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"insight-{self.force.slug}-{self.journey_page.slug}-{self.period.start}"
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [gettext("Measure"), gettext("Step"), gettext("Question"), gettext("Count")]
        )
        for row in funnel.rows:
            kind = {
                "start": gettext("Started"),
                "step": gettext("Reached step"),
                "exit": gettext("Exit"),
                "check": gettext("Reached check your answers"),
                "complete": gettext("Sent"),
            }[row.kind]
            step_id = row.key if row.kind in ("step", "exit") else ""
            writer.writerow([kind, step_id, "", row.count])
        for step_id, question_id, count in funnel.errors:
            writer.writerow([gettext("Validation errors"), step_id, question_id, count])
        writer.writerow([gettext("Saved to come back later"), "", "", funnel.saves])
        writer.writerow([gettext("Came back from a saved link"), "", "", funnel.resumes])
        writer.writerow([gettext("Median seconds to send"), "", "", funnel.median_seconds or ""])
        return response

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {
                "url": reverse(url_name("force"), args=[self.force.slug]),
                "label": self.force.name,
            },
            {"url": "", "label": self.journey_page.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        funnel = self.funnel
        median = funnel.median_seconds
        context.update(
            force=self.force,
            journey=self.journey_page,
            funnel=funnel,
            period=self.period,
            median=(
                None
                if median is None
                else {"minutes": median // 60, "seconds": median % 60, "total": median}
            ),
            csv_url=f"?{self.period.query}&format=csv",
        )
        return context


class InsightMenuItem(MenuItem):
    def is_shown(self, request):
        return sees_any_force(request.user)


class InsightViewSet(ViewSet):
    """The journey insight report, at ``/admin/journey-insight/``."""

    name = VIEWSET_NAME
    url_prefix = "journey-insight"
    icon = "table"
    menu_label = _("Journey insight")
    menu_name = "journey-insight"
    menu_order = 210
    add_to_admin_menu = True
    menu_item_class = InsightMenuItem

    def get_urlpatterns(self):
        return [
            path("", ForceIndexView.as_view(), name="index"),
            path("<slug:slug>/", ForceView.as_view(), name="force"),
            path("<slug:slug>/<int:journey_id>/", JourneyView.as_view(), name="journey"),
        ]
