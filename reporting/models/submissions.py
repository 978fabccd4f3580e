"""Reports as made: the submission, its evidence files, and its delivery to the force."""

import uuid

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _

from ..fields import EncryptedJSONField, EncryptedTextField


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be delivered")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class DeliveryChannel(models.TextChoices):
    WEBHOOK = "webhook", _("Force back office (webhook)")
    EMAIL = "email", _("Force reports inbox (email)")
    REPORTER_EMAIL = "reporter-email", _("Confirmation to the reporter (email)")
    # One per item (``Delivery.item_id``): see the ``tracking`` app.
    FOLLOW_UP_WEBHOOK = "follow-up-webhook", _("Added information to the back office (webhook)")
    UPDATE_EMAIL = "update-email", _("Status update to the reporter (email)")


# Channels that carry one item of a report (a follow-up, a status update) rather than the report.
ITEM_CHANNELS = (DeliveryChannel.FOLLOW_UP_WEBHOOK, DeliveryChannel.UPDATE_EMAIL)


class SubmissionQuerySet(models.QuerySet):
    def for_user(self, user):
        """Reports a user may handle: their forces' (every force's for superusers)."""
        from forces.models import Force

        if user.is_superuser:
            return self
        return self.filter(force__in=Force.objects.handled_by(user))


class Submission(models.Model):
    """One report made by a member of the public on a force's site.

    Created, with its evidence and delivery jobs, in one transaction by
    ``reporting.submissions.submit``. ``answers`` and ``contact`` are encrypted at rest.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=32, unique=True)
    force = models.ForeignKey("forces.Force", on_delete=models.PROTECT, related_name="submissions")
    journey = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The journey page on the force's site (its alias, for a national journey)."),
    )
    journey_slug = models.SlugField(_("journey"), max_length=255)
    journey_title = models.CharField(_("journey title"), max_length=255)
    journey_code = models.CharField(_("journey code"), max_length=10)
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision_number = models.PositiveIntegerField(
        _("journey revision"), help_text=_("The id of the journey revision the report was made on.")
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    submitted_at = models.DateTimeField(_("submitted"), db_index=True)
    draft_key = models.UUIDField(
        unique=True, editable=False, help_text=_("Makes a second submit of one draft a no-op.")
    )
    answers = EncryptedJSONField(_("answers"))
    contact = EncryptedJSONField(_("contact details"), default=dict)
    delivery_status = models.CharField(
        _("delivery"),
        max_length=20,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        db_index=True,
    )

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["force", "-submitted_at"])]

    def __str__(self):
        return self.reference


class PrivateStorage(LazyObject):
    """``STORAGES["private"]``, looked up on first use (and again when the setting changes).

    ``FileField(storage="private")`` would keep the string itself as the storage: a field takes
    a storage or a callable returning one, not an alias.
    """

    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


def get_private_storage():
    return private_storage


@receiver(setting_changed)
def _forget_private_storage(setting, **kwargs):
    if setting == "STORAGES":
        private_storage._wrapped = empty


def evidence_path(instance, filename):
    # Never the reporter's file name: it may hold personal data. The name is kept encrypted.
    return f"evidence/{instance.draft_key}/{instance.id}"


class Evidence(models.Model):
    """A file uploaded as evidence: in private storage, checked by content and size.

    Uploaded while the journey is in progress (``draft_key`` set, ``submission`` empty), attached
    to the submission when it is made, deleted with it (and with an abandoned draft).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    draft_key = models.UUIDField(db_index=True)
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    question_id = models.CharField(max_length=64)
    file = models.FileField(storage=get_private_storage, upload_to=evidence_path, max_length=255)
    original_name = EncryptedTextField(_("file name"))
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence file")

    def __str__(self):
        return str(self.id)


class Delivery(models.Model):
    """One way a submission is delivered (webhook, force inbox, reporter's confirmation).

    The outbox: created with the submission, worked by the background worker, retried with
    backoff until ``max_attempts``; ``lease_until`` lets a sweep recover jobs whose worker died.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=20, choices=DeliveryChannel.choices)
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True)
    # The follow-up or status update an item channel carries (``ITEM_CHANNELS``); empty for the
    # report's own deliveries.
    item_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "channel"],
                condition=models.Q(item_id__isnull=True),
                name="one_delivery_per_channel",
            ),
            models.UniqueConstraint(
                fields=["channel", "item_id"],
                condition=models.Q(item_id__isnull=False),
                name="one_delivery_per_item_channel",
            ),
        ]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self):
        return f"{self.submission_id} {self.channel}"


class DeliveryAttempt(models.Model):
    """One try at a delivery. Holds no personal data: status codes and error kinds only."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    succeeded = models.BooleanField(default=False)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]

    def __str__(self):
        return f"{self.delivery_id} at {self.started_at:%Y-%m-%d %H:%M:%S}"
