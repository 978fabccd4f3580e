"""What a reporter hears back: status updates from the force, codes that prove who is asking,
and the more information a reporter adds when the force asks for it.

Messages, follow-up text and officer references are encrypted at rest (``reporting.fields``);
one-time codes are kept only as a keyed hash.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reporting.fields import EncryptedTextField


class UpdateStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned to an officer")
    INVESTIGATING = "investigating", _("Being investigated")
    CLOSED = "closed", _("Closed")
    NEEDS_MORE_INFORMATION = "needs-more-information", _("More information needed")


class UpdateSource(models.TextChoices):
    API = "api", _("Back office")
    ADMIN = "admin", _("Handler in the admin")


class ReportUpdate(models.Model):
    """One status update on a report, posted by the force's back office or a handler.

    Each is shown to the reporter on "Track my report" and emailed to them (without its message)
    when they gave an email address. ``idempotency_key`` and ``request_hash`` make a back
    office's retry of one update harmless, and a different update under the same key refused.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    submission = models.ForeignKey(
        "reporting.Submission", on_delete=models.CASCADE, related_name="status_updates"
    )
    force = models.ForeignKey("forces.Force", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=30, choices=UpdateStatus.choices)
    message_en = EncryptedTextField(_("message in English"))
    message_cy = EncryptedTextField(_("message in Welsh"), blank=True, default="")
    officer_reference = EncryptedTextField(_("officer reference"), blank=True, default="")
    source = models.CharField(max_length=10, choices=UpdateSource.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=150, blank=True)
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)
    request_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="one_update_per_idempotency_key",
            )
        ]
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")

    def __str__(self):
        return f"{self.submission_id} {self.status}"

    def message_in(self, language):
        """The message in ``language`` ("cy": the Welsh one when given), else the English."""
        if language == "cy" and self.message_cy:
            return self.message_cy
        return self.message_en


class TrackingChallenge(models.Model):
    """A one-time code asked for on "Track my report".

    Made for every request, whether or not the reference and contact matched a report
    (``submission`` is then empty and no code can ever pass): the answer, the time it takes and
    what is stored are the same either way. The code itself is never stored, only an HMAC of it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    force = models.ForeignKey("forces.Force", on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(
        "reporting.Submission", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    code_hash = models.CharField(max_length=64)
    channel = models.CharField(max_length=10)  # "email" or "phone"
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return str(self.id)


class FollowUp(models.Model):
    """More information a reporter added to a sent report, after the force asked for it.

    Delivered to the force's back office as a signed ``report.follow_up`` webhook through the
    reports' own outbox (a ``reporting.Delivery`` whose ``item_id`` is this follow-up's id).
    Its evidence files are ``reporting.Evidence`` rows of the report, with this id as their
    ``draft_key``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    submission = models.ForeignKey(
        "reporting.Submission", on_delete=models.CASCADE, related_name="follow_ups"
    )
    in_reply_to = models.ForeignKey(
        ReportUpdate, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    text = EncryptedTextField(_("more information"))
    language = models.CharField(max_length=10, default="en")
    submitted_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("added information")
        verbose_name_plural = _("added information")

    def __str__(self):
        return str(self.id)

    @property
    def key(self):
        # ``reporting.evidence.save_evidence`` files evidence under its draft's ``key``.
        return self.id
