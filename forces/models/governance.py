"""The 50:50 governance of national content: one MPS approver and one other-forces approver."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.models import Revision, Task, TaskState


class NationalApprovalTaskState(TaskState):
    """A national approval in progress; its halves are ``NationalApproval`` rows."""

    class Meta:
        verbose_name = _("national approval task state")


class NationalApprovalTask(Task):
    """Completes only when both halves of the 50:50 split have approved the same revision."""

    task_state_class = NationalApprovalTaskState

    class Meta:
        verbose_name = _("national approval (MPS and other forces)")
        verbose_name_plural = _("national approvals (MPS and other forces)")


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
