"""Admin hooks for national governance: dashboard panel, notifications, history entries.

Each hook or signal receiver only forwards to ``forces.national.governance``.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.utils import get_user_display_name
from wagtail.log_actions import LogFormatter
from wagtail.models import Revision
from wagtail.signals import task_submitted

from forces.models import NationalApproval, NationalApprovalTaskState

from . import governance


@receiver(task_submitted, sender=NationalApprovalTaskState, dispatch_uid="forces_national_task")
def email_approvers_on_submission(sender, instance, user=None, **kwargs):
    governance.notify_submitted(instance, user)


@receiver(post_save, sender=Revision, dispatch_uid="forces_national_revision_saved")
def keep_national_review_on_latest_revision(sender, instance, created, raw=False, **kwargs):
    if not raw:
        governance.revision_saved(instance, created)


class NationalApprovalsPanel(Component):
    """The admin home's list of national pages awaiting the signed-in approver's half."""

    name = "national_approvals"
    template_name = "forces/governance/awaiting_approval_panel.html"
    order = 205  # above Wagtail's own "Awaiting your review"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        rows = []
        for review in governance.awaiting_approval_by(self.user):
            rows.append(
                {
                    "title": review.page.get_admin_display_title(),
                    "review_url": reverse("wagtailadmin_pages:edit", args=[review.page.pk]),
                    "editor": get_user_display_name(review.editor) if review.editor else "",
                    "halves": [half.label for half in review.halves_for(self.user)],
                    "given": [
                        {"half": half.label, "by": get_user_display_name(approval.user)}
                        for half, approval in review.approvals.items()
                    ],
                    "since": review.task_state.started_at,
                }
            )
        return {"rows": rows}


@hooks.register("construct_homepage_panels")
def add_national_approvals_panel(request, panels):
    if governance.approver_halves(request.user):
        panels.append(NationalApprovalsPanel(request.user))


@hooks.register("register_log_actions")
def register_national_approval_log_action(actions):
    @actions.register_action(governance.LOG_ACTION)
    class NationalApprovalFormatter(LogFormatter):
        label = _("National approval: one half")

        def format_message(self, log_entry):
            data = log_entry.data
            try:
                values = {
                    "half": NationalApproval.Half(data["half"]).label,
                    "revision": data["revision"],
                }
            except (KeyError, ValueError):
                return _("Approved one half of the national approval")
            if data.get("complete"):
                message = _("Approved for %(half)s (revision %(revision)s): both halves given")
            else:
                message = _("Approved for %(half)s (revision %(revision)s): other half awaited")
            return message % values

        def format_comment(self, log_entry):
            return log_entry.data.get("comment", "")
