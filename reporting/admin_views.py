"""The report handlers' admin: their forces' reports, one report in full, CSV export, resend,
erasure, evidence downloads, and the record of who did what.

Who may come in: superusers, and users holding the ``report-handler`` role at one or more forces
(``Force.objects.handled_by``). Anyone else is refused at every address (Wagtail's "no
permission" redirect) before any report is looked up. Reports are always looked up through
``Submission.objects.for_user``, so another force's report is simply not found (404): the answer
is the same whether it exists or not. Reports are addressed by their UUID, never by anything a
reporter typed.

Viewing a report, downloading its evidence, exporting, re-sending and erasing are recorded as
``ReportAccessRecord`` rows (who, when, which force, which reference, how many; never answers).
Looking at the listing is not: it shows no answers, and a record per page turn would bury the
records that matter.
"""

import csv
from itertools import islice

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView, View

from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import BaseListingView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets.button import Button, HeaderButton

from .filters import AccessRecordFilterSet, ReportFilterSet, handled_forces
from .models import (
    AccessAction,
    DeliveryStatus,
    ReportAccessRecord,
    Submission,
)

VIEWSET_NAME = "handled_reports"
EXPORT_BATCH_SIZE = 500
# A spreadsheet treats a cell starting with one of these as a formula (OWASP: CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def url_name(view):
    return f"{VIEWSET_NAME}:{view}"


def handles_reports(request):
    """Whether the requesting user may use the report handlers' admin at all."""
    return request.user.is_superuser or bool(handled_forces(request))


def record_access(request, action, force_id, reference="", count=1):
    """Record that the requesting user did ``action`` to a report (or ``count`` reports)."""
    return ReportAccessRecord.objects.create(
        user=request.user,
        username=request.user.get_username(),
        force_id=force_id,
        action=action,
        reference=reference,
        count=count,
    )


def language_name(code):
    return dict(settings.LANGUAGES).get(code, code)


def submitted_at_display(submission):
    return date_format(timezone.localtime(submission.submitted_at), "j M Y, H:i")


# --- answers ------------------------------------------------------------------------------------


def is_group(row):
    """A repeating group's value is a list of items, each a list of answer rows."""
    value = row.get("value")
    return isinstance(value, list) and bool(value) and all(isinstance(i, list) for i in value)


def evidence_files(row):
    """The files of an evidence question's answer (``[]`` for any other question)."""
    value = row.get("value")
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict) and "evidence_id" in item]


def item_heading(row, number, prefix=""):
    # "Vehicle 1": the group's item label where the journey gives one, else the group's label.
    return f"{prefix}{row.get('item_label') or row.get('label', '')} {number}"


def flatten_answers(rows, prefix=""):
    """``(heading, display)`` for every answer, groups flattened as "Vehicle 1: Registration"."""
    for row in rows:
        if is_group(row):
            for number, item in enumerate(row["value"], start=1):
                yield from flatten_answers(item, f"{item_heading(row, number, prefix)}: ")
        else:
            yield f"{prefix}{row.get('label', '')}", str(row.get("display", ""))


def answer_sections(rows, evidence_url, title=None):
    """The answers as sections for a summary list: the answers outside any group, then one
    section per group item ("Vehicle 1", ...), in the order they were asked.

    ``evidence_url(evidence_id)`` gives the download address of a file, or ``None``.
    """
    sections = [{"title": title, "rows": []}]
    for row in rows:
        if is_group(row):
            for number, item in enumerate(row["value"], start=1):
                prefix = f"{title}: " if title else ""
                sections.extend(
                    answer_sections(item, evidence_url, item_heading(row, number, prefix))
                )
            sections.append({"title": title, "rows": []})
            continue
        files = [
            {"name": file.get("filename", ""), "url": evidence_url(file["evidence_id"])}
            for file in evidence_files(row)
        ]
        sections[-1]["rows"].append(
            {"label": row.get("label", ""), "display": row.get("display", ""), "files": files}
        )
    return [section for section in sections if section["rows"]]


