"""Site search: ``/search/?q=`` finds live, public pages of the current site in its language."""

from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from wagtail.models import Locale, Page

from forces.site_context import get_site_context

from .models import MAX_QUERY_LENGTH, SearchQueryCount
from .promotions import promoted_results
from .spelling import suggest

RESULTS_PER_PAGE = 10
# Offer "Did you mean …?" when a search finds fewer results than this.
SUGGEST_BELOW = 3


def site_pages(site):
    """Every page a visitor of ``site`` may find: live, public, in its tree and current locale."""
    pages = Page.objects.live().public().descendant_of(site.root_page, inclusive=True)
    return pages.filter(locale=Locale.get_active())


def _page_number(request, paginator):
    try:
        return paginator.validate_number(request.GET.get("page", 1))
    except PageNotAnInteger:
        return 1
    except EmptyPage:
        return paginator.num_pages


def search(request):
    site = get_site_context(request).site
    query = request.GET.get("q", "").strip()
    context = {"search_query": query, "max_query_length": MAX_QUERY_LENGTH}
    error = None
    if not query:
        # A bare /search/ shows the form; an empty search says what to do.
        error = _("Enter a word or phrase to search for") if "q" in request.GET else None
        context["show_form_only"] = True
    elif len(query) > MAX_QUERY_LENGTH:
        error = _("Search for %(max)s characters or fewer") % {"max": MAX_QUERY_LENGTH}
    elif site is None:
        error = _("This website has no pages to search")
    if error or not query:
        context["error"] = error
        response = TemplateResponse(request, "search/search.html", context, status=200)
        add_never_cache_headers(response)
        return response

    pages = site_pages(site)
    results = pages.search(query)
    paginator = Paginator(results, RESULTS_PER_PAGE)
    results_page = paginator.page(_page_number(request, paginator))
    SearchQueryCount.record(site, query, paginator.count)
    suggestion = suggest(query, pages) if paginator.count < SUGGEST_BELOW else None
    context.update(
        {
            "searched": True,
            "results_page": results_page,
            "results": [
                {
                    "title": page.title,
                    "url": page.relative_url(site, request),
                    "description": page.search_description,
                }
                for page in results_page.object_list
            ],
            "result_count": paginator.count,
            "promotions": promoted_results(site, query, pages, request)
            if results_page.number == 1
            else [],
            "suggestion": suggestion,
            "suggestion_url": "/search/?" + urlencode({"q": suggestion}) if suggestion else None,
            "page_range": list(paginator.get_elided_page_range(results_page.number)),
        }
    )
    response = TemplateResponse(request, "search/search.html", context)
    add_never_cache_headers(response)
    return response
