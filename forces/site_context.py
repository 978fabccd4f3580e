"""What every template needs to know about the site it renders for: force, theme, navigation.

The "chrome" of a site (its force settings, logo rendition and menu) changes rarely and is read
on every request, so it is cached per site and dropped whenever a force, a page or a site
changes (see ``invalidate_site_chrome``). A page render then costs no queries for it.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import Force

# The hub's own theme: a neutral national blue with white text at 11:1 contrast.
NATIONAL_THEME = {"primary_colour": "#1d3f77", "secondary_colour": "#0b0c0c"}
LOGO_FILTER = "height-96"  # shown at 48px high: sharp on high-density screens
CHROME_TIMEOUT = 60 * 60


@dataclass(frozen=True)
class Logo:
    url: str
    width: int
    height: int


@dataclass
class SiteChrome:
    """The cached, per-site part of every page: force settings, logo and menu."""

    force: Force | None = None
    logo: Logo | None = None
    navigation: list = field(default_factory=list)


def _chrome_key(site_id):
    return f"site-chrome:{site_id}"


def build_site_chrome(site):
    """Read a site's chrome from the database (three queries at most)."""
    # The webhook secret (encrypted as it is) stays out of the cache.
    force = (
        Force.objects.select_related("logo").defer("webhook_secret").filter(site_id=site.pk).first()
    )
    logo = None
    if force is not None and force.logo is not None:
        rendition = force.logo.get_rendition(LOGO_FILTER)
        logo = Logo(rendition.url, rendition.width // 2, rendition.height // 2)
    menu = site.root_page.get_children().live().public().in_menu().only("title", "url_path")
    navigation = [
        {"pk": page.pk, "title": page.title, "url": page.relative_url(site) or ""} for page in menu
    ]
    return SiteChrome(force=force, logo=logo, navigation=navigation)


def get_site_chrome(site):
    key = _chrome_key(site.pk)
    chrome = cache.get(key)
    if chrome is None:
        chrome = build_site_chrome(site)
        cache.set(key, chrome, CHROME_TIMEOUT)
    return chrome


def invalidate_site_chrome(site_ids=None):
    """Forget the cached chrome of ``site_ids`` (every site when ``None``)."""
    if site_ids is None:
        site_ids = Site.objects.values_list("pk", flat=True)
    cache.delete_many([_chrome_key(site_id) for site_id in site_ids])


@dataclass
class SiteContext:
    site: Site | None
    chrome: SiteChrome

    @property
    def force(self):
        return self.chrome.force

    @property
    def logo(self):
        return self.chrome.logo

    @property
    def navigation(self):
        return self.chrome.navigation

    @property
    def is_hub(self):
        return self.force is None

    @property
    def name(self):
        return self.force.name if self.force else _("Police websites in England and Wales")

    @property
    def primary_colour(self):
        return self.force.primary_colour if self.force else NATIONAL_THEME["primary_colour"]

    @property
    def secondary_colour(self):
        return self.force.secondary_colour if self.force else NATIONAL_THEME["secondary_colour"]

    @property
    def phone_non_emergency(self):
        return self.force.phone_non_emergency if self.force else "101"


def get_site_context(request):
    """The ``SiteContext`` of ``request``, computed once and kept on the request."""
    cached = getattr(request, "_site_context", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request)
    chrome = get_site_chrome(site) if site is not None else SiteChrome()
    request._site_context = SiteContext(site=site, chrome=chrome)
    return request._site_context


@receiver(post_save, sender=Force)
@receiver(post_delete, sender=Force)
def _force_changed(sender, instance, **kwargs):
    invalidate_site_chrome([instance.site_id])


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _tree_changed(sender, **kwargs):
    invalidate_site_chrome()


@receiver(post_delete)
def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        invalidate_site_chrome()
