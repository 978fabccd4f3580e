"""What every template needs to know about the site it renders for: force, theme, navigation.

Resolved once per request (and at most three queries) so every page stays within its budget.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.models import Site

from .models import Force

# The hub's own theme: a neutral national blue with white text at 9:1 contrast.
NATIONAL_THEME = {"primary_colour": "#1d3f77", "secondary_colour": "#0b0c0c"}


@dataclass
class SiteContext:
    site: Site | None
    force: Force | None
    extra: dict = field(default_factory=dict)

    @property
    def name(self):
        return self.force.name if self.force else _("Police websites in England and Wales")

    @property
    def short_name(self):
        return self.force.short_name if self.force else _("Police")

    @property
    def primary_colour(self):
        return self.force.primary_colour if self.force else NATIONAL_THEME["primary_colour"]

    @property
    def secondary_colour(self):
        return self.force.secondary_colour if self.force else NATIONAL_THEME["secondary_colour"]

    @property
    def phone_non_emergency(self):
        return self.force.phone_non_emergency if self.force else "101"

    @property
    def is_hub(self):
        return self.force is None

    @cached_property
    def home_url(self):
        return "/"

    @cached_property
    def navigation(self):
        """Top-level live pages the editors put in the menu, in tree order."""
        if self.site is None:
            return []
        return list(
            self.site.root_page.get_children().live().public().in_menu().only("title", "url_path")
        )

    @property
    def base_domain(self):
        return settings.BASE_DOMAIN


def get_site_context(request):
    """The ``SiteContext`` of ``request``, computed once and kept on the request."""
    cached = getattr(request, "_site_context", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request)
    force = None
    if site is not None:
        force = (
            Force.objects.select_related("logo")
            .prefetch_related("logo__renditions")
            .filter(site_id=site.pk)
            .first()
        )
    request._site_context = SiteContext(site=site, force=force)
    return request._site_context
