"""The page types every site uses: hub, force home, sections, content, news and contact."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager, PageViewRestriction, Site
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from .blocks import BodyStreamBlock, FeaturedTasksBlock
from .mixins import ListingMixin, QuickExitMixin, SearchableMixin

INTRO_FEATURES = ["bold", "italic", "link"]


class SynchronizedFields:
    """wagtail-localize's ``override_translatable_fields``: these fields, where a page type has
    them, are copied to its translations as they are rather than translated."""

    def __init__(self, *names):
        self.names = names

    def __get__(self, instance, owner):
        present = {field.name for field in owner._meta.get_fields()}
        return [
            SynchronizedField(name, overridable=False) for name in self.names if name in present
        ]


class BasePage(ListingMixin, QuickExitMixin, Page):
    """Abstract base of every public page: listing summary, quick exit, breadcrumbs."""

    promote_panels = [*Page.promote_panels, *ListingMixin.listing_panels]
    settings_panels = [*Page.settings_panels, *QuickExitMixin.quick_exit_panels]

    # wagtail-localize: a page has the same address in every language (/advice/x/ and
    # /cy/advice/x/), and a journey (reporting.ReportJourneyPage) the same reference code.
    override_translatable_fields = SynchronizedFields("slug", "code")

    api_fields = [APIField("listing_summary")]

    class Meta:
        abstract = True

    def route(self, request, path_components):
        """Find a deep descendant in one lookup rather than one query per level of the path.

        The deepest page whose URL path starts the requested path is found in one query and
        routes the rest itself (a routable page, such as a journey, resolves its sub-routes;
        anything else falls back to Wagtail's own routing and its 404).
        """
        if len(path_components) > 1:
            prefixes = [
                self.url_path + "/".join(path_components[:count]) + "/"
                for count in range(len(path_components), 1, -1)
            ]
            target = (
                Page.objects.filter(url_path__in=prefixes, path__startswith=self.path)
                .order_by("-depth")
                .only("id", "path", "depth", "content_type_id")
                .first()
            )
            if target is not None:
                return target.specific.route(request, path_components[target.depth - self.depth :])
        return super().route(request, path_components)

    def get_view_restrictions(self):
        """Wagtail's view restrictions of this page, with aliases resolved in the same query.

        Aliases (every force's copy of a national page is one) take their restrictions from
        their original. Wagtail looks each alias among the page and its ancestors up with a query
        of its own, so a deep national page would cost a query per level on a force's site.
        """
        chain = (
            self.get_ancestors(inclusive=True)
            .select_related("alias_of")
            .only("id", "alias_of_id", "alias_of__id", "alias_of__alias_of_id")
        )
        page_ids, pending = set(), set()
        for page in chain:
            original = page.alias_of or page
            if original.alias_of_id is None:
                page_ids.add(original.pk)
            else:
                pending.add(original.alias_of_id)
        while pending:  # aliases of aliases of aliases: rare, one more query per step
            rows = Page.objects.filter(pk__in=pending).values_list("pk", "alias_of_id")
            page_ids |= {pk for pk, alias_of_id in rows if alias_of_id is None}
            pending = {alias_of_id for _pk, alias_of_id in rows if alias_of_id is not None}
        return PageViewRestriction.objects.filter(page_id__in=page_ids)

    def get_breadcrumbs(self, request):
        """Ancestors from the site's home page down to the parent of this page."""
        site = Site.find_for_request(request)
        if site is None:
            return []
        root_depth = site.root_page.depth
        return list(self.get_ancestors().filter(depth__gte=root_depth).only("title", "url_path"))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["breadcrumbs"] = self.get_breadcrumbs(request)
        return context


class HubPageManager(PageManager):
    def get(self, *args, **kwargs):
        """``HubPage.objects.get()`` is the hub: its English home page. (Its Welsh translation,
        the root of the national content in Welsh, is a ``HubPage`` too.)"""
        if not args and not kwargs:
            kwargs["locale__language_code"] = settings.LANGUAGE_CODE
        return super().get(*args, **kwargs)


class HubPage(BasePage):
    """Home page of the national hub: what the platform is, and every force's site."""

    objects = HubPageManager()

    intro = RichTextField(_("introduction"), features=INTRO_FEATURES, blank=True)
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("body"))

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    template = "home/hub_page.html"

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    api_fields = [*BasePage.api_fields, APIField("intro"), APIField("body")]

    class Meta:
        verbose_name = _("national hub home page")

    def get_context(self, request, *args, **kwargs):
        from forces.models import Force

        context = super().get_context(request, *args, **kwargs)
        forces = list(
            Force.objects.select_related("site").only(
                "name", "welsh_name", "slug", "languages", "site__hostname", "site__port"
            )
        )
        # A Welsh reader goes to each bilingual force's Welsh home page.
        language = translation.get_language()
        for force in forces:
            welsh = language == "cy" and language in force.language_codes
            force.home_url = f"{force.url}/{language}/" if welsh else f"{force.url}/"
        context["forces"] = forces
        return context


class ForceHomePage(BasePage):
    """A force's home page: hero, featured tasks and the latest news."""

    hero_heading = models.CharField(_("hero heading"), max_length=120)
    hero_text = models.CharField(_("hero text"), max_length=250, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    featured_tasks = StreamField(FeaturedTasksBlock(), blank=True, verbose_name=_("featured tasks"))
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("body"))

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.SectionPage",
        "home.ContentPage",
        "home.NewsIndexPage",
        "home.ContactPage",
        "reporting.ReportHubPage",
    ]
    template = "home/force_home_page.html"
    latest_news_count = 3

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("hero_heading"), FieldPanel("hero_text"), FieldPanel("hero_image")],
            heading=_("Hero"),
        ),
        FieldPanel("featured_tasks"),
        FieldPanel("body"),
    ]
    api_fields = [
        *BasePage.api_fields,
        APIField("hero_heading"),
        APIField("hero_text"),
        APIField("featured_tasks"),
        APIField("body"),
    ]

    class Meta:
        verbose_name = _("force home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = (
            NewsPage.objects.live()
            .public()
            .descendant_of(self)
            .order_by("-date", "-pk")
            .only("title", "url_path", "date", "kind", "listing_summary", "search_description")[
                : self.latest_news_count
            ]
        )
        return context


