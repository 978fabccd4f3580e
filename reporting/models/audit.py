"""Records that hold no personal data: who did what to which report, and dropped spam."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed")
    EXPORT = "export", _("Exported")
    RESEND = "resend", _("Re-sent")
    DOWNLOAD = "download", _("Downloaded evidence")
    ERASE = "erase", _("Erased")
    PURGE = "purge", _("Purged at the end of retention")


class ReportAccessRecord(models.Model):
    """Who did what to which report, when. Kept after the report itself is erased."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True, help_text=_("Empty for the system."))
    force = models.ForeignKey("forces.Force", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=20, choices=AccessAction.choices)
    reference = models.CharField(max_length=32, blank=True, db_index=True)
    count = models.PositiveIntegerField(default=1, help_text=_("Reports exported or purged."))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("report access record")

    def __str__(self):
        return f"{self.username or 'system'} {self.action} {self.reference or self.count}"


class SpamCount(models.Model):
    """How many attempts were dropped as spam, per site, day and reason."""

    class Reason(models.TextChoices):
        HONEYPOT = "honeypot", _("Hidden field filled in")
        TOO_FAST = "too-fast", _("Sent faster than a person could")
        RATE_LIMIT = "rate-limit", _("Too many attempts from one client")

    force = models.ForeignKey("forces.Force", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["force", "day", "reason"], name="one_count_per_day")
        ]

    def __str__(self):
        return f"{self.force_id} {self.day} {self.reason}: {self.count}"
