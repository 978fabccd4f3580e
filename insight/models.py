"""Journey events: what happened on a reporting journey, with nothing about who it was."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    START = "start", _("Started")
    STEP = "step", _("Reached a step")
    EXIT = "exit", _("Reached an exit")
    ERROR = "error", _("Validation error")
    CHECK = "check", _("Reached check your answers")
    COMPLETE = "complete", _("Sent")
    SAVE = "save", _("Saved to come back later")
    RESUME = "resume", _("Came back from a saved link")


class JourneyEvent(models.Model):
    """One server-side event of one journey in progress (``insight.events.record``).

    No address, no cookie, no answer: ``run`` is a keyed hash of the draft's key, so the steps of
    one journey in progress can be counted once each, and cannot be tied to the draft (let alone
    a person) once the draft is gone. Purged after ``INSIGHT_EVENT_RETENTION_DAYS``.
    """

    occurred_at = models.DateTimeField(db_index=True)
    force = models.ForeignKey("forces.Force", on_delete=models.CASCADE, related_name="+")
    journey = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    run = models.CharField(max_length=16)
    step_id = models.CharField(max_length=100, blank=True)
    question_id = models.CharField(max_length=200, blank=True)
    seconds = models.PositiveIntegerField(null=True, blank=True)
    language = models.CharField(max_length=10, default="en")

    class Meta:
        indexes = [
            models.Index(fields=["force", "journey", "occurred_at"], name="insight_force_journey"),
        ]

    def __str__(self):
        return f"{self.kind} {self.step_id}".strip()