# --- CSV ----------------------------------------------------------------------------------------


def csv_safe(value):
    """The value as a CSV cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def batched(items, size):
    """``items`` in lists of at most ``size`` (``itertools.batched`` arrives in Python 3.12)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class _Echo:
    """Hands each line ``csv.writer`` writes straight back, for a streamed response."""

    def write(self, value):
        return value


# --- permission and lookup ----------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class HandlerRequiredMixin:
    """Only report handlers get in; report data is never cached by a browser or a proxy."""

    def dispatch(self, request, *args, **kwargs):
        if not handles_reports(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def several_forces(self):
        return self.request.user.is_superuser or len(handled_forces(self.request)) > 1

    def refuse_other_forces(self):
        # A force that is not the user's is "not found", like its reports, however it is named.
        own = {force.slug for force in handled_forces(self.request)}
        if any(slug and slug not in own for slug in self.request.GET.getlist("force")):
            raise Http404


class SubmissionMixin(HandlerRequiredMixin, WagtailAdminTemplateMixin):
    """A view of one report, found among the user's forces' reports only."""

    header_icon = "clipboard-list"

    @cached_property
    def submission(self):
        reports = Submission.objects.for_user(self.request.user).select_related("force")
        return get_object_or_404(reports, pk=self.kwargs["pk"])

    @cached_property
    def detail_url(self):
        return reverse(url_name("detail"), args=[self.submission.pk])

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(url_name("index")), "label": _("Public reports")},
            {"url": self.detail_url, "label": self.submission.reference},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(submission=self.submission, detail_url=self.detail_url)
        return context


# --- listing and export -------------------------------------------------------------------------


class DeliveryStatusColumn(Column):
    cell_template_name = "reporting/admin/delivery_status_cell.html"


class ReportIndexView(HandlerRequiredMixin, BaseListingView):
    """The user's forces' reports, newest first, filterable; no answers are shown or searched
    (they are encrypted), so nothing here is recorded."""

    page_title = _("Public reports")
    header_icon = "clipboard-list"
    paginate_by = 50
    default_ordering = "-submitted_at"
    filterset_class = ReportFilterSet
    index_url_name = url_name("index")
    index_results_url_name = url_name("index_results")
    verbose_name = _("report")
    verbose_name_plural = _("reports")

    def get(self, request, *args, **kwargs):
        self.refuse_other_forces()
        return super().get(request, *args, **kwargs)

    def get_base_queryset(self):
        # The answers and contact details are encrypted: a listing never decrypts them.
        return Submission.objects.for_user(self.request.user).defer("answers", "contact")

    @cached_property
    def force_names(self):
        return {force.pk: force.name for force in handled_forces(self.request)}

    @cached_property
    def columns(self):
        columns = [
            TitleColumn(
                "reference",
                label=_("Reference"),
                url_name=url_name("detail"),
            ),
            Column("journey_title", label=_("Journey")),
        ]
        if self.several_forces:
            columns.append(
                Column("force", label=_("Force"), accessor=self.force_name),
            )
        columns += [
            Column(
                "submitted_at",
                label=_("Submitted"),
                accessor=submitted_at_display,
                sort_key="submitted_at",
            ),
            DeliveryStatusColumn("delivery_status", label=_("Delivery")),
            Column("language", label=_("Language"), accessor=lambda s: language_name(s.language)),
        ]
        return columns

    def force_name(self, submission):
        return self.force_names.get(submission.force_id, "")

    def get_valid_orderings(self):
        return ["submitted_at", "-submitted_at"]

    @cached_property
    def header_buttons(self):
        params = self.request.GET.copy()
        for transient in (self.page_kwarg, "_w_filter_fragment"):
            params.pop(transient, None)
        query = f"?{params.urlencode()}" if params else ""
        return [
            HeaderButton(
                _("Download CSV"),
                url=reverse(url_name("export")) + query,
                icon_name="download",
            ),
        ]

    @cached_property
    def header_more_buttons(self):
        return [
            Button(_("Access records"), url=reverse(url_name("audit")), icon_name="history"),
        ]


