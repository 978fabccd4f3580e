"""Editors' "Recommended" results (national ones on every site, a force's only on its own) and
"Did you mean …?" spelling suggestions from the site's page titles."""

import re

from django.db import connection

import pytest

from forces.national.syndication import national_root
from search.models import PromotedResult
from search.spelling import suggest
from search.views import site_pages
from tests.factories import ContentPageFactory

pytestmark = pytest.mark.django_db

SITES = ["met.localhost", "thames-valley.localhost", "hampshire.localhost"]


def promote(query, page=None, force=None, **fields):
    return PromotedResult.objects.create(query_string=query, page=page, force=force, **fields)


def recommended_links(response):
    html = response.content.decode()
    if 'id="search-recommended"' not in html:
        return []
    section = html.split('id="search-recommended"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'<a class="govuk-link" href="([^"]+)">', section)


def suggestion(response):
    match = re.search(r'id="search-suggestion">(.*?)</p>', response.content.decode(), re.S)
    return match and " ".join(match.group(1).split())


def test_a_promoted_national_page_is_recommended_on_every_site_as_its_own_copy(host_client):
    page = ContentPageFactory(
        parent=national_root(), slug="report-a-burglary", title="Report a burglary"
    )
    promote("Burglary", page, description="The quickest way to tell us.")
    for host in SITES:
        response = host_client.get(host, "/search/", data={"q": "burglary "})
        assert recommended_links(response) == ["/advice/report-a-burglary/"]
        html = response.content.decode()
        assert "Recommended" in html
        assert "The quickest way to tell us." in html
        # Recommended comes before the ordinary results.
        assert html.index("search-recommended") < html.index("search-result-count")
    # The hub's own search recommends the original.
    response = host_client.get("localhost", "/search/", data={"q": "burglary"})
    assert recommended_links(response) == ["/advice/report-a-burglary/"]


def test_a_promoted_force_page_is_recommended_only_on_that_forces_site(host_client, forces):
    met_root = forces["met"].site.root_page
    page = ContentPageFactory(parent=met_root, slug="met-burglary", title="Burglary in London")
    promote("burglary", page)
    met = host_client.get("met.localhost", "/search/", data={"q": "burglary"})
    assert recommended_links(met) == ["/met-burglary/"]
    for host in ["thames-valley.localhost", "hampshire.localhost", "localhost"]:
        response = host_client.get(host, "/search/", data={"q": "burglary"})
        assert recommended_links(response) == []
        assert "Burglary in London" not in response.content.decode()


def test_a_new_promotion_shows_in_the_next_search(host_client):
    page = ContentPageFactory(parent=national_root(), slug="fraud", title="Fraud")
    assert (
        recommended_links(host_client.get("met.localhost", "/search/", data={"q": "fraud"})) == []
    )
    promote("fraud", page)
    response = host_client.get("met.localhost", "/search/", data={"q": "fraud"})
    assert recommended_links(response) == ["/advice/fraud/"]


def test_no_recommended_section_without_promotions_or_for_other_queries(host_client):
    page = ContentPageFactory(parent=national_root(), slug="fraud", title="Fraud")
    promote("fraud", page)
    response = host_client.get("met.localhost", "/search/", data={"q": "burglary"})
    assert recommended_links(response) == []
    assert "Recommended" not in response.content.decode()


def test_a_forces_promotion_shows_only_on_its_site(host_client, forces):
    national = ContentPageFactory(parent=national_root(), slug="scams", title="Scams")
    tvp = forces["thames-valley"]
    promote("scam", national, force=tvp, description="Thames Valley recommends this.")
    promote(
        "scam",
        external_link_url="https://www.actionfraud.police.uk/",
        external_link_text="Action Fraud",
        force=tvp,
    )
    response = host_client.get("thames-valley.localhost", "/search/", data={"q": "scam"})
    assert recommended_links(response) == [
        "/advice/scams/",
        "https://www.actionfraud.police.uk/",
    ]
    assert "Thames Valley recommends this." in response.content.decode()
    for host in ["met.localhost", "hampshire.localhost", "localhost"]:
        assert recommended_links(host_client.get(host, "/search/", data={"q": "scam"})) == []


def test_national_links_show_everywhere_after_the_forces_own_and_each_page_once(
    host_client, forces
):
    national = ContentPageFactory(parent=national_root(), slug="fraud", title="Fraud")
    promote("fraud", external_link_url="https://example.org/", external_link_text="Example")
    promote("fraud", national)
    promote("fraud", national, force=forces["met"], description="The Met's pick.")
    met = host_client.get("met.localhost", "/search/", data={"q": "fraud"})
    assert recommended_links(met) == ["/advice/fraud/", "https://example.org/"]
    assert "The Met&#x27;s pick." in met.content.decode()
    tvp = host_client.get("thames-valley.localhost", "/search/", data={"q": "fraud"})
    assert recommended_links(tvp) == ["https://example.org/", "/advice/fraud/"]


def test_did_you_mean_suggests_a_title_word_for_a_misspelling(host_client, forces):
    assert connection.vendor == "postgresql"
    ContentPageFactory(
        parent=forces["met"].site.root_page, slug="burglary", title="Burglary and robbery"
    )
    response = host_client.get("met.localhost", "/search/", data={"q": "burglery"})
    assert suggestion(response) == (
        'Did you mean <a class="govuk-link" href="/search/?q=burglary">burglary</a>?'
    )
    # Only words that need it change; the rest of the query is kept.
    response = host_client.get("met.localhost", "/search/", data={"q": "Robbery Burglery"})
    assert suggestion(response) == (
        'Did you mean <a class="govuk-link" href="/search/?q=robbery+burglary">'
        "robbery burglary</a>?"
    )


def test_no_suggestion_when_spelt_right_or_nothing_is_close(host_client, forces):
    ContentPageFactory(
        parent=forces["met"].site.root_page, slug="burglary", title="Burglary and robbery"
    )
    assert suggestion(host_client.get("met.localhost", "/search/", data={"q": "burglary"})) is None
    assert suggestion(host_client.get("met.localhost", "/search/", data={"q": "zxqv"})) is None


def test_suggestions_come_only_from_the_sites_own_pages(host_client, forces):
    ContentPageFactory(parent=forces["met"].site.root_page, slug="pickpockets", title="Pickpockets")
    met = host_client.get("met.localhost", "/search/", data={"q": "pickpokets"})
    assert "pickpockets</a>?" in suggestion(met)
    tvp = host_client.get("thames-valley.localhost", "/search/", data={"q": "pickpokets"})
    assert suggestion(tvp) is None


def test_difflib_fallback_matches_postgresql(forces, monkeypatch):
    ContentPageFactory(
        parent=forces["met"].site.root_page, slug="burglary", title="Burglary and robbery"
    )
    pages = site_pages(forces["met"].site)
    assert suggest("burglery", pages) == "burglary"
    monkeypatch.setattr(connection, "vendor", "sqlite")
    assert suggest("burglery", pages) == "burglary"
    assert suggest("robbery", pages) is None
