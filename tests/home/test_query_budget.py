"""Query budgets: every public page renders in at most 12 queries, however many forces.

Measured with the page cache off (every request renders), in the steady state: after a first
request has warmed what a running server keeps (sites, site chrome, image renditions).
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

import pytest

from demo.journeys import road_traffic_incident
from forces.national.bilingual import ensure_welsh_national_tree
from forces.national.syndication import national_root
from home.lookups import content_changed
from reporting.models import ReportHubPage, ReportJourneyPage
from search.result_cache import forget_all
from tests.factories import ContentPageFactory, NewsPageFactory, make_image

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

BUDGET = 12
CSV = Path(settings.BASE_DIR) / "forces" / "data" / "forces.csv"
FORCE = "met.localhost"
JOURNEY = "/report/road-traffic-incident/"
FIRST_STEP = f"{JOURNEY}step/emergency/"

# What each page is, and where it is.
PAGES = {
    "force home": (FORCE, "/"),
    "national advice article": (FORCE, "/advice/scams/"),
    "local advice page": (FORCE, "/advice/burglary/"),
    "news article": (FORCE, "/news/n1/"),
    "news index": (FORCE, "/news/"),
    "journey first step": (FORCE, FIRST_STEP),
    "search": (FORCE, "/search/?q=burglary"),
    "hub home": ("localhost", "/"),
}


@pytest.fixture
def page_cache_off():
    with override_settings(PAGE_CACHE_ENABLED=False):
        yield


@pytest.fixture
def content(forces, hub, client):
    """Every kind of page on the Met's site: a national article (an alias of the hub's), a
    local advice page, news with images, the national road traffic incident journey; a
    journey started. The hub is bilingual from the start, as on the national platform (whose 43
    forces include Welsh ones), so its language versions are looked up at 3 forces too."""
    ContentPageFactory(parent=national_root(), slug="scams", title="Spot scams")
    ensure_welsh_national_tree()
    journey = ReportJourneyPage(**road_traffic_incident())
    ReportHubPage.objects.child_of(hub).get().add_child(instance=journey)
    journey.save_revision().publish()
    force = forces["met"]
    home = force.site.root_page
    ContentPageFactory(parent=home.get_children().get(slug="advice"), slug="burglary")
    image = make_image(force.collection, "news image")
    news = home.get_children().get(slug="news")
    for number in range(12):
        NewsPageFactory(parent=news, slug=f"n{number}", image=image if number % 2 else None)
    force.logo = make_image(force.collection, "logo")
    force.save()
    started = client.post(f"{JOURNEY}start/", HTTP_HOST=FORCE)
    assert started["Location"] == FIRST_STEP  # the draft's cookie is on the client now


def count_queries(client, host, path, *, fresh_search=False, after_publish=False):
    """Queries for one request after a first one (as on a running server). With
    ``fresh_search``, the search's short-lived result cache is emptied first; with
    ``after_publish``, content changes in between (as any publish anywhere does), so nothing
    worked out from live pages is reused."""
    assert client.get(path, HTTP_HOST=host).status_code == 200
    if fresh_search:
        forget_all()
    if after_publish:
        content_changed()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    return len(queries)


def all_counts(client):
    counts = {name: count_queries(client, host, path) for name, (host, path) in PAGES.items()}
    for name, (host, path) in PAGES.items():
        counts[f"{name}, after a publish"] = count_queries(client, host, path, after_publish=True)
    host, path = PAGES["search"]
    counts["search, results not cached"] = count_queries(client, host, path, fresh_search=True)
    return counts


def test_every_page_renders_within_the_budget_the_same_with_3_and_43_forces(client, content):
    with_three = all_counts(client)
    assert max(with_three.values()) <= BUDGET, with_three
    call_command("onboard_force", "--from-csv", str(CSV), stdout=open("/dev/null", "w"))  # noqa: SIM115
    with_43 = all_counts(client)
    assert with_43 == with_three
    assert max(with_43.values()) <= BUDGET, with_43
