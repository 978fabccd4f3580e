"""Pages in Welsh: /cy/ URLs, the language switcher, hreflang, lang attributes, Welsh chrome."""

import html
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

import pytest

from home.models import ContentPage, NewsIndexPage
from home.site_context import invalidate_site_chrome
from tests.factories import (
    ContentPageFactory,
    NewsPageFactory,
    rural_crime_page,
    translate_rural_crime,
)

pytestmark = pytest.mark.django_db

DPP = "dyfed-powys.localhost"
MET = "met.localhost"


@pytest.fixture(autouse=True)
def forget_welsh_sites(db):
    yield
    # The site chrome is cached per site: forget what these tests' Welsh sites left (before
    # the rollback, while their sites can still be listed), and the language the test client
    # left active.
    invalidate_site_chrome()
    translation.activate("en")


@pytest.fixture
def advice(dpp):
    """A force's own advice page in English and Welsh, and a sensitive one only in English."""
    section = dpp.site.root_page.get_children().get(slug="advice")
    page = rural_crime_page(section)
    translate_rural_crime(page)
    ContentPageFactory(parent=section, title="Stalking", slug="stalking", is_sensitive=True)
    return page


def get(client, host, path, **extra):
    return client.get(path, HTTP_HOST=host, **extra)


def page_html(response):
    return html.unescape(response.content.decode())


def alternates(content):
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', content))


def switcher(content):
    match = re.search(r"<nav class=\"solh-language-switcher.*?</nav>", content, re.S)
    return match.group(0) if match else None


# --- routing --------------------------------------------------------------------------------


def test_welsh_pages_are_under_cy(client, dpp, advice):
    for path, heading in [
        ("/cy/", "Heddlu Dyfed-Powys"),
        ("/cy/news/", "Newyddion ac apeliadau"),
        ("/cy/contact-us/", "Cysylltu â ni"),
        ("/cy/advice/rural-crime/", "Troseddau cefn gwlad"),
    ]:
        response = get(client, DPP, path)
        assert response.status_code == 200, path
        assert f">{heading}</h1>" in page_html(response), path
    english = page_html(get(client, DPP, "/advice/rural-crime/"))
    assert "Rural crime" in english and "Troseddau" not in english


def test_cy_is_not_found_on_an_english_only_site(client, dpp):
    for path in ("/cy/", "/cy/advice/", "/cy/news/", "/cy/cookies/", "/cy/search/?q=car"):
        response = get(client, MET, path)
        assert response.status_code == 404, path
        content = page_html(response)
        # Said in English, on a site that has no Welsh.
        assert '<html lang="en"' in content
        assert "Page not found" in content
    assert get(client, MET, "/advice/").status_code == 200


# --- switcher, hreflang and lang ----------------------------------------------------------


def test_both_language_versions_link_to_each_other(client, dpp, advice):
    english = page_html(get(client, DPP, "/advice/rural-crime/"))
    welsh = page_html(get(client, DPP, "/cy/advice/rural-crime/"))
    base = "http://dyfed-powys.localhost"
    expected = {
        "en": f"{base}/advice/rural-crime/",
        "cy": f"{base}/cy/advice/rural-crime/",
        "x-default": f"{base}/advice/rural-crime/",
    }
    assert alternates(english) == expected
    assert alternates(welsh) == expected

    to_welsh = switcher(english)
    assert 'href="/cy/advice/rural-crime/" hreflang="cy" lang="cy"' in to_welsh
    assert '<strong lang="en" aria-current="true">English</strong>' in to_welsh
    to_english = switcher(welsh)
    assert 'href="/advice/rural-crime/" hreflang="en" lang="en"' in to_english
    assert '<strong lang="cy" aria-current="true">Cymraeg</strong>' in to_english
    assert 'aria-label="Dewis iaith"' in to_english


def test_the_switcher_is_on_every_page_of_a_bilingual_site(client, dpp, advice):
    for path, other in [
        ("/", "/cy/"),
        ("/news/", "/cy/news/"),
        ("/cy/contact-us/", "/contact-us/"),
        ("/search/?q=crime", "/cy/search/?q=crime"),
        ("/cy/cookies/", "/cookies/"),
        ("/report/", "/cy/report/"),
    ]:
        nav = switcher(page_html(get(client, DPP, path)))
        assert nav is not None, path
        assert f'href="{other}"' in nav, path


def test_english_only_sites_show_no_welsh(client, dpp):
    for path in ("/", "/advice/", "/news/", "/search/?q=car", "/cookies/"):
        content = page_html(get(client, MET, path))
        assert switcher(content) is None, path
        assert alternates(content) == {}, path
        assert "Cymraeg" not in content, path


def test_lang_attributes(client, dpp, advice):
    welsh = page_html(get(client, DPP, "/cy/advice/rural-crime/"))
    assert '<html lang="cy"' in welsh
    assert '<div class="solh-content">' in welsh  # Welsh content in a Welsh page
    english = page_html(get(client, DPP, "/advice/rural-crime/"))
    assert '<html lang="en"' in english
    # Untranslated: the Welsh page's content is marked as English, the note is in Welsh.
    fallback = page_html(get(client, DPP, "/cy/advice/stalking/"))
    assert '<html lang="cy"' in fallback
    assert '<div class="solh-content" lang="en">' in fallback
    assert "Nid yw’r dudalen hon ar gael yn Gymraeg eto." in fallback
    # The hub names each force in its own languages.
    hub = page_html(get(client, "localhost", "/"))
    assert '<span lang="cy">(Heddlu Dyfed-Powys)</span>' in hub


