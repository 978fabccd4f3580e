"""Small abstract mixins that the concrete page types are composed from."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index


class ListingMixin(models.Model):
    """What a page shows when it is listed on another page."""

    listing_summary = models.CharField(
        _("listing summary"),
        max_length=250,
        blank=True,
        help_text=_(
            "One or two sentences shown where this page is listed. "
            "Leave empty to use the search description."
        ),
    )

    listing_panels = [FieldPanel("listing_summary")]

    class Meta:
        abstract = True

    @property
    def summary(self):
        return self.listing_summary or self.search_description


class QuickExitMixin(models.Model):
    """The GOV.UK 'Exit this page' component: on request, and always on sensitive pages."""

    is_sensitive = models.BooleanField(
        _("sensitive topic"),
        default=False,
        help_text=_(
            "Domestic abuse, sexual offences, stalking and the like. Sensitive pages "
            "always show the “Exit this page” button."
        ),
    )
    show_quick_exit = models.BooleanField(
        _("show “Exit this page”"),
        default=False,
        help_text=_("Lets someone leave the page quickly, for example if they are being watched."),
    )

    quick_exit_panels = [
        MultiFieldPanel(
            [FieldPanel("is_sensitive"), FieldPanel("show_quick_exit")],
            heading=_("Safety"),
        )
    ]

    class Meta:
        abstract = True

    @property
    def quick_exit_enabled(self):
        return self.is_sensitive or self.show_quick_exit


class SearchableMixin:
    """Search fields shared by every page that has a summary and a body."""

    search_fields = [
        index.SearchField("listing_summary"),
        index.SearchField("body"),
    ]
