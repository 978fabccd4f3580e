"""Neighbourhood policing: each force's ``/your-area/`` page, its neighbourhood teams, and the
postcode areas that lead the public from a postcode to their team."""

from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.lookups import public
from home.models import INTRO_FEATURES, BasePage, NewsPage, SynchronizedFields

from .blocks import MeetingsStreamBlock, OfficersStreamBlock, PrioritiesStreamBlock
from .forms import NeighbourhoodPageForm
from .postcodes import parse_areas


class NeighbourhoodIndexPage(BasePage):
    """A force's ``/your-area/``: find your neighbourhood team by postcode, or from the list."""

    intro = RichTextField(_("introduction"), features=INTRO_FEATURES, blank=True)

    parent_page_types = ["home.ForceHomePage"]
    subpage_types = ["neighbourhoods.NeighbourhoodPage"]
    max_count_per_parent = 1
    template = "neighbourhoods/neighbourhood_index_page.html"

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    api_fields = [*BasePage.api_fields, APIField("intro")]

    class Meta:
        verbose_name = _("neighbourhood index page")

    def serve(self, request, *args, **kwargs):
        """With ``?postcode=``, the neighbourhood covering it: its page if it is this force's,
        else this page saying who covers it (another force) or what went wrong."""
        if "postcode" not in request.GET:
            return super().serve(request, *args, **kwargs)
        from .lookup import Outcome, find_neighbourhood

        outcome = find_neighbourhood(request, request.GET.get("postcode", ""))
        if outcome.kind == Outcome.FOUND:
            return redirect(outcome.matches[0].url)
        context = self.get_context(request, *args, **kwargs)
        context["outcome"] = outcome
        return TemplateResponse(request, self.get_template(request), context)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only if the list is rendered: it is kept as a fragment until content changes.
        context["neighbourhoods"] = SimpleLazyObject(self._listed_neighbourhoods)
        return context

    def _listed_neighbourhoods(self):
        return list(
            public(NeighbourhoodPage.objects.live().child_of(self))
            .order_by("title")
            .only("title", "url_path", "team_name", "search_description", "listing_summary")
        )


class NeighbourhoodPage(BasePage):
    """A neighbourhood policing team: who they are, how to reach them, what they are working
    on, when to meet them and the local news about their area."""

    team_name = models.CharField(
        _("team name"),
        max_length=160,
        help_text=_("Like ‘Reading Central Neighbourhood Policing Team’."),
    )
    intro = RichTextField(_("introduction"), features=INTRO_FEATURES, blank=True)
    postcode_areas = models.TextField(
        _("postcode areas covered"),
        help_text=_(
            "The postcode sectors (like RG1 1) and districts (like RG1) this team covers, "
            "separated by commas or on separate lines. A sector listed here is this team's "
            "even when another of your neighbourhoods lists its district. Two neighbourhoods "
            "cannot list the same sector or district."
        ),
    )
    officers = StreamField(OfficersStreamBlock(), blank=True, verbose_name=_("officers"))
    contact_phone = models.CharField(
        _("phone"),
        max_length=30,
        blank=True,
        help_text=_("Leave empty to show the force's non-emergency number."),
    )
    contact_email = models.EmailField(_("email"), blank=True)
    contact_note = models.CharField(
        _("how to contact the team"),
        max_length=250,
        blank=True,
        help_text=_("Like ‘We read emails Monday to Friday, 9am to 5pm.’"),
    )
    priorities = StreamField(
        PrioritiesStreamBlock(), blank=True, verbose_name=_("current priorities")
    )
    meetings = StreamField(MeetingsStreamBlock(), blank=True, verbose_name=_("upcoming meetings"))

    parent_page_types = ["neighbourhoods.NeighbourhoodIndexPage"]
    subpage_types = []
    template = "neighbourhoods/neighbourhood_page.html"
    base_form_class = NeighbourhoodPageForm
    latest_news_count = 3
    # The areas, phone and email are the same in every language.
    override_translatable_fields = SynchronizedFields(
        "slug", "postcode_areas", "contact_phone", "contact_email"
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("team_name"),
        FieldPanel("intro"),
        FieldPanel("postcode_areas"),
        FieldPanel("officers"),
        MultiFieldPanel(
            [FieldPanel("contact_phone"), FieldPanel("contact_email"), FieldPanel("contact_note")],
            heading=_("Contact details"),
        ),
        FieldPanel("priorities"),
        FieldPanel("meetings"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("team_name"),
        index.SearchField("intro"),
        index.SearchField("postcode_areas"),
    ]
    api_fields = [
        *BasePage.api_fields,
        APIField("team_name"),
        APIField("intro"),
        APIField("areas"),
        APIField("officers"),
        APIField("contact_phone"),
        APIField("contact_email"),
        APIField("contact_note"),
        APIField("priorities"),
        APIField("meetings"),
    ]

    class Meta:
        verbose_name = _("neighbourhood page")

    @property
    def areas(self):
        """The postcode sectors and districts covered, normalised."""
        try:
            return parse_areas(self.postcode_areas)
        except ValidationError:  # saved in code without the form's check
            return []

    def upcoming_meetings(self):
        today = timezone.localdate()
        return [block for block in self.meetings if block.value["date"] >= today]

    def latest_news(self):
        """The newest news and appeals tagged to this neighbourhood, in this page's language."""
        return (
            public(
                NewsPage.objects.live().filter(
                    locale_id=self.locale_id,
                    path__startswith=self.path[: 2 * Page.steplen],
                    neighbourhood_tags__neighbourhood__translation_key=self.translation_key,
                )
            )
            .distinct()
            .order_by("-date", "-pk")
            .only(*NewsPage.listing_fields)[: self.latest_news_count]
        )

    def fragment_key(self, request):
        # Which meetings are upcoming changes at midnight.
        key = super().fragment_key(request)
        return f"{key}:{timezone.localdate().isoformat()}" if key else key

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = self.latest_news()
        context["upcoming_meetings"] = self.upcoming_meetings()
        return context


class PostcodeArea(models.Model):
    """A postcode sector or district covered by one of a force's live neighbourhoods: one row
    per force and area, written when the neighbourhood is published (``areas.sync``), so the
    lookup is one query on the indexed district."""

    force = models.ForeignKey(
        "forces.Force", on_delete=models.CASCADE, related_name="postcode_areas"
    )
    neighbourhood = models.ForeignKey(
        NeighbourhoodPage, on_delete=models.CASCADE, related_name="postcode_area_rows"
    )
    area = models.CharField(_("sector or district"), max_length=8)
    district = models.CharField(_("district"), max_length=4, db_index=True)

    class Meta:
        verbose_name = _("postcode area")
        constraints = [
            models.UniqueConstraint(fields=["force", "area"], name="one_neighbourhood_per_area")
        ]

    def __str__(self):
        return self.area

    @property
    def is_sector(self):
        return " " in self.area


class NewsNeighbourhood(Orderable):
    """A news article or appeal tagged to a neighbourhood: listed on the neighbourhood's page."""

    news = ParentalKey(NewsPage, on_delete=models.CASCADE, related_name="neighbourhood_tags")
    neighbourhood = models.ForeignKey(
        NeighbourhoodPage,
        verbose_name=_("neighbourhood"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("neighbourhood")]

    class Meta(Orderable.Meta):
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")

    def __str__(self):
        return str(self.neighbourhood)
