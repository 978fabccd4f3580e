"""The 50:50 governance of national content: one MPS approver and one other-forces approver.

The rules live in ``forces.national.governance`` (plain functions); the task below is how Wagtail's
workflow machinery reaches them.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wagtail.forms import TaskStateCommentForm
from wagtail.locks import WorkflowLock
from wagtail.models import Revision, Task, TaskState


class NationalReviewLock(WorkflowLock):
    """What the editor's status panel says while a national page awaits its two approvals.

    Nobody is locked out (see ``NationalApprovalTask.locked_for_user``); the panel says so, and
    that a change restarts the count.
    """

    def get_icon(self, user, can_lock=False):
        return "lock-open"

    def get_locked_by(self, user, can_lock=False):
        return _("In national review")

    def get_description(self, user, can_lock=False):
        return capfirst(
            _(
                "Editors can still change this %(model_name)s, but any change needs both "
                "approvals (MPS and other forces) again"
            )
            % {"model_name": self.model_name}
        )


class RequestChangesForm(TaskStateCommentForm):
    """Rejecting a national page needs a comment: it is what the editor is sent back with."""

    comment = forms.CharField(
        label=_("What needs to change"), required=True, widget=forms.Textarea({"rows": 3})
    )


class NationalApprovalTaskState(TaskState):
    """A national approval in progress; its halves are ``NationalApproval`` rows."""

    class Meta:
        verbose_name = _("national approval task state")

    def review(self):
        """Where this approval stands (see ``forces.national.governance.Review``)."""
        from forces.national.governance import review_of

        return review_of(self)


class NationalApprovalTask(Task):
    """Completes only when both halves of the 50:50 split have approved the same revision.

    Approvers are the members of the ``national-approver-mps`` and ``national-approver-forces``
    groups. Action names: ``approve_mps`` / ``approve_forces`` give that half; ``approve`` gives
    the one half the user can give (offered when it completes the approval, so Wagtail's
    "… and Publish" label is true); ``reject`` sends the page back to its editor with a comment.
    """

    task_state_class = NationalApprovalTaskState
    lock_class = NationalReviewLock

    class Meta:
        verbose_name = _("national approval (MPS and other forces)")
        verbose_name_plural = _("national approvals (MPS and other forces)")

    def user_can_access_editor(self, obj, user):
        # Approvers review in the page editor even if their role gave them no edit permission.
        from forces.national.governance import approver_halves

        return user.is_superuser or bool(approver_halves(user))

    def locked_for_user(self, obj, user):
        # Deliberately not locked: an editor may still fix the page while it is in review. Halves
        # count only for the revision under review, so any change needs both approvals again.
        return False

    def get_actions(self, obj, user):
        from forces.national.governance import actions_for, review_of

        task_state = obj.current_workflow_task_state
        if task_state is None or task_state.task_id != self.pk:
            return []
        return actions_for(review_of(task_state), user)

    def get_form_for_action(self, action):
        if action == "reject":
            return RequestChangesForm
        return super().get_form_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        """Approve one half or request changes; refusals raise ``ApprovalRefused``."""
        from forces.national import governance

        if task_state.task_id != self.pk:
            raise PermissionDenied
        comment = kwargs.get("comment", "")
        if action_name == "reject":
            governance.reject(task_state, user, comment=comment)
        elif action_name == "approve":
            governance.approve(task_state, user, comment=comment)
        elif action_name in governance.HALF_ACTIONS:
            governance.approve(
                task_state, user, half=governance.HALF_ACTIONS[action_name], comment=comment
            )
        else:
            raise PermissionDenied

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from forces.national.governance import awaiting_approval_by

        ids = [review.task_state.pk for review in awaiting_approval_by(user, task=self)]
        return self.task_states.filter(pk__in=ids)

    @classmethod
    def get_description(cls):
        return _(
            "One member of the MPS approvers and one member of the other forces' approvers must "
            "both approve the same version, in either order; nobody approves their own edit."
        )


class NationalApproval(models.Model):
    """One half of a national approval: who gave it, for which side, on which revision."""

    class Half(models.TextChoices):
        MPS = "mps", _("Metropolitan Police Service")
        FORCES = "forces", _("Other forces")

    task_state = models.ForeignKey(
        NationalApprovalTaskState, on_delete=models.CASCADE, related_name="approvals"
    )
    half = models.CharField(_("half"), max_length=10, choices=Half.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("approved at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["task_state", "half", "revision"], name="one_approval_per_half_revision"
            )
        ]

    def __str__(self):
        return f"{self.get_half_display()}: {self.user}"

    def counts_for(self, revision):
        """True if this half was given on ``revision`` as it is now (not before an overwrite)."""
        return self.revision_id == revision.pk and self.created_at >= revision.created_at
