"""Local variations of national pages."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page, Revision


class LocalisedPage(models.Model):
    """A force's own copy of a national page (once an alias), which national edits no longer
    change. ``national_revision`` is the national revision it was copied from, so the admin can
    tell the force when the national original has changed since."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="localisation")
    national_page = models.ForeignKey(
        Page, null=True, on_delete=models.SET_NULL, related_name="localisations"
    )
    national_revision = models.ForeignKey(
        Revision, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    localised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    localised_at = models.DateTimeField(_("localised at"), auto_now_add=True)

    class Meta:
        verbose_name = _("localised national page")

    def __str__(self):
        return str(self.page)
