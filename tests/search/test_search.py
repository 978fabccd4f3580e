"""Site search: each site finds its own pages (national ones once, at its own URL), and counts
what people search for, for its own force's report."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import Page, PageViewRestriction

import pytest

from forces.national.syndication import national_root
from search.models import SearchQueryCount
from search.views import RESULTS_PER_PAGE
from tests.factories import ContentPageFactory

pytestmark = pytest.mark.django_db

TVP = "thames-valley.localhost"
BUDGET = 12


def advice_of(force):
    return force.site.root_page.get_children().get(slug="advice")


@pytest.fixture
def burglary(forces):
    """A local "burglary" page on each force and a national one in the hub's library."""
    for force in forces.values():
        ContentPageFactory(
            parent=advice_of(force),
            slug="local-burglary",
            title=f"Burglary in {force.short_name} area",
            search_description=f"How {force.short_name} deals with burglary.",
        )
    return ContentPageFactory(
        parent=national_root(),
        slug="burglary-advice",
        title="Burglary prevention",
        search_description="Protect your home from burglary.",
    )


def result_links(response):
    html = response.content.decode()
    listing = html.split('class="govuk-list solh-search-results"', 1)
    if len(listing) == 1:
        return []
    return re.findall(r'<h2[^>]*><a class="govuk-link" href="([^"]+)">', listing[1])


def test_search_finds_the_sites_own_pages_and_national_pages_once(host_client, burglary):
    response = host_client.get(TVP, "/search/", data={"q": "burglary"})
    assert response.status_code == 200
    links = result_links(response)
    assert sorted(links) == ["/advice/burglary-advice/", "/advice/local-burglary/"]
    html = response.content.decode()
    assert "Burglary in TVP area" in html
    assert "How TVP deals with <mark>burglary</mark>." in html
    assert "MPS" not in html and "HIOW" not in html and "Hampshire" not in html
    assert "2 results for “burglary”" in html
    assert "Search results for “burglary”" in html


def test_national_page_appears_once_per_site_with_that_sites_url(host_client, burglary):
    for host in ["met.localhost", "hampshire.localhost", TVP]:
        links = result_links(host_client.get(host, "/search/", data={"q": "prevention"}))
        assert links == ["/advice/burglary-advice/"]
    # The hub's own search finds the original, at the hub's URL.
    assert result_links(host_client.get("localhost", "/search/", data={"q": "prevention"})) == [
        "/advice/burglary-advice/"
    ]


def test_results_are_paginated(host_client, forces):
    advice = advice_of(forces["thames-valley"])
    for number in range(RESULTS_PER_PAGE + 3):
        ContentPageFactory(parent=advice, slug=f"fraud-{number}", title=f"Fraud advice {number}")
    first = host_client.get(TVP, "/search/", data={"q": "fraud"})
    assert len(result_links(first)) == RESULTS_PER_PAGE
    html = first.content.decode()
    assert 'class="govuk-pagination"' in html
    assert "?q=fraud&amp;page=2" in html
    second = host_client.get(TVP, "/search/", data={"q": "fraud", "page": "2"})
    assert len(result_links(second)) == 3
    assert set(result_links(first)).isdisjoint(result_links(second))
    # A page number out of range or not a number shows a page of results, never an error.
    assert host_client.get(TVP, "/search/", data={"q": "fraud", "page": "99"}).status_code == 200
    assert host_client.get(TVP, "/search/", data={"q": "fraud", "page": "x"}).status_code == 200
    # Nor one with spaces or control characters, which stay out of the cache key (memcached
    # refuses them; the suite turns Django's CacheKeyWarning into an error).
    for odd in ("2 2", "\x10[", "é"):
        assert host_client.get(TVP, "/search/", data={"q": "fraud", "page": odd}).status_code == 200


def test_empty_query_asks_for_search_words(host_client, forces):
    response = host_client.get(TVP, "/search/", data={"q": "   "})
    assert response.status_code == 200
    assert "Enter a word or phrase to search for" in response.content.decode()
    assert not SearchQueryCount.objects.exists()
    bare = host_client.get(TVP, "/search/")
    assert bare.status_code == 200
    assert "There is a problem" not in bare.content.decode()


def test_overlong_query_is_refused_clearly(host_client, forces):
    response = host_client.get(TVP, "/search/", data={"q": "burglary " * 40})
    assert response.status_code == 200
    assert "Search for 200 characters or fewer" in response.content.decode()
    assert not SearchQueryCount.objects.exists()


