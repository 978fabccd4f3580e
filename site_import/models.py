"""What an import of a force's old website has done, so that running it again updates rather
than duplicates, and an interrupted run carries on where it stopped."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One run of ``import_site`` for a force. A run that has not finished is resumed by the
    next run from the same source: the pages it already fetched are not fetched again."""

    force = models.ForeignKey("forces.Force", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("source"), max_length=1000)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("site import run")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.force_id}: {self.source}"


class ImportedPage(models.Model):
    """An address of the old site and what became of it, keyed by the address (normalised)."""

    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        APPEAL = "appeal", _("Appeal")
        CONTACT = "contact", _("Contact")
        CONTENT = "content", _("Content")
        SECTION = "section", _("Section")
        LISTING = "listing", _("Listing")
        HOME = "home", _("Home page")

    class Status(models.TextChoices):
        FETCHED = "fetched", _("Fetched")
        IMPORTED = "imported", _("Imported")
        SKIPPED = "skipped", _("Skipped")
        FAILED = "failed", _("Failed")

    force = models.ForeignKey("forces.Force", on_delete=models.CASCADE, related_name="+")
    old_url = models.CharField(_("old address"), max_length=2000)
    # The run that last fetched this address (so an interrupted run knows what it has done).
    run = models.ForeignKey(ImportRun, null=True, on_delete=models.SET_NULL, related_name="pages")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Other addresses of the old site that led to the same page (redirects, duplicates).
    aliases = models.JSONField(default=list, blank=True)
    # What was read from the old page (title, date, body HTML...), kept between the phases.
    extracted = models.JSONField(default=dict, blank=True)
    # Fingerprint of the content the page was last written from: same fingerprint, no change.
    content_hash = models.CharField(max_length=64, blank=True)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whether the import created the page (rather than filling in one the force had).
    created_page = models.BooleanField(default=False)
    # The revision the import last wrote: a later one means an editor has changed the page.
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    national_match = models.CharField(
        _("national page with the same topic"), max_length=500, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("imported page")
        constraints = [
            models.UniqueConstraint(fields=["force", "old_url"], name="site_import_page_once")
        ]

    def __str__(self):
        return self.old_url


class ImportedMedia(models.Model):
    """An image or document of the old site, copied into the force's collection once."""

    force = models.ForeignKey("forces.Force", on_delete=models.CASCADE, related_name="+")
    old_url = models.CharField(_("old address"), max_length=2000)
    sha256 = models.CharField(max_length=64)
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Why it could not be copied, if it could not (reported on the pages that use it).
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("imported image or document")
        constraints = [
            models.UniqueConstraint(fields=["force", "old_url"], name="site_import_media_once")
        ]

    def __str__(self):
        return self.old_url
