"""Query budgets: home and content pages render in at most 12 queries, however many forces."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tests.factories import ContentPageFactory, NewsPageFactory, make_image

pytestmark = pytest.mark.django_db

BUDGET = 12
CSV = Path(settings.BASE_DIR) / "forces" / "data" / "forces.csv"


@pytest.fixture
def content(forces):
    """A content page and some news for each demo force, with a logo in the header."""
    for force in forces.values():
        home = force.site.root_page
        ContentPageFactory(parent=home.get_children().get(slug="advice"), slug="burglary")
        for number in range(4):
            NewsPageFactory(parent=home.get_children().get(slug="news"), slug=f"n{number}")
        force.logo = make_image(force.collection, f"{force.slug} logo")
        force.save()


def count_queries(client, host, path):
    """Queries for one request in the steady state: after a first request has warmed the
    caches (site root paths, site chrome, image renditions), as on a running server."""
    client.get(path, HTTP_HOST=host)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    return len(queries)


PAGES = [("met.localhost", "/"), ("met.localhost", "/advice/burglary/"), ("localhost", "/")]


@pytest.mark.parametrize(("host", "path"), PAGES)
def test_pages_render_within_budget(client, content, host, path):
    assert count_queries(client, host, path) <= BUDGET


def test_query_count_does_not_grow_from_3_to_43_forces(client, content):
    pages = [("met.localhost", "/"), ("thames-valley.localhost", "/advice/burglary/")]
    with_three = [count_queries(client, host, path) for host, path in pages]
    call_command("onboard_force", "--from-csv", str(CSV), stdout=open("/dev/null", "w"))  # noqa: SIM115
    with_43 = [count_queries(client, host, path) for host, path in pages]
    assert with_43 == with_three
    assert max(with_43) <= BUDGET
