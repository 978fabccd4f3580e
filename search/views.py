"""Site search: ``/search/?q=`` finds live, public pages of the current site in its language;
``/search/suggest/?q=`` suggests page titles as someone types."""

from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.paginator import Page as ResultsPage
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

from wagtail.models import Locale, Page

from home.lookups import public
from home.site_context import get_site_context

from . import result_cache
from .highlight import page_snippet, query_stems
from .models import (
    MAX_QUERY_LENGTH,
    SearchQueryCount,
    normalise_query,
    without_control_characters,
)
from .promotions import promoted_results
from .spelling import suggest

RESULTS_PER_PAGE = 10
# Offer "Did you mean …?" when a search finds fewer results than this.
SUGGEST_BELOW = 3
# Title suggestions while typing: how many, and from how many characters.
AUTOCOMPLETE_RESULTS = 8
AUTOCOMPLETE_MIN_LENGTH = 2
LOCALE_LANGUAGES = {}


def _language_of_locale(locale_id):
    """The language code of the locale ``locale_id``, from a map kept for the process (locales
    are few, and are only ever added)."""
    if locale_id not in LOCALE_LANGUAGES:
        LOCALE_LANGUAGES.update(Locale.objects.values_list("pk", "language_code"))
    return LOCALE_LANGUAGES.get(locale_id)


def site_root(site):
    """The root of ``site``'s tree in the current language: its translation of the site's root
    page if there is a live one, else the root page itself."""
    root = site.root_page
    if _language_of_locale(root.locale_id) == translation.get_language():
        return root  # already in the current language: no query to find out
    return root.localized


def site_pages(site, root=None):
    """Every page a visitor of ``site`` may find: live, public, in its tree, in one language.

    ``root``: ``site_root(site)``, if already known.
    """
    root = root or site_root(site)
    pages = public(Page.objects.live().descendant_of(root, inclusive=True))
    return pages.filter(locale_id=root.locale_id)


def _page_number(request, paginator):
    try:
        return paginator.validate_number(request.GET.get("page", 1))
    except PageNotAnInteger:
        return 1
    except EmptyPage:
        return paginator.num_pages


def paginate(request, results):
    """The page of ``results`` asked for, as a Django ``Page``.

    The first page (what nearly every search shows) is fetched before anything is counted:
    when it is not full, that is the count, and the count query is saved.
    """
    paginator = Paginator(results, RESULTS_PER_PAGE)
    if request.GET.get("page", "1") not in ("", "1"):
        return paginator.page(_page_number(request, paginator))
    first = list(results[:RESULTS_PER_PAGE])
    if len(first) < RESULTS_PER_PAGE:
        paginator.count = len(first)  # a cached property, known without a query
    return ResultsPage(first, 1, paginator)


def _with_specific_fields(pages):
    """``pages`` as their specific page types (for their summaries and body text).

    The database backend keeps the queryset's ``specific()``; another backend may hand back
    plain pages, which are then fetched in one query per page type.
    """
    plain = [page.pk for page in pages if type(page) is Page]
    if not plain:
        return pages
    specific = {page.pk: page for page in Page.objects.filter(pk__in=plain).specific()}
    return [specific.get(page.pk, page) for page in pages]


def search_url(query):
    return reverse("search:search") + "?" + urlencode({"q": query})


def search(request):
    site = get_site_context(request).site
    root = site_root(site) if site is not None else None
    query = without_control_characters(request.GET.get("q", "")).strip()
    context = {
        "search_query": query,
        "max_query_length": MAX_QUERY_LENGTH,
        # The site's home in this language ("/" or "/cy/"), for the links to report and contact.
        "home_url": (root.relative_url(site, request) if root else None) or "/",
    }
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

    page_asked = request.GET.get("page", "1")[:10]
    found = cache.get_or_set(
        result_cache.key("results", site, root, query, page_asked),
        lambda: find(site, site_pages(site, root), query, request),
        result_cache.TIMEOUT,
    )
    SearchQueryCount.record(site, query, found["result_count"])
    paginator = Paginator((), RESULTS_PER_PAGE)
    paginator.count = found["result_count"]  # a cached property: no list needed to count
    suggestion = found["suggestion"]
    context.update(
        {
            "searched": True,
            "results_page": ResultsPage(found["results"], found["number"], paginator),
            "results": found["results"],
            "result_count": found["result_count"],
            "promotions": found["promotions"],
            "suggestion": suggestion,
            "suggestion_url": search_url(suggestion) if suggestion else None,
            "page_range": list(paginator.get_elided_page_range(found["number"])),
        }
    )
    response = TemplateResponse(request, "search/search.html", context)
    add_never_cache_headers(response)
    return response


def find(site, pages, query, request):
    """What a search of ``pages`` (``site_pages(site)``) for ``query`` finds, on the page of
    results the request asks for: ``result_count``, the page ``number``, its ``results``
    (title, url, highlighted snippet), the ``promotions`` (first page only) and a spelling
    ``suggestion`` (or ``None``). Plain data, so it can be cached."""
    results_page = paginate(request, pages.specific().search(query))
    count = results_page.paginator.count
    stems = query_stems(query)
    return {
        "result_count": count,
        "number": results_page.number,
        "results": [
            {
                "title": page.title,
                "url": page.relative_url(site, request),
                "snippet": page_snippet(page, stems),
            }
            for page in _with_specific_fields(list(results_page.object_list))
        ],
        "promotions": (
            promoted_results(site, query, pages, request) if results_page.number == 1 else []
        ),
        "suggestion": suggest(query, pages) if count < SUGGEST_BELOW else None,
    }


def title_suggestions(site, pages, query, request=None):
    """Up to ``AUTOCOMPLETE_RESULTS`` of ``pages`` (``site_pages(site)``) whose titles have
    the words of ``query`` (the last one may be unfinished), as title/url dicts, best first.

    Through the search backend's autocomplete where it has one; otherwise titles containing
    the query.
    """
    try:
        found = list(pages.autocomplete(query)[:AUTOCOMPLETE_RESULTS])
    except NotImplementedError:
        found = list(pages.filter(title__icontains=query).order_by("title")[:AUTOCOMPLETE_RESULTS])
    return [{"title": page.title, "url": page.relative_url(site, request)} for page in found]


def suggest_titles(request):
    """JSON ``{"query": …, "results": [{"title": …, "url": …}, …]}`` for the search box."""
    site = get_site_context(request).site
    query = normalise_query(request.GET.get("q", ""))
    results = []
    if site is not None and len(query) >= AUTOCOMPLETE_MIN_LENGTH:
        root = site_root(site)
        results = cache.get_or_set(
            result_cache.key("suggestions", site, root, query),
            lambda: title_suggestions(site, site_pages(site, root), query, request),
            result_cache.TIMEOUT,
        )
    response = JsonResponse({"query": query, "results": results})
    # Public page titles only: shared caches may keep it (per host and language) briefly.
    patch_cache_control(response, public=True, max_age=result_cache.TIMEOUT)
    return response
