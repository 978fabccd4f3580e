"""Which site a request is for: Wagtail's answer, found without a query, and found again
after any change to the sites, in this process or another."""

from django.core.cache import cache
from django.db import connection, transaction
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from wagtail.models import Site

import pytest

from home import lookups
from solh import versions
from solh.models import VersionStamp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def request_for(host, port="80"):
    return RequestFactory().get("/", HTTP_HOST=host, SERVER_PORT=port)


def found(host, port="80"):
    """(our site, Wagtail's site) for a request to ``host`` on ``port``."""
    ours = lookups.find_site(request_for(host, port))
    wagtails = Site._find_for_request(request_for(host, port))
    return (ours.pk if ours else None), (wagtails.pk if wagtails else None)


@pytest.fixture
def sites(forces, hub):
    """Two sites on one host on different ports, and one on another port only."""
    return {
        "multi-8080": Site.objects.create(hostname="multi.example", port=8080, root_page=hub),
        "multi-8081": Site.objects.create(hostname="multi.example", port=8081, root_page=hub),
        "solo-8080": Site.objects.create(hostname="solo.example", port=8080, root_page=hub),
    }


REQUESTS = [
    ("met.localhost", "80"),  # the host and port
    ("met.localhost", "8000"),  # the only site on the host, another port
    ("localhost", "1234"),  # the default site's host, another port
    ("unknown.example", "80"),  # no such host: the default site
    ("multi.example", "8081"),
    ("multi.example", "9999"),  # two sites on the host, neither on the port: the default
    ("solo.example", "80"),
    ("MET.localhost", "80"),  # hostnames as stored (Wagtail compares them exactly)
]


@pytest.mark.parametrize(("host", "port"), REQUESTS)
def test_the_site_is_the_one_wagtail_finds(sites, host, port):
    ours, wagtails = found(host, port)
    assert ours == wagtails


@pytest.mark.parametrize(("host", "port"), REQUESTS)
def test_without_a_default_site_too(sites, host, port):
    Site.objects.update(is_default_site=False)
    lookups.invalidate()  # an update() sends no signal
    ours, wagtails = found(host, port)
    assert ours == wagtails


def test_a_request_costs_no_query_once_the_sites_are_read(forces, client):
    client.get("/", HTTP_HOST="met.localhost")
    # The versions are read once per request, by the middleware.
    with versions.for_request(), CaptureQueriesContext(connection) as queries:
        site = lookups.find_site(request_for("met.localhost"))
    assert len(queries) == 0
    assert site == forces["met"].site


def test_each_request_has_its_own_copy(forces):
    first = lookups.find_site(request_for("met.localhost"))
    first.root_page.title = "Changed on one request only"
    first.hostname = "elsewhere"
    second = lookups.find_site(request_for("met.localhost"))
    assert second.hostname == "met.localhost"
    assert second.root_page.title != "Changed on one request only"


@override_settings(PAGE_CACHE_ENABLED=False)
def test_a_changed_hostname_is_found_at_once(forces, client):
    site = forces["met"].site
    assert (
        "Metropolitan Police Service" in client.get("/", HTTP_HOST="met.localhost").content.decode()
    )
    site.hostname = "www.met.example"
    site.save()
    moved = client.get("/", HTTP_HOST="www.met.example").content.decode()
    assert "Metropolitan Police Service" in moved
    # The old name now reaches the default site, the hub.
    old = client.get("/", HTTP_HOST="met.localhost").content.decode()
    assert "Find your police force" in old


@override_settings(PAGE_CACHE_ENABLED=False)
def test_a_new_site_is_found_and_a_deleted_one_no_longer(forces, client):
    site = Site.objects.create(hostname="extra.example", root_page=forces["met"].site.root_page)
    assert (
        "Metropolitan Police Service" in client.get("/", HTTP_HOST="extra.example").content.decode()
    )
    site.delete()
    assert "Find your police force" in client.get("/", HTTP_HOST="extra.example").content.decode()


def test_the_sites_are_read_again_only_once_a_lookups_version_stamp_is_added(forces):
    """In this one process: a site changed straight in the database (no signal) is not seen
    while the lookups version stands, and is seen once a stamp is added, which is what another
    process's change leaves here. (That another process's change is seen is tested with real
    processes in tests/solh/test_processes.py.)"""
    assert lookups.find_site(request_for("met.localhost")) == forces["met"].site
    Site.objects.filter(pk=forces["met"].site_id).update(hostname="renamed.example")
    assert lookups.find_site(request_for("met.localhost")) == forces["met"].site  # kept
    VersionStamp.objects.create(name=versions.LOOKUPS)
    assert lookups.find_site(request_for("renamed.example")) == forces["met"].site
    assert lookups.find_site(request_for("met.localhost")).is_default_site


def test_the_version_moves_with_the_change_and_is_rolled_back_with_it(forces):
    """In the database, a change and its version move are one transaction: no process sees
    one without the other."""
    before = versions.get(versions.LOOKUPS)
    with pytest.raises(RuntimeError), transaction.atomic():
        forces["met"].site.save()
        assert versions.get(versions.LOOKUPS) != before  # this transaction sees its move
        raise RuntimeError("rolled back")
    assert versions.get(versions.LOOKUPS) == before
    forces["met"].site.save()
    assert versions.get(versions.LOOKUPS) != before


def test_a_token_never_comes_back(forces, django_capture_on_commit_callbacks):
    """Tidying a token after its change commits leaves one new stamp: a token read before
    is never read again."""
    seen = {versions.get(versions.CONTENT)}
    with django_capture_on_commit_callbacks(execute=True):
        forces["met"].site.save()
        seen.add(versions.get(versions.CONTENT))  # as this transaction sees it
    assert versions.get(versions.CONTENT) not in seen
    assert VersionStamp.objects.filter(name=versions.CONTENT).count() == 1


def test_in_the_shared_cache_the_version_moves_again_when_the_change_commits(
    forces, settings, django_capture_on_commit_callbacks
):
    """With Redis, a process that read the sites between the change and its commit read them
    as they were: the version moves again at the commit, so it reads them once more."""
    settings.SHARED_VERSIONS = "cache"
    lookups.lookups()
    with django_capture_on_commit_callbacks(execute=True):
        forces["met"].site.save()
        during = versions.get(versions.LOOKUPS)
    assert versions.get(versions.LOOKUPS) != during