def test_no_results_page_offers_help(host_client, forces):
    response = host_client.get(TVP, "/search/", data={"q": "zzxqv"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "0 results for “zzxqv”" in html
    assert "There are no matching results" in html
    assert 'href="/report/"' in html and 'href="/contact-us/"' in html
    assert "If you are in immediate danger, call 999." in html


def test_result_pages_are_not_cached_publicly(host_client, burglary):
    response = host_client.get(TVP, "/search/", data={"q": "burglary"})
    cache_control = response["Cache-Control"]
    assert "private" in cache_control or "no-cache" in cache_control
    assert "public" not in cache_control


def test_header_search_box_is_on_the_home_page(host_client, forces):
    html = host_client.get(TVP, "/").content.decode()
    assert '<form class="solh-header__search" action="/search/" method="get"' in html
    assert '<label class="govuk-visually-hidden" for="header-search-q">' in html
    assert 'id="header-search-q" name="q"' in html


def test_query_counts_are_recorded_per_site(host_client, burglary, forces):
    host_client.get(TVP, "/search/", data={"q": "Burglary"})
    host_client.get(TVP, "/search/", data={"q": "  burglary "})
    host_client.get(TVP, "/search/", data={"q": "zzxqv"})
    host_client.get("met.localhost", "/search/", data={"q": "burglary"})
    tvp = SearchQueryCount.objects.get(site=forces["thames-valley"].site, query="burglary")
    assert (tvp.hits, tvp.results) == (2, 2)
    met = SearchQueryCount.objects.get(site=forces["met"].site, query="burglary")
    assert met.hits == 1
    assert SearchQueryCount.objects.get(query="zzxqv").results == 0


def test_report_shows_only_the_users_own_force(client, host_client, make_user, forces, burglary):
    host_client.get(TVP, "/search/", data={"q": "tvp burglary"})
    host_client.get(TVP, "/search/", data={"q": "tvp nothing zzxqv"})
    host_client.get("met.localhost", "/search/", data={"q": "met burglary"})
    host_client.get("met.localhost", "/search/", data={"q": "met nothing zzxqv"})
    client.force_login(make_user("tvp-editor", "force-editor", forces["thames-valley"]))
    response = client.get(reverse("search_popular_searches"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Popular searches" in html and "Searches with no results" in html
    assert "tvp burglary" in html and "tvp nothing zzxqv" in html
    assert "met burglary" not in html and "met nothing zzxqv" not in html
    no_results = html.split("Searches with no results", 1)[1]
    assert "tvp nothing zzxqv" in no_results and "tvp burglary" not in no_results


def test_superusers_see_every_sites_searches(client, host_client, make_user, burglary):
    host_client.get(TVP, "/search/", data={"q": "tvp burglary"})
    host_client.get("met.localhost", "/search/", data={"q": "met burglary"})
    client.force_login(make_user("admin", is_superuser=True, is_staff=True))
    html = client.get(reverse("search_popular_searches")).content.decode()
    assert "tvp burglary" in html and "met burglary" in html


def test_search_page_within_query_budget(client, burglary):
    client.get("/search/?q=prevention", HTTP_HOST=TVP)  # warm the site root paths and chrome
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/?q=burglary", HTTP_HOST=TVP)
    assert response.status_code == 200
    assert len(queries) <= BUDGET, [query["sql"] for query in queries]


def test_a_repeated_search_is_answered_from_the_cache_and_still_counted(client, burglary, forces):
    first = client.get("/search/?q=burglary", HTTP_HOST=TVP)
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/search/?q=Burglary", HTTP_HOST=TVP)
    assert result_links(again) == result_links(first)
    assert "How TVP deals with <mark>burglary</mark>." in again.content.decode()
    assert not [query for query in queries if "wagtailsearch_indexentry" in query["sql"]]
    assert len(queries) <= 5, [query["sql"] for query in queries]
    count = SearchQueryCount.objects.get(site=forces["thames-valley"].site, query="burglary")
    assert count.hits == 2
    # Another site's answer is its own.
    met = client.get("/search/?q=burglary", HTTP_HOST="met.localhost").content.decode()
    assert "Burglary in MPS area" in met and "Burglary in TVP area" not in met


def test_publishing_or_unpublishing_a_page_shows_in_the_next_search(host_client, forces):
    advice = advice_of(forces["thames-valley"])
    assert result_links(host_client.get(TVP, "/search/", data={"q": "fraud"})) == []
    page = ContentPageFactory(parent=advice, slug="fraud", title="Fraud")
    assert result_links(host_client.get(TVP, "/search/", data={"q": "fraud"})) == ["/advice/fraud/"]
    page.unpublish()
    assert result_links(host_client.get(TVP, "/search/", data={"q": "fraud"})) == []


def test_a_page_made_private_leaves_the_results_at_once(host_client, forces):
    advice = advice_of(forces["thames-valley"])
    page = ContentPageFactory(parent=advice, slug="fraud", title="Fraud")
    assert result_links(host_client.get(TVP, "/search/", data={"q": "fraud"})) == ["/advice/fraud/"]
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert result_links(host_client.get(TVP, "/search/", data={"q": "fraud"})) == []


def test_search_only_finds_live_pages(host_client, forces):
    advice = advice_of(forces["thames-valley"])
    ContentPageFactory(parent=advice, slug="draft-fraud", title="Fraud draft", publish=False)
    Page.objects.filter(slug="draft-fraud").update(live=False)
    assert result_links(host_client.get(TVP, "/search/", data={"q": "fraud"})) == []


def test_the_search_description_is_searched_and_shown(host_client, forces):
    """An editor's search description (promote tab) finds the page, whatever its body says."""
    ContentPageFactory(
        parent=advice_of(forces["thames-valley"]),
        slug="bike-marking",
        title="Protect your bicycle",
        search_description="Free frame marking for cycles at community events.",
    )
    response = host_client.get(TVP, "/search/", data={"q": "frame marking"})
    assert result_links(response) == ["/advice/bike-marking/"]
    assert "<mark>frame</mark> <mark>marking</mark>" in response.content.decode()
