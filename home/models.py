"""The page types every site uses: hub, force home, sections, content, news and contact."""

import functools
import pickle
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager, PageViewRestriction, Site
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from solh.aliases import AliasesMixin

from .blocks import BodyStreamBlock, FeaturedTasksBlock
from .lookups import (
    active_locale,
    content_version,
    kept,
    lookups_version,
    public,
    restriction_page_ids,
)
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


class BasePage(AliasesMixin, ListingMixin, QuickExitMixin, Page):
    """Abstract base of every public page: listing summary, quick exit, breadcrumbs."""

    promote_panels = [*Page.promote_panels, *ListingMixin.listing_panels]
    settings_panels = [*Page.settings_panels, *QuickExitMixin.quick_exit_panels]

    # wagtail-localize: a page has the same address in every language (/advice/x/ and
    # /cy/advice/x/), and a journey (reporting.ReportJourneyPage) the same reference code.
    override_translatable_fields = SynchronizedFields("slug", "code")

    api_fields = [APIField("listing_summary")]
    # The search description (promote tab) is the editor's own summary of the page: searched
    # as well as shown under results.
    search_fields = [*Page.search_fields, index.SearchField("search_description")]

    class Meta:
        abstract = True

    # Related rows the page's template shows, loaded with the page when it is served.
    serve_select_related = ()

    @property
    def localized(self):
        """This page in the active language (Wagtail's ``localized``), with the locale known
        without a query: a page already in that language costs none."""
        locale = active_locale()
        if locale is None or locale.pk == self.locale_id:
            return self
        translated = self.get_translation_or_none(locale)
        if translated is None or not translated.live:
            return self
        return translated

    def route(self, request, path_components):
        """Find the page at the end of the path in one lookup rather than one query per level.

        The deepest page whose URL path starts the requested path is found in one query,
        loaded (with what its template shows) in another, and routes the rest itself (a
        routable page, such as a journey, resolves its sub-routes; anything else falls back to
        Wagtail's own routing and its 404). A site's root page comes from the site lookup with
        only its ``Page`` fields (``home.lookups.find_site``): asked for itself, it loads the rest.
        """
        if not path_components:
            if self.get_deferred_fields():
                return _load_for_serving(self).route(request, path_components)
            return super().route(request, path_components)
        prefixes = [
            self.url_path + "/".join(path_components[:count]) + "/"
            for count in range(len(path_components), 0, -1)
        ]
        target = _known_target(prefixes)
        if target is None:
            target = (
                Page.objects.filter(url_path__in=prefixes, path__startswith=self.path)
                .order_by("-depth")
                .only("id", "depth", "content_type_id", "numchild", "url_path")
                .first()
            )
            if target is None:
                return super().route(request, path_components)
            kept.set(_route_key(target.url_path), Target.of(target))
        remaining = path_components[target.depth - self.depth :]
        return _load_for_serving(target).route(request, remaining)

    def get_view_restrictions(self):
        """Wagtail's view restrictions of this page (its own, its ancestors', and for an alias
        its original's), found without a query when there are none (``home.lookups``)."""
        page_ids = restriction_page_ids(self)
        if not page_ids:
            return _no_restrictions()
        return PageViewRestriction.objects.filter(page_id__in=page_ids)

    def get_breadcrumbs(self, request):
        """Links to the ancestors from the site's home page down to this page's parent, as
        ``Crumb``s: worked out only if a template shows them, and kept (``home.lookups.kept``)
        per site until live content changes."""
        return SimpleLazyObject(lambda: self._breadcrumbs(request))

    def _breadcrumbs(self, request):
        site = Site.find_for_request(request)
        if site is None:
            return []
        if self.pk is None or getattr(request, "is_preview", False):
            return self._read_breadcrumbs(site, request)
        key = ("breadcrumbs", content_version(), site.pk, self.path)
        return kept.get_or_make(key, lambda: self._read_breadcrumbs(site, request))

    def _read_breadcrumbs(self, site, request):
        ancestors = self.get_ancestors().filter(depth__gte=site.root_page.depth)
        return [
            Crumb(page.title, page.get_url(request) or "")
            for page in ancestors.only("title", "url_path", "path", "depth", "locale_id")
        ]

    def fragment_key(self, request):
        """What this page's rendered content is kept under (the templates' ``{% cache %}``, with
        the site chrome's version, which covers the site, its force and the language): the page
        as last published, while no live content nor view restriction changes. ``None`` in a
        preview: a draft is never kept."""
        if getattr(request, "is_preview", False) or self.pk is None:
            return None
        published = self.last_published_at.isoformat() if self.last_published_at else ""
        return f"{content_version()}:{lookups_version()}:{self.pk}:{published}"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["breadcrumbs"] = self.get_breadcrumbs(request)
        context.update(fragment_context(self.fragment_key(request)))
        return context


def fragment_context(key):
    """What the templates' ``{% cache fragment_timeout name fragment_key … %}`` is given: kept
    for good under ``key`` (in this process: the ``template_fragments`` cache), or with no key
    (a preview) not kept at all."""
    return {"fragment_key": key, "fragment_timeout": None if key else 0}


@dataclass(frozen=True)
class Crumb:
    title: str
    url: str


@dataclass(frozen=True)
class Target:
    """A page that a URL path leads to, as routing needs it."""

    pk: int
    depth: int
    content_type_id: int
    numchild: int

    @classmethod
    def of(cls, page):
        return cls(page.pk, page.depth, page.content_type_id, page.numchild)

    @property
    def specific_class(self):
        return ContentType.objects.get_for_id(self.content_type_id).model_class()


