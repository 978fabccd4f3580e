"""The sitemap of a site: its pages in every language it is published in."""

from functools import reduce
from operator import or_

from django.db.models import Q

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from home.site_context import get_site_context


class SiteSitemap(Sitemap):
    """Wagtail's sitemap, with a bilingual site's Welsh pages (at /cy/…) beside its English ones."""

    def items(self):
        site = self.get_wagtail_site()
        languages = get_site_context(self.request).chrome.languages if self.request else []
        # The site's home page in each of its languages (English whatever they are).
        roots = site.root_page.get_translations(inclusive=True).filter(
            Q(locale__language_code__in=languages) | Q(pk=site.root_page_id)
        )
        within = reduce(or_, [Q(path__startswith=root.path) for root in roots])
        return (
            Page.objects.filter(within)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
