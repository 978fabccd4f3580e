"""The report hub (``/report/``) and the journeys under it."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from home.lookups import public
from home.models import INTRO_FEATURES, BasePage

from ..blocks import JourneyStepsBlock

BODY_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class ReportHubPage(BasePage):
    """``/report/``: every journey on the site, national and the force's own."""

    intro = RichTextField(_("introduction"), features=INTRO_FEATURES, blank=True)

    parent_page_types = ["home.HubPage", "home.ForceHomePage"]
    subpage_types = ["reporting.ReportJourneyPage"]
    max_count_per_parent = 1
    template = "reporting/report_hub_page.html"

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    api_fields = [*BasePage.api_fields, APIField("intro")]

    class Meta:
        verbose_name = _("report hub")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["journeys"] = public(ReportJourneyPage.objects.child_of(self).live()).only(
            "title", "url_path", "listing_summary", "summary", "path", "depth"
        )
        return context


class ReportJourneyPage(RoutablePageMixin, BasePage):
    """An online report: a start page, then steps built from question blocks.

    The public flow (steps, check your answers, submission) lives in ``reporting.views``; the
    steps as a journey in ``reporting.journey``.
    """

    code = models.CharField(
        _("reference code"),
        max_length=6,
        validators=[
            RegexValidator(
                r"^[A-Z]{2,6}$", _("Use 2 to 6 capital letters, for example RTI for road traffic.")
            )
        ],
        help_text=_(
            "Goes into every report's reference, e.g. TVP-RTI-7KX2MQ. 2–6 capital letters."
        ),
    )
    summary = models.CharField(
        _("summary"), max_length=255, help_text=_("One line on the report hub: what to use it for.")
    )
    before_you_start = RichTextField(
        _("before you start"),
        features=BODY_FEATURES,
        blank=True,
        help_text=_("What the reporter will need, how long it takes. Shown on the start page."),
    )
    steps = StreamField(JourneyStepsBlock(), verbose_name=_("steps"))
    what_happens_next = RichTextField(
        _("what happens next"),
        features=BODY_FEATURES,
        blank=True,
        help_text=_("Shown on the confirmation page and in the reporter's confirmation email."),
    )

    parent_page_types = ["reporting.ReportHubPage"]
    subpage_types = []
    template = "reporting/start_page.html"

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [FieldPanel("code"), FieldPanel("summary"), FieldPanel("before_you_start")],
            heading=_("Start page"),
        ),
        FieldPanel("steps"),
        FieldPanel("what_happens_next"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("listing_summary"),
        index.SearchField("summary"),
        index.SearchField("before_you_start"),
    ]
    api_fields = [*BasePage.api_fields, APIField("summary")]

    class Meta:
        verbose_name = _("report journey")

    # --- the public flow (reporting.views) ----------------------------------------------------

    @path("", name="start_page")
    def start_page(self, request):
        from .. import views

        return views.start_page(request, self)

    @path("start/", name="start")
    def start(self, request):
        from .. import views

        return views.start(request, self)

    @path("step/<slug:step_id>/", name="step")
    def step(self, request, step_id):
        from .. import views

        return views.step(request, self, step_id)

    @path("check-your-answers/", name="check_answers")
    def check_answers(self, request):
        from .. import views

        return views.check_answers(request, self)

    @path("confirmation/", name="confirmation")
    def confirmation(self, request):
        from .. import views

        return views.confirmation(request, self)

    @path("session-ended/", name="session_ended")
    def session_ended(self, request):
        from .. import views

        return views.session_ended(request, self)

    @path("keep-alive/", name="keep_alive")
    def keep_alive(self, request):
        from .. import views

        return views.keep_alive(request, self)

    @path("save/", name="save")
    def save_for_later(self, request):
        from .. import views

        return views.save(request, self)

    @path("resume/", name="resume")
    def resume(self, request):
        from .. import views

        return views.resume(request, self)
