"""Title suggestions for the search box (``/search/suggest/?q=``): the site's own pages and
national pages once, at the site's URLs, cached briefly per site; the box works without them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page, PageViewRestriction

import pytest

from forces.national.syndication import national_root
from search.views import AUTOCOMPLETE_RESULTS
from tests.factories import ContentPageFactory

pytestmark = pytest.mark.django_db

TVP = "thames-valley.localhost"


def advice_of(force):
    return force.site.root_page.get_children().get(slug="advice")


@pytest.fixture
def burglary(forces):
    for force in forces.values():
        ContentPageFactory(
            parent=advice_of(force),
            slug="local-burglary",
            title=f"Burglary in {force.short_name} area",
        )
    return ContentPageFactory(
        parent=national_root(), slug="burglary-advice", title="Burglary prevention"
    )


def suggestions(client, host, query):
    response = client.get("/search/suggest/", {"q": query}, HTTP_HOST=host)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return [(result["title"], result["url"]) for result in response.json()["results"]]


def test_suggests_the_sites_own_pages_and_national_pages_once(client, burglary):
    assert sorted(suggestions(client, TVP, "burg")) == [
        ("Burglary in TVP area", "/advice/local-burglary/"),
        ("Burglary prevention", "/advice/burglary-advice/"),
    ]
    assert sorted(suggestions(client, "hampshire.localhost", "Burglary pre")) == [
        ("Burglary prevention", "/advice/burglary-advice/"),
    ]
    assert suggestions(client, "localhost", "burg") == [
        ("Burglary prevention", "/advice/burglary-advice/")
    ]


def test_at_most_eight_suggestions(client, forces):
    advice = advice_of(forces["thames-valley"])
    for number in range(AUTOCOMPLETE_RESULTS + 3):
        ContentPageFactory(parent=advice, slug=f"fraud-{number}", title=f"Fraud advice {number}")
    assert AUTOCOMPLETE_RESULTS == 8
    assert len(suggestions(client, TVP, "fraud")) == AUTOCOMPLETE_RESULTS


def test_nothing_for_a_short_or_unmatched_query(client, burglary):
    assert suggestions(client, TVP, "b") == []
    assert suggestions(client, TVP, "") == []
    assert suggestions(client, TVP, "zzxqv") == []
    # Search syntax is only text here.
    assert suggestions(client, TVP, "burg & | ! ' :*") == []


def test_answers_are_cached_briefly_per_site(client, burglary):
    first = client.get("/search/suggest/", {"q": "Burg"}, HTTP_HOST=TVP)
    assert first["Cache-Control"] in {"public, max-age=60", "max-age=60, public"}
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/search/suggest/", {"q": " burg "}, HTTP_HOST=TVP)
    assert again.json() == first.json()
    assert not [query for query in queries if "wagtailsearch_indexentry" in query["sql"]]
    # Another site's answer to the same query is its own.
    assert ("Burglary in MPS area", "/advice/local-burglary/") in suggestions(
        client, "met.localhost", "burg"
    )
    assert "MPS" not in str(again.json())


def test_a_page_published_or_unpublished_shows_in_the_next_suggestions(client, forces):
    advice = advice_of(forces["thames-valley"])
    assert suggestions(client, TVP, "robb") == []
    page = ContentPageFactory(parent=advice, slug="robbery", title="Robbery")
    assert suggestions(client, TVP, "robb") == [("Robbery", "/advice/robbery/")]
    page.unpublish()
    assert suggestions(client, TVP, "robb") == []


def test_draft_and_private_pages_are_never_suggested(client, forces):
    advice = advice_of(forces["thames-valley"])
    ContentPageFactory(parent=advice, slug="draft", title="Robbery draft", publish=False)
    Page.objects.filter(slug="draft").update(live=False)
    private = ContentPageFactory(parent=advice, slug="private", title="Robbery private")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    assert suggestions(client, TVP, "robb") == []


def test_the_header_search_box_works_without_javascript_and_offers_suggestions(client, forces):
    html = client.get("/", HTTP_HOST=TVP).content.decode()
    form = html.split('<form class="solh-header__search"', 1)[1].split("</form>", 1)[0]
    assert 'action="/search/" method="get" role="search"' in form
    assert 'data-search-suggest="/search/suggest/"' in form
    assert 'data-suggest-label="Suggested pages"' in form
    assert 'name="q" type="search"' in form and 'autocomplete="off"' in form
    assert '<button type="submit"' in form
    # The script that enhances it is loaded on every page.
    assert 'src="/static/js/app.mjs"' in html