class ReportExportView(ReportIndexView):
    """The filtered listing as CSV, streamed: one row per report, one column per question."""

    def get_base_queryset(self):
        return Submission.objects.for_user(self.request.user)

    def get(self, request, *args, **kwargs):
        self.refuse_other_forces()
        if self.filters and not self.filters.is_valid():
            messages.error(request, gettext("Check the filters: the export was not made."))
            return redirect(reverse(url_name("index")) + f"?{request.GET.urlencode()}")

        reports = self.get_queryset().only("id", "force_id", "answers")
        ids, headings, per_force = [], {}, {}
        # First pass: the question columns the exported reports need, in the order first asked.
        for report in reports.iterator(chunk_size=EXPORT_BATCH_SIZE):
            ids.append(report.pk)
            per_force[report.force_id] = per_force.get(report.force_id, 0) + 1
            for heading, _display in flatten_answers(report.answers or []):
                headings.setdefault(heading, None)
        for force_id, count in per_force.items():
            record_access(request, AccessAction.EXPORT, force_id, count=count)

        response = StreamingHttpResponse(
            self.stream(ids, list(headings)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.filename()}"'
        return response

    def filename(self):
        forces = handled_forces(self.request)
        owner = forces[0].slug if len(forces) == 1 and not self.request.user.is_superuser else ""
        day = timezone.localdate().isoformat()
        return f"{owner}-reports-{day}.csv" if owner else f"reports-{day}.csv"

    def stream(self, ids, question_headings):
        writer = csv.writer(_Echo())
        fixed = [
            gettext("Reference"),
            gettext("Force"),
            gettext("Journey"),
            gettext("Journey revision"),
            gettext("Submitted"),
            gettext("Delivery"),
            gettext("Language"),
            gettext("Contact name"),
            gettext("Contact email"),
            gettext("Contact phone"),
        ]
        # A byte order mark, so spreadsheets read the file as UTF-8 (Welsh, names with accents).
        yield "\ufeff" + writer.writerow([csv_safe(cell) for cell in fixed + question_headings])

        force_names = {force.pk: force.name for force in handled_forces(self.request)}
        for batch in batched(ids, EXPORT_BATCH_SIZE):
            # A report erased since the first pass is left out rather than failing the file.
            reports = Submission.objects.in_bulk(batch)
            for pk in batch:
                report = reports.get(pk)
                if report is None:
                    continue
                answers = {}
                for heading, display in flatten_answers(report.answers or []):
                    answers[heading] = (
                        f"{answers[heading]}\n{display}" if heading in answers else display
                    )
                contact = report.contact or {}
                row = [
                    report.reference,
                    force_names.get(report.force_id, ""),
                    report.journey_title,
                    report.revision_number,
                    timezone.localtime(report.submitted_at).isoformat(timespec="seconds"),
                    report.get_delivery_status_display(),
                    language_name(report.language),
                    contact.get("name", ""),
                    contact.get("email", ""),
                    contact.get("phone", ""),
                    *(answers.get(heading, "") for heading in question_headings),
                ]
                yield writer.writerow([csv_safe(cell) for cell in row])


# --- one report ---------------------------------------------------------------------------------


class ReportDetailView(SubmissionMixin, TemplateView):
    """One report in full. Each view is recorded."""

    template_name = "reporting/admin/detail.html"

    def get_page_title(self):
        return gettext("Report %(reference)s") % {"reference": self.submission.reference}

    def get_breadcrumbs_items(self):
        *trail, _current = super().get_breadcrumbs_items()
        return [*trail, {"url": "", "label": self.submission.reference}]

    def get(self, request, *args, **kwargs):
        record_access(
            request, AccessAction.VIEW, self.submission.force_id, self.submission.reference
        )
        return super().get(request, *args, **kwargs)

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Resend"),
                url=reverse(url_name("resend"), args=[self.submission.pk]),
                icon_name="resubmit",
                priority=10,
            ),
            HeaderButton(
                _("Erase report"),
                url=reverse(url_name("erase"), args=[self.submission.pk]),
                icon_name="bin",
                priority=20,
            ),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.submission
        evidence = list(submission.evidence.all())
        known = {str(item.pk) for item in evidence}

        def evidence_url(evidence_id):
            if str(evidence_id) in known:
                return reverse(url_name("evidence"), args=[submission.pk, evidence_id])
            return None

        deliveries = list(submission.deliveries.prefetch_related("tries"))
        contact = submission.contact or {}
        context.update(
            language=language_name(submission.language),
            contact=[
                (gettext("Name"), contact.get("name", "")),
                (gettext("Email address"), contact.get("email", "")),
                (gettext("Phone number"), contact.get("phone", "")),
            ],
            answer_sections=answer_sections(submission.answers or [], evidence_url),
            evidence=[
                {
                    "name": item.original_name,
                    "content_type": item.content_type,
                    "size": item.size,
                    "url": evidence_url(item.pk),
                }
                for item in evidence
            ],
            deliveries=deliveries,
            several_forces=self.several_forces,
        )
        from tracking.admin_views import URL_NAME, report_context

        context.update(
            report_context(submission, deliveries),
            post_update_url=reverse(URL_NAME, args=[submission.pk]),
        )
        return context


