"""A journey in progress: the answers so far, encrypted, pinned to one journey revision."""

import uuid

from django.db import models

from ..fields import EncryptedJSONField


class Draft(models.Model):
    """Answers of one person going through one journey on one site.

    The session holds only the draft's key. A draft expires after a period without activity
    (``REPORT_DRAFT_TIMEOUT``) and is then deleted with any evidence uploaded to it.
    """

    key = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    journey = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    force = models.ForeignKey("forces.Force", on_delete=models.CASCADE, related_name="+")
    revision_id = models.PositiveIntegerField()
    language = models.CharField(max_length=10, default="en")
    answers = EncryptedJSONField(default=dict)
    started_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    submitted_reference = models.CharField(max_length=32, blank=True)
    # Set when the reporter asked for a link to come back later: the draft is kept until then
    # whatever the idle timeout says (``reporting.save_and_return``).
    saved_until = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return str(self.key)