def test_menu_items_not_yet_in_welsh_are_marked_english(client, dpp):
    section = dpp.site.root_page.get_children().get(slug="advice")
    ContentPageFactory(parent=section.get_parent(), title="Careers", slug="careers")
    page = ContentPage.objects.get(slug="careers", locale__language_code="en")
    page.show_in_menus = True
    page.save_revision().publish()
    content = page_html(get(client, DPP, "/cy/"))
    assert 'href="/cy/careers/" lang="en">Careers</a>' in content
    assert 'href="/cy/news/">Newyddion ac apeliadau</a>' in content


# --- the chrome in Welsh --------------------------------------------------------------------


def test_the_site_chrome_is_in_welsh(client, dpp, advice):
    content = page_html(get(client, DPP, "/cy/advice/stalking/"))
    for text in [
        "Neidio i’r prif gynnwys",  # skip link
        "Cwcis ar Heddlu Dyfed-Powys",  # cookie banner
        "Derbyn cwcis dadansoddi",
        "Gwrthod cwcis dadansoddi",
        "Argyfwng: ffoniwch 999.",  # header
        "Chwilio’r wefan hon",  # header search
        "Mewn argyfwng",  # footer
        "Datganiad hygyrchedd",
        "Gadael y dudalen hon",  # quick exit
        "Shift, pwyswch 2 waith eto i adael.",
        "Briwsion bara",
        "Os na allwch siarad, tecstiwch 999",  # the force's default emergency text
    ]:
        assert text in content, text
    assert "Skip to main content" not in content
    assert 'href="/cy/accessibility-statement/"' in content
    assert 'href="/cy/contact-us/"' in content
    assert 'action="/cy/cookies/"' in content
    assert 'action="/cy/search/"' in content


def test_cookie_and_search_pages_in_welsh(client, dpp):
    cookies = page_html(get(client, DPP, "/cy/cookies/"))
    assert '<html lang="cy"' in cookies
    assert "Ydych chi eisiau derbyn cwcis dadansoddi?" in cookies
    refused = client.post("/cy/cookies/", {}, HTTP_HOST=DPP)
    assert refused.status_code == 400
    assert "Dewiswch a ydych yn derbyn cwcis dadansoddi." in page_html(refused)
    saved = client.post("/cy/cookies/", {"analytics": "no", "next": "/cy/"}, HTTP_HOST=DPP)
    assert saved["Location"] == "/cy/?cookies=saved"

    search = page_html(get(client, DPP, "/cy/search/?q="))
    assert '<html lang="cy"' in search
    assert "Rhowch air neu ymadrodd i chwilio amdano" in search


def test_dates_and_django_messages_use_the_welsh_catalogues(client, dpp):
    news = NewsIndexPage.objects.child_of(dpp.site.root_page).get()
    import datetime

    NewsPageFactory(parent=news, title="Appeal", slug="appeal", date=datetime.date(2026, 3, 5))
    content = page_html(get(client, DPP, "/cy/news/appeal/"))
    assert "5 Mawrth 2026" in content  # Django's Welsh month names
    listing = page_html(get(client, DPP, "/cy/news/"))
    assert "Hidlo newyddion" in listing and "Y cyfan" in listing


def test_the_home_page_tasks_lead_to_welsh_pages(client, dpp):
    content = page_html(get(client, DPP, "/cy/"))
    for path in ("/cy/report/", "/cy/advice/", "/cy/contact-us/", "/cy/news/"):
        assert f'href="{path}"' in content, path
    assert "Rhowch wybod am drosedd neu ddigwyddiad" in content


# --- query budgets ---------------------------------------------------------------------------

BUDGET = 12


def count_queries(client, host, path):
    client.get(path, HTTP_HOST=host)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/", "/cy/", "/advice/rural-crime/", "/cy/advice/rural-crime/"])
def test_bilingual_pages_render_within_budget(client, advice, path):
    assert count_queries(client, DPP, path) <= BUDGET


def test_english_only_pages_cost_nothing_more(client, forces, dpp):
    # The same pages as tests/home/test_query_budget.py measures, on a platform with Welsh.
    ContentPageFactory(
        parent=forces["met"].site.root_page.get_children().get(slug="advice"), slug="burglary"
    )
    assert count_queries(client, MET, "/advice/burglary/") <= BUDGET
    assert count_queries(client, "localhost", "/") <= BUDGET


def test_the_sitemap_lists_both_languages_on_a_bilingual_site(client, dpp, advice):
    welsh = get(client, DPP, "/sitemap.xml").content.decode()
    assert "<loc>http://dyfed-powys.localhost/advice/rural-crime/</loc>" in welsh
    assert "<loc>http://dyfed-powys.localhost/cy/advice/rural-crime/</loc>" in welsh
    english_only = get(client, MET, "/sitemap.xml").content.decode()
    assert "<loc>http://met.localhost/advice/</loc>" in english_only
    assert "/cy/" not in english_only


def test_the_welsh_hub_sends_readers_to_welsh_force_sites(client, dpp, forces):
    welsh = page_html(get(client, "localhost", "/cy/"))
    assert 'href="http://dyfed-powys.localhost/cy/" lang="en">Dyfed-Powys Police</a>' in welsh
    assert 'href="http://met.localhost/" lang="en">Metropolitan Police Service</a>' in welsh
    english = page_html(get(client, "localhost", "/"))
    assert 'href="http://dyfed-powys.localhost/" lang="en">Dyfed-Powys Police</a>' in english
