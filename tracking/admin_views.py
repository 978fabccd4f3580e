"""Status updates in the report handlers' admin ("Public reports").

A handler posts an update on a report of their own force from the report's page; the report is
looked up through ``Submission.objects.for_user`` (``reporting.admin_views.SubmissionMixin``),
so another force's report is "not found" (404), and anyone who is not a handler is refused
(403) before any lookup.
"""

from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from wagtail.admin import messages

from reporting.admin_views import SubmissionMixin

from .forms import UpdateForm
from .models import FollowUp, ReportUpdate, UpdateSource
from .updates import post_update

URL_NAME = "tracking_post_update"


class PostUpdateView(SubmissionMixin, FormView):
    """Post a status update on one report (shown to the reporter, who is emailed about it)."""

    template_name = "tracking/admin/post_update.html"
    form_class = UpdateForm
    page_title = _("Post a status update")

    def get_page_title(self):
        return self.page_title

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["emailed"] = bool((self.submission.contact or {}).get("email"))
        return context

    def form_valid(self, form):
        post_update(
            self.submission, form.cleaned_data, source=UpdateSource.ADMIN, user=self.request.user
        )
        messages.success(
            self.request,
            gettext("Status update posted on report %(reference)s.")
            % {"reference": self.submission.reference},
        )
        return redirect(self.detail_url)


def report_context(submission, deliveries):
    """What the report's page in the admin shows of its updates and added information.

    ``deliveries``: the report's deliveries, already read for the page. Every follow-up has
    one, so a report without any costs no query for them.
    """
    from reporting.models import DeliveryChannel, Evidence

    follow_up_ids = [
        delivery.item_id
        for delivery in deliveries
        if delivery.channel == DeliveryChannel.FOLLOW_UP_WEBHOOK
    ]
    follow_ups = list(FollowUp.objects.filter(submission=submission)) if follow_up_ids else []
    files = {}
    for evidence in Evidence.objects.filter(
        submission=submission, draft_key__in=[item.pk for item in follow_ups]
    ):
        files.setdefault(evidence.draft_key, []).append(evidence)
    for item in follow_ups:
        item.files = files.get(item.pk, [])
    return {
        "status_updates": list(
            ReportUpdate.objects.filter(submission=submission).select_related("author")
        ),
        "follow_ups": follow_ups,
    }