class ConfirmActionView(SubmissionMixin, TemplateView):
    """A confirmation page (GET) for an action done by a POST with a CSRF token."""

    template_name = "reporting/admin/confirm.html"
    action_label = ""
    button_label = ""
    button_classname = "button"

    def get_page_title(self):
        return self.action_label

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.action_label}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=self.request.path,
            button_label=self.button_label,
            button_classname=self.button_classname,
            confirmation=self.confirmation(),
        )
        return context


class ResendView(ConfirmActionView):
    """Send a report to its force again: every delivery to the force is queued afresh."""

    action_label = _("Resend")
    button_label = _("Yes, resend this report")

    def confirmation(self):
        return gettext(
            "Report %(reference)s will be sent to %(force)s again, through the force's current "
            "delivery settings, starting now. The reporter is not emailed again."
        ) % {"reference": self.submission.reference, "force": self.submission.force.name}

    def post(self, request, *args, **kwargs):
        from .delivery import resend

        resend(self.submission, request.user)
        messages.success(
            request,
            gettext("Report %(reference)s is queued to be sent again.")
            % {"reference": self.submission.reference},
        )
        return redirect(self.detail_url)


class EraseView(ConfirmActionView):
    """Erase a report with its evidence files, for good. Any handler of its force may: they
    are the people answerable for the force's reports (a report made in error, a duplicate, an
    erasure request); the access record keeps who did it."""

    action_label = _("Erase report")
    button_label = _("Yes, erase this report")
    button_classname = "button serious"

    def confirmation(self):
        text = gettext(
            "Report %(reference)s and its evidence files will be erased. This cannot be undone."
        ) % {"reference": self.submission.reference}
        if self.submission.delivery_status != DeliveryStatus.DELIVERED:
            text += " " + gettext(
                "It has not been delivered to the force's back office: once erased, the force "
                "will never receive it."
            )
        return text

    def post(self, request, *args, **kwargs):
        from .retention import erase

        reference = self.submission.reference
        erase(self.submission, request.user)
        messages.success(
            request, gettext("Report %(reference)s was erased.") % {"reference": reference}
        )
        return redirect(url_name("index"))


