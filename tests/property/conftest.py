"""Property-based runs over every public form and query string (Hypothesis).

The examples are derived from each test's name (``derandomize=True``), so a run is the same run
everywhere; nothing is written to a ``.hypothesis/`` directory. The default profile is small
enough for ``make test``; ``HYPOTHESIS_PROFILE=long`` (1,000 examples a test) or
``SOLH_PROPERTY_EXAMPLES=N`` runs longer. The number of cases each endpoint received is printed
at the end of the run.
"""

import contextlib
import os
from collections import Counter

from django.db import transaction

import pytest
from hypothesis import HealthCheck, settings

CASES = Counter()

_COMMON = {
    "derandomize": True,
    "database": None,  # no example database written into the checkout
    "deadline": None,  # a request's time depends on the machine, not on the input
    "print_blob": False,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,  # the fixtures are read-only for every example
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
}
settings.register_profile("solh-property", max_examples=30, **_COMMON)
settings.register_profile("long", max_examples=1000, **_COMMON)


def property_settings():
    """The Hypothesis settings of these tests: the profile named by ``HYPOTHESIS_PROFILE``
    ("long" for 1,000 examples a test) and ``SOLH_PROPERTY_EXAMPLES`` if set."""
    name = os.environ.get("HYPOTHESIS_PROFILE") or "solh-property"
    if name not in ("solh-property", "long"):
        name = "solh-property"
    profile = settings.get_profile(name)
    examples = os.environ.get("SOLH_PROPERTY_EXAMPLES")
    if examples:
        return settings(profile, max_examples=int(examples))
    return profile


PROPERTY = property_settings()


def count_case(endpoint):
    """Count one case sent to ``endpoint`` (printed at the end of the run)."""
    CASES[endpoint] += 1


class _Undo(Exception):
    pass


@contextlib.contextmanager
def each_example():
    """Run one example in a transaction that is rolled back, so no example sees another's
    drafts or counts, nor a transaction broken by an earlier example's failure."""
    with contextlib.suppress(_Undo), transaction.atomic():
        yield
        raise _Undo


def pytest_terminal_summary(terminalreporter):
    if not CASES:
        return
    terminalreporter.section("property-based cases (Hypothesis)")
    for endpoint, count in sorted(CASES.items()):
        terminalreporter.write_line(f"{endpoint:<40} {count:>7}")
    terminalreporter.write_line(f"{'total':<40} {sum(CASES.values()):>7}")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """What the properties are checked against: a journey with one step per question type on
    Thames Valley's site, and, on every force's site, a local page, an image and a document
    that no other force's site may ever show.

    Made once per module in a transaction around the module's tests (each test's own
    transaction nests inside it), and rolled back after them.
    """
    from forces.models import Force
    from tests.property.world import build_world

    with django_db_blocker.unblock(), contextlib.suppress(_Undo), transaction.atomic():
        yield build_world({force.slug: force for force in Force.objects.select_related("site")})
        raise _Undo


@pytest.fixture(autouse=True)
def _database(world, db):
    """Every test here uses the database, inside the module's transaction (``world``)."""
