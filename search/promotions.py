"""Editors' promoted results ("Recommended"), from ``wagtail.contrib.search_promotions``.

A promoted page shows only on a site whose tree holds it, as that site's own copy: a page of the
national library is promoted on every site (each force's alias of it, or the hub's original), a
force's own page only on that force's site. External links promoted show on every site.
"""

from django.db.models import Q

from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string


def promoted_results(site, query, pages, request=None):
    """The promotions for ``query`` that ``site`` can show, as title/url/description dicts.

    ``pages`` is every page a visitor of ``site`` may find (see ``views.site_pages``).
    """
    promotions = SearchPromotion.objects.filter(
        query__query_string=normalise_query_string(query)
    ).select_related("page")
    results = []
    for promotion in promotions:
        if promotion.page_id is None:
            if promotion.external_link_url:
                results.append(
                    {
                        "title": promotion.external_link_text or promotion.external_link_url,
                        "url": promotion.external_link_url,
                        "description": promotion.description,
                    }
                )
            continue
        # The page itself, any translation of it, or this site's alias of either.
        versions = Page.objects.filter(translation_key=promotion.page.translation_key)
        page = pages.filter(Q(pk__in=versions) | Q(alias_of__in=versions)).order_by("path").first()
        if page is None:
            continue
        results.append(
            {
                "title": page.title,
                "url": page.relative_url(site, request),
                "description": promotion.description or page.search_description,
            }
        )
    return results
