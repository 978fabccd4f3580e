"""A link to come back to a journey later: emailed once, used once, expiring with the draft."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..fields import EncryptedTextField


class SavedDraftLink(models.Model):
    """One "save and come back later" request (``reporting.save_and_return``).

    The link's token is a signature of ``id`` (it is never stored); the row says whether it was
    used and until when it works. ``email`` is kept encrypted only until the email is sent.
    """

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    draft = models.ForeignKey(
        "reporting.Draft", on_delete=models.CASCADE, related_name="saved_links"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)
    email = EncryptedTextField(blank=True)
    email_status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return str(self.id)
