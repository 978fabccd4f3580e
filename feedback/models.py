"""Feedback from the public: "Is this page useful?", problems with a page, satisfaction with a
report journey, and comments on a site (its phase banner's link)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from reporting.fields import EncryptedTextField


class Kind(models.TextChoices):
    USEFUL = "useful", _("Page is useful")
    NOT_USEFUL = "not-useful", _("Page is not useful")
    PROBLEM = "problem", _("Problem with a page")
    SATISFACTION = "satisfaction", _("Satisfaction with reporting")
    SITE = "site", _("Feedback on the website")


class Rating(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    NEITHER = 3, _("Neither satisfied nor dissatisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


class FeedbackQuerySet(models.QuerySet):
    def for_user(self, user):
        """What ``user`` may read: their forces' sites' feedback, and for the national team the
        feedback on national pages (on the hub or on any force's site). Everything for
        superusers."""
        from forces.models import Force
        from insight.access import is_national_team

        if user.is_superuser:
            return self
        allowed = models.Q(force__in=Force.objects.for_user(user))
        if is_national_team(user):
            allowed |= models.Q(national=True)
        return self.filter(allowed)


class Feedback(models.Model):
    """One piece of feedback, stored per site and page. No address, no cookie; a comment
    (which may hold anything someone typed) is encrypted at rest and purged after
    ``FEEDBACK_RETENTION_DAYS``."""

    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    force = models.ForeignKey(
        "forces.Force", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A national page (on the hub, or its copy on a force's site): the national team's to read.
    national = models.BooleanField(default=False, db_index=True)
    path = models.CharField(_("page"), max_length=255, blank=True)
    page_title = models.CharField(_("page title"), max_length=255, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, choices=Rating.choices
    )
    comment = EncryptedTextField(_("comment"), blank=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self):
        return f"{self.get_kind_display()} {self.path}"
