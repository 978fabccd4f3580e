"""What a render keeps between requests (sites, locales, view restrictions, breadcrumbs, the
header, menu and footer, page bodies, the latest news, the hub's list of forces, language
versions) is seen to change as soon as its source does: each test requests a page, changes
the source, and requests the page again. The page cache is off, so every request renders."""

import re

from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from wagtail.models import Page, PageViewRestriction

import pytest

from forces.national.syndication import national_root
from home.models import ContentPage
from solh import versions
from solh.models import VersionStamp
from tests.factories import (
    ContentPageFactory,
    NewsPageFactory,
    SectionPageFactory,
    rural_crime_page,
    translate_rural_crime,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached")]

MET = "met.localhost"


@pytest.fixture
def uncached():
    cache.clear()
    with override_settings(PAGE_CACHE_ENABLED=False):
        yield
    cache.clear()
    translation.activate("en")


@pytest.fixture
def met(forces):
    return forces["met"]


def section(force, slug):
    return force.site.root_page.get_children().get(slug=slug).specific


def html(client, host, path):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, f"{host}{path}: {response.status_code}"
    return response.content.decode()


def publish(page):
    page.save_revision().publish()


def restrict(page):
    return PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


def breadcrumbs(content):
    return re.search(r'<nav class="govuk-breadcrumbs".*?</nav>', content, re.S).group(0)


def footer(content):
    return re.search(r"<footer.*?</footer>", content, re.S).group(0)


def header(content):
    return re.search(r"<header.*?</header>", content, re.S).group(0)


def menu(content):
    return re.search(r'<ul class="govuk-service-navigation__list".*?</ul>', content, re.S).group(0)


# --- view restrictions ---------------------------------------------------------------------------


def test_a_restricted_page_asks_for_a_login_and_a_released_one_does_not(met, client):
    page = ContentPageFactory(parent=section(met, "advice"), slug="private", title="Private")
    assert "Private" in html(client, MET, "/advice/")
    restriction = restrict(page)
    assert client.get("/advice/private/", HTTP_HOST=MET).status_code == 302
    assert "Private" not in html(client, MET, "/advice/")  # nor listed
    restriction.delete()
    assert "Private" in html(client, MET, "/advice/private/")
    assert "Private" in html(client, MET, "/advice/")


def test_a_restricted_section_restricts_the_pages_below_it(met, client):
    topic = SectionPageFactory(parent=section(met, "advice"), slug="topic")
    ContentPageFactory(parent=topic, slug="inside")
    assert client.get("/advice/topic/inside/", HTTP_HOST=MET).status_code == 200
    restrict(topic)
    assert client.get("/advice/topic/inside/", HTTP_HOST=MET).status_code == 302


def test_a_restricted_national_page_is_restricted_on_every_force_site(forces, client, make_force):
    national = ContentPageFactory(parent=national_root(), slug="scams")
    assert client.get("/advice/scams/", HTTP_HOST=MET).status_code == 200
    restrict(national)
    for host in ("met.localhost", "hampshire.localhost"):
        assert client.get("/advice/scams/", HTTP_HOST=host).status_code == 302
    # A force onboarded later gets a copy: restricted too.
    make_force("cumbria")
    assert client.get("/advice/scams/", HTTP_HOST="cumbria.localhost").status_code == 302


def test_a_copy_made_a_page_of_its_own_no_longer_has_its_originals_restriction(met, client):
    national = ContentPageFactory(parent=national_root(), slug="scams")
    restrict(national)
    assert client.get("/advice/scams/", HTTP_HOST=MET).status_code == 302
    copy = Page.objects.get(alias_of=national, url_path__startswith=met.site.root_page.url_path)
    copy.alias_of = None
    copy.save()
    assert client.get("/advice/scams/", HTTP_HOST=MET).status_code == 200


# --- breadcrumbs, header, menu, footer -----------------------------------------------------------


def test_breadcrumbs_follow_a_renamed_section(met, client):
    topic = SectionPageFactory(parent=section(met, "advice"), slug="topic", title="Old name")
    ContentPageFactory(parent=topic, slug="inside")
    assert "Old name" in breadcrumbs(html(client, MET, "/advice/topic/inside/"))
    topic.title = "New name"
    publish(topic)
    assert "New name" in breadcrumbs(html(client, MET, "/advice/topic/inside/"))


def test_header_and_footer_follow_the_forces_settings(met, client):
    page = html(client, MET, "/advice/")
    assert "call 101" in header(page) and "call 101" in footer(page)
    met.phone_non_emergency = "0300 123 1212"
    met.save()
    page = html(client, MET, "/advice/")
    assert "call 0300 123 1212" in header(page) and "call 0300 123 1212" in footer(page)
    assert "call 101" not in page


def test_the_menu_follows_published_and_renamed_pages(met, client):
    assert "Neighbourhoods" not in menu(html(client, MET, "/"))
    page = ContentPageFactory(
        parent=met.site.root_page, slug="neighbourhoods", title="Neighbourhoods", show_in_menus=True
    )
    assert 'href="/neighbourhoods/">Neighbourhoods</a>' in menu(html(client, MET, "/"))
    # The page shown is marked in the menu; on other pages it is not.
    assert 'aria-current="page"' in menu(html(client, MET, "/neighbourhoods/"))
    assert 'aria-current="page"' not in menu(html(client, MET, "/"))
    page.title = "Your area"
    publish(page)
    assert 'href="/neighbourhoods/">Your area</a>' in menu(html(client, MET, "/"))


# --- page bodies, latest news, the hub's forces ------------------------------------------------


def test_a_page_body_follows_the_forces_details_and_its_publication(met, client):
    page = ContentPageFactory(parent=section(met, "advice"), slug="burglary")
    first = html(client, MET, "/advice/burglary/")
    assert "Lock doors and windows" in first and 'href="tel:101"' in first
    met.phone_non_emergency = "0300 123 1212"
    met.save()  # its contact details block shows the force's number
    assert 'href="tel:0300 123 1212"' in html(client, MET, "/advice/burglary/")
    page = ContentPage.objects.get(pk=page.pk)
    page.body = [{"type": "paragraph", "value": "<p>Mark your bike.</p>"}]
    publish(page)
    changed = html(client, MET, "/advice/burglary/")
    assert "Mark your bike." in changed and "Lock doors and windows" not in changed


def test_the_home_page_lists_news_as_it_is_published_and_unpublished(met, client):
    assert "Cadets win award" not in html(client, MET, "/")
    news = NewsPageFactory(parent=section(met, "news"), slug="cadets", title="Cadets win award")
    assert "Cadets win award" in html(client, MET, "/")
    news.unpublish()
    assert "Cadets win award" not in html(client, MET, "/")


def test_the_hub_lists_forces_as_they_change(forces, client, make_force):
    assert "Metropolitan Police Service" in html(client, "localhost", "/")
    forces["met"].name = "Metropolitan Police"
    forces["met"].save()
    hub = html(client, "localhost", "/")
    assert ">Metropolitan Police<" in hub and "Metropolitan Police Service" not in hub
    make_force("cumbria", "Cumbria Constabulary")
    assert 'href="http://cumbria.localhost/"' in html(client, "localhost", "/")


# --- languages -----------------------------------------------------------------------------------


def test_an_untranslated_page_is_no_longer_marked_once_translated(client, make_force):
    dpp = make_force("dyfed-powys", "Dyfed-Powys Police", country="wales", languages="en,cy")
    page = rural_crime_page(section(dpp, "advice"))
    host = "dyfed-powys.localhost"
    welsh = html(client, host, "/cy/advice/rural-crime/")
    assert "data-untranslated" in welsh and "Rural crime" in welsh
    translation.activate("en")
    translate_rural_crime(page)
    welsh = html(client, host, "/cy/advice/rural-crime/")
    assert "data-untranslated" not in welsh and "Troseddau cefn gwlad" in welsh


def test_a_new_locale_is_known_at_once(forces):
    from wagtail.models import Locale

    from home import lookups

    assert "fr" not in lookups.lookups().locales
    Locale.objects.create(language_code="fr")
    assert "fr" in lookups.lookups().locales


def test_a_preview_shows_the_draft_and_the_public_page_the_published_version(met, client):
    page = ContentPageFactory(parent=section(met, "advice"), slug="burglary", title="Burglary")
    assert "Lock doors and windows" in html(client, MET, "/advice/burglary/")  # now kept
    page = ContentPage.objects.get(pk=page.pk)
    page.title = "Burglary (draft)"
    page.body = [{"type": "paragraph", "value": "<p>Draft text.</p>"}]
    revision = page.save_revision()
    preview = revision.as_object().make_preview_request()
    preview.render()
    assert "Draft text." in preview.content.decode()
    public_page = html(client, MET, "/advice/burglary/")
    assert "Lock doors and windows" in public_page and "Draft text." not in public_page


def test_a_draft_previewed_twice_shows_each_draft(met, client):
    """A preview is never kept: the second preview shows the second draft, not the first."""
    page = ContentPageFactory(parent=section(met, "advice"), slug="burglary", title="Burglary")
    for text in ("First draft.", "Second draft."):
        page = ContentPage.objects.get(pk=page.pk)
        page.body = [{"type": "paragraph", "value": f"<p>{text}</p>"}]
        preview = page.save_revision().as_object().make_preview_request()
        preview.render()
        assert text in preview.content.decode()


def test_a_news_page_number_that_is_not_a_number_is_rendered_every_time(met, client):
    """Only plain page numbers of the news are kept (nobody fills the memory with ``?page=``
    values): anything else is rendered every time."""
    news = NewsPageFactory(parent=section(met, "news"), slug="cadets", title="Cadets win award")
    assert "Cadets win award" in html(client, MET, "/news/?page=1")
    assert "Cadets win award" in html(client, MET, "/news/?page=first")
    Page.objects.filter(pk=news.pk).update(title="Cadets win again")  # no signal: nothing moved
    assert "Cadets win again" not in html(client, MET, "/news/?page=1")  # kept
    assert "Cadets win again" in html(client, MET, "/news/?page=first")  # never kept


def test_a_rendered_page_is_kept_until_a_content_version_stamp_is_added(met, client):
    """In this one process: a rendered page is kept under the content version, so a title
    written straight to the database (no signal, nothing moved) is not shown, and is shown
    once a content version stamp is added, which is all another process's publication leaves
    for this one to see. (That another process's publication is seen is tested with real
    processes in tests/solh/test_processes.py.)"""

    page = ContentPageFactory(parent=section(met, "advice"), slug="burglary", title="Burglary")
    assert '<h1 class="govuk-heading-xl">Burglary</h1>' in html(client, MET, "/advice/burglary/")
    # A new title straight in the database: no signal, no version moved.
    Page.objects.filter(pk=page.pk).update(title="Burglary at home")
    assert "Burglary at home" not in html(client, MET, "/advice/burglary/")  # kept here
    VersionStamp.objects.create(name=versions.CONTENT)
    assert "Burglary at home" in html(client, MET, "/advice/burglary/")
