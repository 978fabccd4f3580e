"""The pages every site uses, over HTTP as the public sees them."""

import datetime

import pytest

from home.models import NewsIndexPage, NewsPage
from tests.factories import ContentPageFactory, NewsPageFactory, make_image

pytestmark = pytest.mark.django_db

EXIT_THIS_PAGE = "govuk-exit-this-page"


def child(force, slug):
    return force.site.root_page.get_children().get(slug=slug).specific


@pytest.fixture
def met(forces):
    return forces["met"]


def test_content_page_renders_every_block_with_breadcrumbs(met, host_client):
    page = ContentPageFactory(parent=child(met, "advice"), title="Burglary", slug="burglary")
    html = host_client.get("met.localhost", "/advice/burglary/").content.decode()
    assert '<h1 class="govuk-heading-xl">Burglary</h1>' in html
    assert "Protect your home" in html
    assert "govuk-warning-text" in html and "If you are in danger, call 999." in html
    assert 'data-module="govuk-accordion"' in html and "Fit a five-lever lock." in html
    assert 'href="https://www.victimsupport.org.uk/"' in html
    assert "01234 567890" in html and "Monday to Friday" in html
    # Breadcrumbs: Home > Advice and information.
    assert 'class="govuk-breadcrumbs"' in html
    assert 'href="/advice/">Advice and information</a>' in html
    assert page.relative_url(met.site) == "/advice/burglary/"


def test_image_block_has_alt_text(met, host_client):
    image = make_image(met.collection, "Police officer at a door")
    ContentPageFactory(
        parent=child(met, "advice"),
        slug="with-image",
        body=[
            {
                "type": "image",
                "value": {"image": image.pk, "alt_text": "An officer knocks", "caption": "Visit"},
            }
        ],
    )
    html = host_client.get("met.localhost", "/advice/with-image/").content.decode()
    assert 'alt="An officer knocks"' in html
    assert "<figcaption" in html


@pytest.mark.parametrize(
    ("options", "shown"),
    [({}, False), ({"show_quick_exit": True}, True), ({"is_sensitive": True}, True)],
)
def test_quick_exit_on_request_and_always_on_sensitive_pages(met, host_client, options, shown):
    ContentPageFactory(parent=child(met, "advice"), slug="topic", **options)
    html = host_client.get("met.localhost", "/advice/topic/").content.decode()
    assert (EXIT_THIS_PAGE in html) is shown
    if shown:
        assert 'rel="nofollow noreferrer"' in html


def test_home_page_has_tasks_warning_and_latest_news(met, host_client):
    news = child(met, "news")
    for day in range(1, 6):
        NewsPageFactory(
            parent=news, title=f"Story {day}", date=datetime.date(2026, 11, day), slug=f"s{day}"
        )
    html = host_client.get("met.localhost").content.decode()
    assert "If you are in immediate danger or a crime is happening now, call 999." in html
    for task in ("Report", "Advice", "Contact us", "News and appeals"):
        assert f">{task}</a>" in html
    # The three newest, newest first; older ones only on the news page.
    assert html.index("Story 5") < html.index("Story 4") < html.index("Story 3")
    assert "Story 2" not in html


def test_news_index_lists_filters_and_paginates(met, host_client):
    news = child(met, "news")
    for number in range(12):
        NewsPageFactory(
            parent=news,
            title=f"Item {number:02d}",
            slug=f"item-{number}",
            date=datetime.date(2026, 10, number + 1),
            kind=NewsPage.Kind.APPEAL if number % 3 == 0 else NewsPage.Kind.NEWS,
        )
    first = host_client.get("met.localhost", "/news/").content.decode()
    assert "Item 11" in first and "Item 02" in first and "Item 01" not in first
    assert 'class="govuk-pagination"' in first
    second = host_client.get("met.localhost", "/news/?page=2").content.decode()
    assert "Item 01" in second and "Item 00" in second
    appeals = host_client.get("met.localhost", "/news/?kind=appeal").content.decode()
    assert "Item 09" in appeals and "Item 10" not in appeals
    # Nonsense in the query string falls back instead of failing.
    assert "Item 11" in host_client.get("met.localhost", "/news/?page=abc").content.decode()
    assert "Item 00" in host_client.get("met.localhost", "/news/?page=999").content.decode()
    unknown_kind = host_client.get("met.localhost", "/news/?kind=<b>x</b>").content.decode()
    assert "Item 10" in unknown_kind and "<b>x</b>" not in unknown_kind


def test_news_article_shows_date_and_appeal_tag(met, host_client):
    NewsPageFactory(
        parent=child(met, "news"),
        title="Witness appeal after collision",
        slug="appeal",
        kind=NewsPage.Kind.APPEAL,
        date=datetime.date(2026, 11, 20),
    )
    html = host_client.get("met.localhost", "/news/appeal/").content.decode()
    assert '<time datetime="2026-11-20">20 November 2026</time>' in html
    assert "govuk-tag" in html and ">Appeal<" in html


def test_contact_page_shows_the_force_contact_details(met, host_client):
    met.email = "contact@met.example.police.uk"
    met.address = "New Scotland Yard\nVictoria Embankment"
    met.save()
    html = host_client.get("met.localhost", "/contact-us/").content.decode()
    assert 'href="tel:999"' in html and 'href="tel:101"' in html
    assert "18001 101" in html
    assert "contact@met.example.police.uk" in html
    assert "New Scotland Yard<br>Victoria Embankment" in html


def test_header_navigation_and_footer(met, host_client):
    html = host_client.get("met.localhost", "/contact-us/").content.decode()
    assert 'class="govuk-service-navigation"' in html
    assert (
        'aria-current="page"><strong class="govuk-service-navigation__active-fallback">'
        "Contact us</strong></a>"
    ) in html
    assert 'href="/accessibility-statement/"' in html and 'href="/cookies/"' in html
    assert "GDS Transport" not in html and "govuk-header__logotype" not in html  # no GOV.UK brand


def test_accessibility_statement_on_every_site(forces, host_client):
    for host in ("localhost", "met.localhost", "hampshire.localhost"):
        response = host_client.get(host, "/accessibility-statement/")
        assert response.status_code == 200
        assert "Accessibility statement" in response.content.decode()


def test_news_index_page_is_unique_enough(met):
    assert NewsIndexPage.objects.child_of(met.site.root_page).count() == 1