def _route_key(url_path):
    return ("route", content_version(), url_path)


@functools.cache
def _no_restrictions():
    """An empty queryset of restrictions, already read: Wagtail iterates a page's restrictions
    each time it serves one, and iterating an unread ``none()`` compiles its SQL (about 0.1 ms)
    only to find there is nothing to run. (Filtering or ordering it gives a new queryset.)"""
    restrictions = PageViewRestriction.objects.none()
    len(restrictions)  # read now, once (``none()`` never queries the database)
    return restrictions


def _known_target(prefixes):
    """The page at the end of one of ``prefixes`` (deepest first) as routed before, while live
    content has not changed: the deepest one known, if it is the whole path or has no pages
    below it (so no deeper one can be there); else ``None``, to look it up."""
    for prefix in prefixes:
        target = kept.get(_route_key(prefix))
        if target is not None:
            return target if prefix == prefixes[0] or target.numchild == 0 else None
    return None


def _load_for_serving(page):
    """``page`` as its specific type with every field, and the related rows its template
    shows (``serve_select_related``): read in one query, then kept (pickled, so each request
    has a copy of its own) until live content changes."""
    model = page.specific_class
    if model is None:
        return page
    key = ("page", content_version(), page.pk)
    kept_copy = kept.get(key)
    if kept_copy is not None:
        return pickle.loads(kept_copy)  # noqa: S301 (pickled by this process, just below)
    pages = model._default_manager.all()
    related = getattr(model, "serve_select_related", ())
    if related:
        pages = pages.select_related(*related)
    loaded = pages.get(pk=page.pk)
    kept.set(key, pickle.dumps(loaded, pickle.HIGHEST_PROTOCOL))
    return loaded


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
        from .site_context import force_directory

        context = super().get_context(request, *args, **kwargs)
        # Read only if rendered: not when the kept fragment of the list is shown.
        context["forces"] = SimpleLazyObject(force_directory)
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
        "neighbourhoods.NeighbourhoodIndexPage",
    ]
    template = "home/force_home_page.html"
    serve_select_related = ("hero_image",)
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
        # Queried (and the query even built) only if rendered: not when the kept content
        # fragment is shown, as it is on every request after the first.
        context["latest_news"] = SimpleLazyObject(self.latest_news)
        return context

    def latest_news(self):
        return list(
            public(NewsPage.objects.live().descendant_of(self))
            .order_by("-date", "-pk")
            .only(*NewsPage.listing_fields)[: self.latest_news_count]
        )


class SectionPage(BasePage):
    """An index page: an introduction and its child pages, listed."""

    intro = RichTextField(_("introduction"), features=INTRO_FEATURES, blank=True)

    parent_page_types = ["home.HubPage", "home.ForceHomePage", "home.SectionPage"]
    subpage_types = ["home.SectionPage", "home.ContentPage"]
    template = "home/section_page.html"

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    api_fields = [*BasePage.api_fields, APIField("intro")]

    class Meta:
        verbose_name = _("section page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Only if rendered (not when the kept content fragment is shown).
        context["children"] = SimpleLazyObject(self.listed_children)
        return context

    def listed_children(self):
        return list(
            public(self.get_children().live())
            .specific()
            .only("title", "url_path", "search_description")
        )


class ContentPage(SearchableMixin, BasePage):
    """An advice or information page with a StreamField body."""

    body = StreamField(BodyStreamBlock(), verbose_name=_("body"))

    parent_page_types = ["home.HubPage", "home.ForceHomePage", "home.SectionPage"]
    subpage_types = []
    template = "home/content_page.html"

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*BasePage.search_fields, *SearchableMixin.search_fields]
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
        kind = request.GET.get("kind")
        if kind not in NewsPage.Kind.values:
            kind = ""
        number = request.GET.get("page", "1")
        # The listing is queried only if it is rendered: not when a kept copy of this page of
        # it is shown (for a plain page number: anything else is rendered every time).
        context.update(
            articles=SimpleLazyObject(lambda: self.articles(kind, number)),
            kind=kind,
            kinds=NewsPage.Kind.choices,
            **fragment_context(
                f"{context['fragment_key']}:{kind}:{number}"
                if context["fragment_key"] and number.isdigit() and len(number) <= 3
                else None
            ),
        )
        return context

    def articles(self, kind, number):
        """The page ``number`` of the news (of ``kind``, if given), newest first: the first
        page if ``number`` is not a number, the last if there are not that many."""
        articles = (
            public(NewsPage.objects.live().child_of(self))
            .order_by("-date", "-pk")
            .only(*NewsPage.listing_fields)
        )
        if kind:
            articles = articles.filter(kind=kind)
        paginator = Paginator(articles, self.page_size)
        try:
            return paginator.page(number)
        except PageNotAnInteger:
            return paginator.page(1)
        except EmptyPage:
            return paginator.page(paginator.num_pages)


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
    serve_select_related = ("image",)
    # What a listing of news shows (home/includes/news_item.html).
    listing_fields = ("title", "url_path", "date", "kind", "listing_summary", "search_description")

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("date"), FieldPanel("kind")], heading=_("Article")),
        FieldPanel("image"),
        FieldPanel("body"),
        # Listed on these neighbourhoods' pages (neighbourhoods.models.NewsNeighbourhood).
        InlinePanel("neighbourhood_tags", heading=_("Neighbourhoods"), label=_("Neighbourhood")),
    ]
    search_fields = [*BasePage.search_fields, *SearchableMixin.search_fields]
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