class SectionPage(BasePage):
    """An index page: an introduction and its child pages, listed."""

    intro = RichTextField(_("introduction"), features=INTRO_FEATURES, blank=True)

    parent_page_types = ["home.HubPage", "home.ForceHomePage", "home.SectionPage"]
    subpage_types = ["home.SectionPage", "home.ContentPage"]
    template = "home/section_page.html"

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [*BasePage.api_fields, APIField("intro")]

    class Meta:
        verbose_name = _("section page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["children"] = (
            self.get_children()
            .live()
            .public()
            .specific()
            .only("title", "url_path", "search_description")
        )
        return context


class ContentPage(SearchableMixin, BasePage):
    """An advice or information page with a StreamField body."""

    body = StreamField(BodyStreamBlock(), verbose_name=_("body"))

    parent_page_types = ["home.HubPage", "home.ForceHomePage", "home.SectionPage"]
    subpage_types = []
    template = "home/content_page.html"

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, *SearchableMixin.search_fields]
    api_fields = [*BasePage.api_fields, APIField("body")]

    class Meta:
        verbose_name = _("content page")


class NewsIndexPage(BasePage):
    """News and appeals: the listing, newest first, filterable by kind, paginated."""

    intro = RichTextField(_("introduction"), features=INTRO_FEATURES, blank=True)

    parent_page_types = ["home.HubPage", "home.ForceHomePage"]
    subpage_types = ["home.NewsPage"]
    template = "home/news_index_page.html"
    page_size = 10

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [*BasePage.api_fields, APIField("intro")]

    class Meta:
        verbose_name = _("news index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = NewsPage.objects.live().public().child_of(self).order_by("-date", "-pk")
        kind = request.GET.get("kind")
        if kind in NewsPage.Kind.values:
            articles = articles.filter(kind=kind)
        else:
            kind = ""
        paginator = Paginator(articles, self.page_size)
        try:
            page = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            page = paginator.page(1)
        except EmptyPage:
            page = paginator.page(paginator.num_pages)
        context.update(articles=page, kind=kind, kinds=NewsPage.Kind.choices)
        return context


class NewsPage(SearchableMixin, BasePage):
    """A news article or a public appeal for information."""

    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        APPEAL = "appeal", _("Appeal")

    date = models.DateField(_("date"), default=timezone.localdate)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NEWS)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"))

    parent_page_types = ["home.NewsIndexPage"]
    subpage_types = []
    template = "home/news_page.html"

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("date"), FieldPanel("kind")], heading=_("Article")),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, *SearchableMixin.search_fields]
    api_fields = [*BasePage.api_fields, APIField("date"), APIField("kind"), APIField("body")]

    class Meta:
        verbose_name = _("news article or appeal")
        verbose_name_plural = _("news articles and appeals")


class ContactPage(BasePage):
    """How to contact the force: emergency and non-emergency routes, then the page's own body."""

    intro = RichTextField(_("introduction"), features=INTRO_FEATURES, blank=True)
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("body"))

    parent_page_types = ["home.HubPage", "home.ForceHomePage"]
    subpage_types = []
    max_count_per_parent = 1
    template = "home/contact_page.html"

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    api_fields = [*BasePage.api_fields, APIField("intro"), APIField("body")]

    class Meta:
        verbose_name = _("contact page")
