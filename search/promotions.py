"""Editors' promoted results ("Recommended") for the search page (``models.PromotedResult``).

A site shows the national promotions and its own force's. A promoted page shows only if the
site's tree holds it, as that site's own copy: a page of the national library is promoted on
every site as each force's alias of it (or the hub's original), in the site's language when it
has a translation; a force's own page only on that force's site. External links show as they
are.
"""

from django.core.cache import cache
from django.db.models import Case, F, Q, When

from solh import versions

from .models import PromotedResult, normalise_query

# The searches that have any promotion, kept briefly so that most searches (which have none)
# cost no query for them.
PROMOTED_QUERIES_KEY = "search-promotions:queries"
PROMOTED_QUERIES_TIMEOUT = 60


def promoted_queries():
    """Every (normalised) search that has a promotion, on any site."""
    # Kept under the search version (``search.result_cache`` moves it when a promotion
    # changes, in any process).
    key = f"{PROMOTED_QUERIES_KEY}:{versions.get(versions.SEARCH)}"
    queries = cache.get(key)
    if queries is None:
        queries = frozenset(PromotedResult.objects.values_list("query_string", flat=True))
        cache.set(key, queries, PROMOTED_QUERIES_TIMEOUT)
    return queries


def promoted_results(site, query, pages, request=None):
    """The promotions for ``query`` that ``site`` can show, as title/url/description dicts.

    ``pages`` is every page a visitor of ``site`` may find (see ``views.site_pages``). Two
    queries, however many promotions there are; none when no site has any for ``query``.
    """
    if normalise_query(query) not in promoted_queries():
        return []
    promotions = list(PromotedResult.objects.for_query(query, site).select_related("page"))
    keys = {promotion.page.translation_key for promotion in promotions if promotion.page_id}
    copies = {}
    if keys:
        # The page itself, any translation of it, or this site's alias of either.
        found = (
            pages.filter(Q(translation_key__in=keys) | Q(alias_of__translation_key__in=keys))
            .annotate(
                promoted_key=Case(
                    When(translation_key__in=keys, then=F("translation_key")),
                    default=F("alias_of__translation_key"),
                )
            )
            .order_by("path")
        )
        for page in found:
            copies.setdefault(page.promoted_key, page)
    results = {}
    for promotion in promotions:
        if promotion.page_id is None:
            result = {
                "title": promotion.external_link_text or promotion.external_link_url,
                "url": promotion.external_link_url,
                "description": promotion.description,
            }
        elif (page := copies.get(promotion.page.translation_key)) is not None:
            result = {
                "title": page.title,
                "url": page.relative_url(site, request),
                "description": promotion.description or page.search_description,
            }
        else:
            continue
        # The same page promoted nationally and by the force shows once (the force's first).
        results.setdefault(result["url"], result)
    return list(results.values())
