"""Search finds pages in the current language only: a site's Welsh tree for a Welsh visitor,
its English tree otherwise, never the two mixed."""

import json
import re

from django.urls import reverse
from django.utils import translation

from wagtail.models import Locale

import pytest

from tests.factories import ContentPageFactory

pytestmark = pytest.mark.django_db

TVP = "thames-valley.localhost"


def welsh(path_name):
    """The path of ``path_name`` in Welsh (under ``/cy/``)."""
    with translation.override("cy"):
        return reverse(path_name)


def result_links(response):
    html = response.content.decode()
    listing = html.split('class="govuk-list solh-search-results"', 1)
    if len(listing) == 1:
        return []
    return re.findall(r'<h2[^>]*><a class="govuk-link" href="([^"]+)">', listing[1])


@pytest.fixture
def bilingual_tvp(forces):
    """Thames Valley publishing in Welsh too (a Welsh home page), and a page about burglary in
    each language."""
    tvp = forces["thames-valley"]
    tvp.languages = "en,cy"
    tvp.save()
    welsh_locale, _created = Locale.objects.get_or_create(language_code="cy")
    home = tvp.site.root_page.specific
    advice = home.get_children().get(slug="advice")
    ContentPageFactory(parent=advice, slug="burglary", title="Burglary advice")
    welsh_home = home.copy_for_translation(welsh_locale)
    welsh_home.save_revision().publish()
    welsh_page = ContentPageFactory(
        parent=welsh_home, slug="byrgleriaeth", title="Byrgleriaeth burglary"
    )
    assert welsh_page.locale == welsh_locale
    return welsh_home


def test_an_english_visitor_finds_only_english_pages(client, bilingual_tvp):
    response = client.get("/search/", {"q": "burglary"}, HTTP_HOST=TVP)
    assert result_links(response) == ["/advice/burglary/"]
    assert "Byrgleriaeth" not in response.content.decode()


def test_a_welsh_visitor_finds_only_welsh_pages(client, bilingual_tvp):
    response = client.get(
        welsh("search:search"), {"q": "burglary"}, HTTP_HOST=TVP, HTTP_ACCEPT_LANGUAGE="cy"
    )
    html = response.content.decode()
    assert result_links(response) == ["/cy/byrgleriaeth/"]
    assert "Byrgleriaeth" in html and "Burglary advice" not in html


def test_suggestions_are_in_the_visitors_language_too(client, bilingual_tvp):
    english = client.get("/search/suggest/", {"q": "burg"}, HTTP_HOST=TVP).json()
    assert [result["title"] for result in english["results"]] == ["Burglary advice"]
    welsh_answer = client.get(
        welsh("search:suggest"), {"q": "burg"}, HTTP_HOST=TVP, HTTP_ACCEPT_LANGUAGE="cy"
    )
    results = json.loads(welsh_answer.content)["results"]
    assert results == [{"title": "Byrgleriaeth burglary", "url": "/cy/byrgleriaeth/"}]


def test_a_site_without_a_welsh_tree_searches_its_own_language(client, bilingual_tvp, forces):
    # Hampshire publishes in English only: a visitor whose browser asks for Welsh still finds
    # its pages.
    advice = forces["hampshire"].site.root_page.get_children().get(slug="advice")
    ContentPageFactory(parent=advice, slug="burglary", title="Burglary in Hampshire")
    response = client.get(
        "/search/", {"q": "burglary"}, HTTP_HOST="hampshire.localhost", HTTP_ACCEPT_LANGUAGE="cy"
    )
    assert result_links(response) == ["/advice/burglary/"]


def test_the_welsh_no_results_page_links_to_the_welsh_site(client, bilingual_tvp):
    response = client.get(welsh("search:search"), {"q": "zzxqv"}, HTTP_HOST=TVP)
    html = response.content.decode()
    assert 'href="/cy/report/"' in html and 'href="/cy/contact-us/"' in html
    assert 'action="/cy/search/"' in html
    english = client.get("/search/", {"q": "zzxqv"}, HTTP_HOST=TVP).content.decode()
    assert 'href="/report/"' in english and 'href="/contact-us/"' in english
