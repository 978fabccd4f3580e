"""Shared fixtures: the hub, onboarded forces, users holding roles, host-aware clients."""

from django.conf import settings
from django.contrib.auth import get_user_model

import pytest

from forces.models import Force
from forces.onboarding import ForceSpec, ensure_hub, onboard_force
from forces.permissions import role_group
from home.models import HubPage
from tests import databases
from tests.factories import empty_caches, kept_for_the_module

DEMO_FORCES = [
    ("met", "Metropolitan Police Service", "MPS", "#00205b"),
    ("thames-valley", "Thames Valley Police", "TVP", "#1f4e79"),
    ("hampshire", "Hampshire and Isle of Wight Constabulary", "HIOW", "#005a5b"),
]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Each test process's database is a copy of one migrated template (``tests.databases``):
    Django's migrate then finds nothing to do, instead of running every migration again."""
    settings.DATABASES["default"]["TEST"]["TEMPLATE"] = databases.postgres_template()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Onboard the hub and the three demo forces once per test database.

    Every test runs in a transaction that is rolled back, so each starts from this state; tests
    that onboard more forces do so inside their own transaction.
    """
    with django_db_blocker.unblock():
        ensure_hub()
        for slug, name, short, colour in DEMO_FORCES:
            onboard_force(
                ForceSpec(
                    slug=slug,
                    name=name,
                    hostname=f"{slug}.localhost",
                    short_name=short,
                    primary_colour=colour,
                )
            )


def pytest_collection_modifyitems(items):
    """No test may be transactional (``django_db(transaction=True)``, ``transactional_db``,
    ``live_server``): it ends by emptying every table of its process's database, Wagtail's root
    page and the baseline above included, and the tests xdist hands that process next fail far
    from the cause. A test that needs committed data in several processes uses a database of
    its own, copied from the migrated template (``tests.databases``)."""
    transactional = [item.nodeid for item in items if _is_transactional(item)]
    if transactional:
        raise pytest.UsageError(
            "Transactional tests empty the shared test database; give them a database of their "
            "own (tests.databases): " + ", ".join(transactional)
        )


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.fixture(scope="module")
def dpp_once(django_db_setup, django_db_blocker):
    """Dyfed-Powys Police, bilingual, onboarded once for the module that asks for it (its Welsh
    tree, and the hub's, take seconds to build); each test reads or changes it in a savepoint of
    its own. Ask for ``dpp`` in a test (a module may define its own ``dpp`` instead)."""
    with kept_for_the_module(django_db_blocker):
        onboard_force(
            ForceSpec(
                slug="dyfed-powys",
                name="Dyfed-Powys Police",
                hostname="dyfed-powys.localhost",
                welsh_name="Heddlu Dyfed-Powys",
                short_name="DPP",
                country="wales",
                languages="en,cy",
                reports_email="reports@dyfed-powys.example",
            )
        )
        yield


@pytest.fixture
def dpp(dpp_once, db):
    return Force.objects.select_related("site").get(slug="dyfed-powys")


@pytest.fixture
def hub(db):
    return HubPage.objects.get()


@pytest.fixture
def make_force(db):
    """Onboard a force through the real service; hostnames are ``<slug>.localhost``."""

    def make(slug, name=None, **options):
        spec = ForceSpec(
            slug=slug,
            name=name or f"{slug.replace('-', ' ').title()} Police",
            hostname=options.pop("hostname", f"{slug}.localhost"),
            **options,
        )
        return onboard_force(spec).force

    return make


@pytest.fixture
def forces(db):
    """The three forces of the decision paper, keyed by slug."""
    return {force.slug: force for force in Force.objects.select_related("site")}


@pytest.fixture
def make_user(db):
    """Create a user holding ``role`` (at ``force`` for force-scoped roles)."""

    def make(username, role=None, force=None, **fields):
        user = get_user_model().objects.create_user(
            username=username, password="correct-horse-battery", **fields
        )
        if role:
            user.groups.add(role_group(role, force))
        return user

    return make


@pytest.fixture
def host_client(client):
    """``get(host, path)``: a GET on the site at ``host`` (as a browser would send it)."""

    class HostClient:
        def __init__(self, client):
            self.client = client

        def get(self, host, path="/", **extra):
            return self.client.get(path, HTTP_HOST=host, **extra)

    return HostClient(client)


@pytest.fixture(autouse=True)
def _force_login_passes_two_factor(monkeypatch):
    """``client.force_login(user)`` also gives the second factor (tests/signin.py), so tests not
    about two-factor sign-in reach the admin as every signed-in admin user does. The two-factor
    tests override this fixture and go through the real pages."""
    from django.test import Client

    from tests.signin import pass_second_factor

    force_login = Client.force_login

    def force_login_and_pass_two_factor(self, user, backend=None):
        force_login(self, user, backend)
        pass_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login_and_pass_two_factor)


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches: no cached pages, and new content and lookup versions
    (home/lookups.py), since the database they describe is rolled back after every test."""
    empty_caches()
    yield
    empty_caches()