class EvidenceDownloadView(SubmissionMixin, View):
    """Record the download, then send the handler to the file's short-lived address."""

    def get(self, request, *args, **kwargs):
        from .evidence import download_url

        evidence = get_object_or_404(self.submission.evidence, pk=self.kwargs["evidence_id"])
        record_access(
            request, AccessAction.DOWNLOAD, self.submission.force_id, self.submission.reference
        )
        base_url = request.build_absolute_uri("/")
        return HttpResponseRedirect(download_url(evidence, base_url, user=request.user))


# --- access records -----------------------------------------------------------------------------


def who(record):
    if record.username:
        return record.username
    if record.action == AccessAction.DOWNLOAD:
        # A file fetched through its short-lived link (the back office, or a handler's browser).
        return gettext("Download link")
    return gettext("System")


class AccessRecordIndexView(HandlerRequiredMixin, BaseListingView):
    """Who viewed, exported, re-sent, downloaded or erased the user's forces' reports."""

    page_title = _("Report access records")
    header_icon = "history"
    paginate_by = 50
    filterset_class = AccessRecordFilterSet
    index_url_name = url_name("audit")
    index_results_url_name = url_name("audit_results")
    verbose_name = _("access record")
    verbose_name_plural = _("access records")

    def get(self, request, *args, **kwargs):
        self.refuse_other_forces()
        return super().get(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(url_name("index")), "label": _("Public reports")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_base_queryset(self):
        records = ReportAccessRecord.objects.all()
        if not self.request.user.is_superuser:
            records = records.filter(force__in=[force.pk for force in handled_forces(self.request)])
        return records

    def order_queryset(self, queryset):
        return queryset.order_by("-at", "-pk")

    @cached_property
    def columns(self):
        force_names = {force.pk: force.name for force in handled_forces(self.request)}
        columns = [
            Column(
                "at",
                label=_("When"),
                accessor=lambda r: date_format(timezone.localtime(r.at), "j M Y, H:i:s"),
            ),
            Column("username", label=_("Who"), accessor=who),
            Column("action", label=_("Action"), accessor="get_action_display"),
            Column("reference", label=_("Reference")),
            Column("count", label=_("Reports")),
        ]
        if self.several_forces:
            columns.append(
                Column(
                    "force", label=_("Force"), accessor=lambda r: force_names.get(r.force_id, "")
                )
            )
        return columns


# --- registration -------------------------------------------------------------------------------


class HandlersMenuItem(MenuItem):
    def is_shown(self, request):
        return handles_reports(request)


class ReportsViewSet(ViewSet):
    """The report handlers' admin, at ``/admin/public-reports/``.

    Not under ``/admin/reports/``: that is Wagtail's own "Reports" menu (locked pages, site
    history, ...), which is why this menu item is "Public reports".
    """

    name = VIEWSET_NAME
    url_prefix = "public-reports"
    icon = "clipboard-list"
    menu_label = _("Public reports")
    menu_name = "public-reports"
    menu_order = 200
    add_to_admin_menu = True
    menu_item_class = HandlersMenuItem

    def get_urlpatterns(self):
        return [
            path("", ReportIndexView.as_view(), name="index"),
            path("results/", ReportIndexView.as_view(results_only=True), name="index_results"),
            path("export/", ReportExportView.as_view(), name="export"),
            path("access-records/", AccessRecordIndexView.as_view(), name="audit"),
            path(
                "access-records/results/",
                AccessRecordIndexView.as_view(results_only=True),
                name="audit_results",
            ),
            path("<uuid:pk>/", ReportDetailView.as_view(), name="detail"),
            path("<uuid:pk>/resend/", ResendView.as_view(), name="resend"),
            path("<uuid:pk>/erase/", EraseView.as_view(), name="erase"),
            path(
                "<uuid:pk>/evidence/<uuid:evidence_id>/",
                EvidenceDownloadView.as_view(),
                name="evidence",
            ),
        ]
