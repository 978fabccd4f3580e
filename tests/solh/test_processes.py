"""One truth in every process: a change made by one process is seen by every other on its next
request, with no Redis (the demo's defaults: SQLite, local-memory caches, the shared version
tokens in the database).

Real processes: a gunicorn with two workers serves a SQLite database made for this module, and
changes are made as an operator makes them, by ``manage.py onboard_force`` and ``manage.py
shell`` in processes of their own. Each change is checked by several requests in a row, so that
both workers answer, after both have had the chance to keep the old answer.
"""

import pytest

from tests import databases
from tests.servers import Platform


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    platform = Platform(tmp_path_factory.mktemp("processes"))
    # A copy of the migrated template (tests/databases.py), rather than every migration again.
    databases.copy_sqlite_template(platform.directory / "db.sqlite3")
    platform.manage(
        "onboard_force",
        "met",
        "--name",
        "Metropolitan Police Service",
        "--hostname",
        "met.localhost",
        "--short-name",
        "MPS",
        "--primary-colour",
        "#00205b",
    )
    platform.serve()
    yield platform
    platform.stop()
    log = platform.output()
    assert "Traceback" not in log, log


def every(answers, status, text=None):
    return all(code == status and (text is None or text in body) for code, body in answers)


def test_a_force_onboarded_by_the_cli_is_served_at_once_where_the_hub_answered(platform):
    before = platform.answers("cleveland.localhost", "/")
    assert every(before, 200, "Find your police force"), "the hub answers an unknown host"
    # ... and nothing may keep that answer for the host: neither this server nor a CDN.
    headers = platform.headers("cleveland.localhost", "/")
    assert headers["X-Page-Cache"] == "bypass"
    assert "private" in headers["Cache-Control"]
    hub_reports = platform.answers("cleveland.localhost", "/report/")
    assert not any("Cleveland Police" in body for _code, body in hub_reports)

    platform.manage(
        "onboard_force",
        "cleveland",
        "--name",
        "Cleveland Police",
        "--hostname",
        "cleveland.localhost",
        "--short-name",
        "CLEV",
        "--primary-colour",
        "#1d5c4a",
    )

    assert every(platform.answers("cleveland.localhost", "/"), 200, "Cleveland Police")
    assert every(platform.answers("cleveland.localhost", "/report/"), 200, "Cleveland Police")
    assert every(platform.answers("cleveland.localhost", "/search/?q=burglary"), 200, "Cleveland")
    # The hub lists it, too.
    assert every(platform.answers("localhost", "/"), 200, "Cleveland Police")


PUBLISH = """
from forces.national.syndication import national_root
from home.models import ContentPage
page = ContentPage(title="Cold callers at the door", slug="cold-callers")
national_root().add_child(instance=page)
page.save_revision().publish()
"""

UNPUBLISH = """
from home.models import ContentPage
ContentPage.objects.get(slug="cold-callers", alias_of__isnull=True).unpublish()
"""


def test_a_national_publish_and_unpublish_from_a_shell_reach_every_site_at_once(platform):
    assert every(platform.answers("met.localhost", "/advice/"), 200)
    assert every(platform.answers("met.localhost", "/advice/cold-callers/"), 404)

    platform.shell(PUBLISH)
    assert every(
        platform.answers("met.localhost", "/advice/cold-callers/"), 200, "Cold callers at the door"
    )
    assert every(platform.answers("met.localhost", "/advice/"), 200, "Cold callers at the door")
    assert every(platform.answers("localhost", "/advice/cold-callers/"), 200)

    platform.shell(UNPUBLISH)
    assert every(platform.answers("met.localhost", "/advice/cold-callers/"), 404)
    advice = platform.answers("met.localhost", "/advice/")
    assert every(advice, 200) and not any("Cold callers" in body for _code, body in advice)


def test_a_force_settings_change_from_a_shell_is_shown_at_once(platform):
    assert every(platform.answers("met.localhost", "/"), 200, "Metropolitan Police Service")
    assert every(platform.answers("met.localhost", "/contact-us/"), 200)

    platform.shell(
        "from forces.models import Force\n"
        "force = Force.objects.get(slug='met')\n"
        "force.phone_non_emergency = '0300 123 1212'\n"
        "force.save()\n"
    )
    assert every(platform.answers("met.localhost", "/"), 200, "0300 123 1212")
    assert every(platform.answers("met.localhost", "/contact-us/"), 200, "0300 123 1212")
