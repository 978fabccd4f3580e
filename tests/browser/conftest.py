"""Browser-test fixtures: a real server on the test database and the system Chromium.

The server is a ``manage.py runserver`` subprocess on this worker's *test* database, so it serves
the hub and forces that ``django_db_setup`` committed, plus the pages committed here.
pytest-django's ``live_server`` is not used: it needs ``transactional_db``, which would truncate
that session-wide data.

Browser tests carry ``django_db`` beside ``browser``: pytest-django creates the test database
only when some collected test asks for it, and the per-test transaction it opens on this
process's connection is harmless, as the server has its own.

These fixtures are package-scoped rather than session-scoped on purpose. While Playwright's sync
API is running, its event loop is the running loop of the main thread, and Django refuses ORM
calls from such a thread (``SynchronousOnlyOperation``) unless ``DJANGO_ALLOW_ASYNC_UNSAFE`` is
set; nothing runs on that loop concurrently with the tests, so it is set while the browser is
up. Stopping Playwright, the server and the extra pages when the last browser test has run
keeps the database tests that run after them in the same process as they were, with the data
they expect.
"""

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.db import connection, connections

import psycopg
import pytest

from demo.journeys import road_traffic_incident
from forces.models import Force
from forces.starter_content import HUB_SITE_NAME
from home.models import ContentPage, HubPage, NewsIndexPage, NewsPage, SectionPage
from home.site_context import NATIONAL_THEME
from reporting.models import (
    Draft,
    Evidence,
    ReportAccessRecord,
    ReportHubPage,
    ReportJourneyPage,
    SpamCount,
    Submission,
)
from search.models import SearchQueryCount

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_SOURCE = AXE_JS.read_text() if AXE_JS.exists() else "throw new Error('axe-core is missing')"
BUILT_ASSETS = [
    ROOT / "static_build" / "css" / "main.css",
    ROOT / "static_build" / "js" / "app.mjs",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SERVER_START_TIMEOUT = 30
BROWSER_FORCES = ["met", "thames-valley"]


def cannot_run(reason):
    """Fail on CI, where the browser suite must run; skip on a workstation without the tools."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"Browser tests cannot run on CI: {reason}", pytrace=False)
    pytest.skip(reason)


@dataclass(frozen=True)
class SiteInfo:
    """What a browser test needs to know about a site, read before Playwright starts."""

    host: str
    name: str
    primary_colour: str

    @property
    def primary_rgb(self):
        """The primary colour as a browser's computed style writes it: ``rgb(r, g, b)``."""
        hex_digits = self.primary_colour.lstrip("#")
        red, green, blue = (int(hex_digits[i : i + 2], 16) for i in (0, 2, 4))
        return f"rgb({red}, {green}, {blue})"


@dataclass(frozen=True)
class LiveSites:
    """The running server: ``url(site, path)`` addresses a site by its hostname."""

    port: int
    hub: SiteInfo
    forces: dict
    quick_exit_url: str

    def url(self, site, path="/"):
        host = site.host if isinstance(site, SiteInfo) else site
        return f"http://{host}:{self.port}{path}"

    def site(self, key):
        return self.hub if key == "hub" else self.forces[key]


# --- The pages the browser tests visit, committed in the test database ---------------------


def _body_blocks(force_name):
    """A body using every text block type, an accordion among them."""
    return [
        {"type": "paragraph", "value": "<p>Most burglaries can be prevented.</p>"},
        {
            "type": "callout",
            "value": {
                "style": "warning",
                "heading": "",
                "text": "<p>If a burglary is happening now, call 999.</p>",
            },
        },
        {"type": "heading", "value": {"text": "Doors and windows", "level": "h2"}},
        {
            "type": "paragraph",
            "value": "<ul><li>Lock doors, even when you are in.</li><li>Close windows.</li></ul>",
        },
        {"type": "heading", "value": {"text": "Keys", "level": "h3"}},
        {
            "type": "callout",
            "value": {
                "style": "inset",
                "heading": "Tip",
                "text": "<p>Keep keys out of sight of doors and windows.</p>",
            },
        },
        {
            "type": "callout",
            "value": {
                "style": "important",
                "heading": "Bogus callers are active in your area",
                "text": "<p>Always ask to see an identity card.</p>",
            },
        },
        {
            "type": "accordion",
            "value": {
                "items": [
                    {
                        "heading": "At home",
                        "summary": "Locks, lights and alarms",
                        "content": "<p>Fit good locks to every outside door.</p>",
                    },
                    {
                        "heading": "On holiday",
                        "summary": "",
                        "content": "<p>Use timer switches on lamps.</p>",
                    },
                    {
                        "heading": "Sheds and garages",
                        "summary": "",
                        "content": "<p>Lock tools away.</p>",
                    },
                ]
            },
        },
        {
            "type": "accordion",
            "value": {
                "items": [
                    {
                        "heading": "If it happens to you",
                        "summary": "",
                        "content": "<p>Call 999.</p>",
                    },
                ]
            },
        },
        {
            "type": "link_list",
            "value": {
                "heading": "Related",
                "links": [
                    {"title": "Victim Support", "page": None, "url": "https://example.org/"},
                ],
            },
        },
        {
            "type": "contact_details",
            "value": {
                "heading": f"Contact {force_name}",
                "phone": "01234 567890",
                "email": "crime.prevention@example.org",
                "address": "1 High Street\nTown\nAB1 2CD",
                "opening_hours": "Monday to Friday, 9am to 5pm",
                "use_force_details": True,
            },
        },
    ]


def _add_published(parent, page):
    """Add ``page`` under ``parent`` (replacing a leftover with its slug) and publish it."""
    for leftover in parent.get_children().filter(slug=page.slug):
        leftover.delete()
    parent = type(parent).objects.get(pk=parent.pk)  # fresh tree counters for treebeard
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def create_browser_content(force):
    """Advice pages (ordinary, sensitive, with quick exit on request) and news for ``force``."""
    home = force.site.root_page
    advice = SectionPage.objects.child_of(home).get(slug="advice")
    news = NewsIndexPage.objects.child_of(home).get(slug="news")
    return [
        _add_published(
            advice,
            ContentPage(
                title="Protect your home from burglary",
                slug="staying-safe",
                search_description="How to keep burglars out of your home.",
                body=_body_blocks(force.name),
            ),
        ),
        _add_published(
            advice,
            ContentPage(
                title="Domestic abuse",
                slug="domestic-abuse",
                is_sensitive=True,
                search_description="Help and support if you are experiencing domestic abuse.",
                body=[{"type": "paragraph", "value": "<p>You are not alone.</p>"}],
            ),
        ),
        _add_published(
            advice,
            ContentPage(
                title="Stalking and harassment",
                slug="stalking",
                show_quick_exit=True,
                body=[{"type": "paragraph", "value": "<p>Keep a record of what happens.</p>"}],
            ),
        ),
        _add_published(
            news,
            NewsPage(
                title="Appeal for witnesses after burglary",
                slug="burglary-appeal",
                kind=NewsPage.Kind.APPEAL,
                listing_summary="Did you see anything on the High Street on Monday night?",
                body=[{"type": "paragraph", "value": "<p>Call 101 quoting 123.</p>"}],
            ),
        ),
        _add_published(
            news,
            NewsPage(
                title="New neighbourhood team starts work",
                slug="neighbourhood-team",
                body=[{"type": "paragraph", "value": "<p>Meet your local officers.</p>"}],
            ),
        ),
    ]


@pytest.fixture(scope="package")
def browser_content(django_db_setup, django_db_blocker):
    """The extra pages, committed for the server to see; removed when the package is done."""
    with django_db_blocker.unblock():
        forces = {force.slug: force for force in Force.objects.select_related("site")}
        created = []
        for slug in BROWSER_FORCES:
            created += create_browser_content(forces[slug])
        # The hub's menu is left with one item (Advice), for the test of one-item menus: its
        # report hub (which only sends people to their force) leaves the menu meanwhile.
        hub_report = ReportHubPage.objects.child_of(HubPage.objects.get())
        hub_report.update(show_in_menus=False)
        sites = {
            slug: SiteInfo(force.site.hostname, force.name, force.primary_colour)
            for slug, force in forces.items()
        }
    yield sites
    with django_db_blocker.unblock():
        hub_report.update(show_in_menus=True)
        for page in reversed(created):
            page.refresh_from_db()
            page.delete()
        # What the server wrote while the browser used it (search counts) goes too, so later
        # tests in this process start from the session's state.
        SearchQueryCount.objects.all().delete()


@pytest.fixture(scope="package")
def report_journey(browser, django_db_blocker):
    """The national road traffic incident journey, published on the hub and so on every force
    site at ``/report/road-traffic-incident/``; its slug.

    It depends on ``browser`` so that its ORM calls are made while Django allows them (see the
    module docstring). What the server stored for the reports made (drafts, submissions with
    their deliveries, evidence, spam counts) goes with it, so that later database tests in this
    process see the session's state.
    """
    with django_db_blocker.unblock():
        report_hub = ReportHubPage.objects.child_of(HubPage.objects.get()).get()
        journey = _add_published(report_hub, ReportJourneyPage(**road_traffic_incident()))
    yield journey.slug
    with django_db_blocker.unblock():
        Submission.objects.all().delete()  # with their deliveries and evidence
        for model in (Evidence, Draft, SpamCount, ReportAccessRecord):
            model.objects.all().delete()
        ReportJourneyPage.objects.get(pk=journey.pk).delete()  # and every force's copy


# --- The server ------------------------------------------------------------------------------


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url():
    """``DATABASE_URL`` for this worker's test database (its name differs per xdist worker)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


def _wait_until_serving(process, port, log_path):
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"Host": settings.BASE_DOMAIN}
    )
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    process.kill()
    process.wait()
    log = Path(log_path).read_text(errors="replace")[-4000:]
    pytest.fail(f"The test server did not start on port {port}. Its output:\n{log}")


@pytest.fixture(scope="package")
def live(browser_content):
    """A ``runserver`` subprocess on the test database, serving the static build too."""
    missing = [str(path.relative_to(ROOT)) for path in BUILT_ASSETS if not path.exists()]
    if missing:
        cannot_run(f"the front end is not built ({', '.join(missing)}): run `npm run build`.")
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "solh.settings.test",
        "DATABASE_URL": _database_url(),
        # One connection per request thread, closed with it: nothing is left open on the test
        # database when the server stops and pytest-django drops it.
        "DATABASE_CONN_MAX_AGE": "0",
        "PYTHONUNBUFFERED": "1",
        # A keyboard journey may go from start to send quicker than the spam trap allows, and
        # the tests start more reports from one address than the hourly limit would (counted
        # in Redis across runs, where REDIS_URL is set).
        "REPORT_MIN_SECONDS": "0",
        "REPORT_RATE_LIMIT_PER_HOUR": "0",
    }
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "runserver",
        f"127.0.0.1:{port}",
        "--noreload",
        "--skip-checks",
        "--insecure",  # serve static_build/ through the finders, as DEBUG is off
    ]
    with tempfile.NamedTemporaryFile("w+b", prefix="solh-browser-server-", suffix=".log") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_serving(process, port, log.name)
            yield LiveSites(
                port=port,
                hub=SiteInfo(
                    settings.BASE_DOMAIN, str(HUB_SITE_NAME), NATIONAL_THEME["primary_colour"]
                ),
                forces=browser_content,
                quick_exit_url=settings.QUICK_EXIT_URL,
            )
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- The Welsh site ---------------------------------------------------------------------------

WELSH_HOST = "dyfed-powys.localhost"
TRACKER_EMAIL = "keyboard.tracker@example.org"  # the contact of the Welsh report
ONBOARD_WELSH = [
    *["onboard_force", "dyfed-powys", "--name", "Dyfed-Powys Police"],
    *["--welsh-name", "Heddlu Dyfed-Powys", "--country", "wales", "--languages", "en,cy"],
    *["--hostname", WELSH_HOST, "--short-name", "DPP"],
]
# What the Welsh tests find there besides the onboarded force, made by one ``manage.py shell``:
# the national road traffic journey (``report_journey``) and a force advice page (``rural-crime``)
# in Welsh, for test_save_and_feedback.py; a report made in Welsh on a journey of the force's
# own (``tracking-welsh-journey``), which the force asked more about, for test_tracking.py.
SETUP_WELSH = textwrap.dedent(
    f"""
    from django.core.management import call_command
    from django.utils import translation
    from forces.national import bilingual
    from forces.models import Force
    from demo.journeys import road_traffic_incident
    from reporting.models import ReportJourneyPage
    from tests.factories import rural_crime_page, translate_rural_crime
    from tests.reporting.receiver import journey_page, make_draft, make_report
    from tracking.forms import UpdateForm
    from tracking.models import UpdateSource
    from tracking.updates import post_update

    call_command(*{ONBOARD_WELSH!r})
    english = ReportJourneyPage.objects.get(
        slug="road-traffic-incident", locale__language_code="en", alias_of__isnull=True
    )
    with translation.override("cy"):
        welsh = ReportJourneyPage(**road_traffic_incident())
        welsh.steps = bilingual.stored_stream(
            ReportJourneyPage._meta.get_field("steps"), welsh.steps
        )
    bilingual.translate(english, welsh)
    force = Force.objects.get(slug="dyfed-powys")
    advice = force.site.root_page.get_children().get(slug="advice")
    translation.activate("en")
    translate_rural_crime(rural_crime_page(advice))

    page = journey_page(force, slug="tracking-welsh-journey", code="TRK")
    report = make_report(
        force, page=page, draft=make_draft(force, page, language="cy"),
        contact={{"email": {TRACKER_EMAIL!r}, "phone": ""}},
    )
    form = UpdateForm(data={{
        "status": "needs-more-information",
        "message_en": "What colour was the car?",
        "message_cy": "Pa liw oedd y car?",
    }})
    assert form.is_valid(), form.errors
    post_update(report, form.cleaned_data, source=UpdateSource.API)
    print("REFERENCE=" + report.reference)
    """
)


def _psycopg_options():
    db = connection.settings_dict
    return {
        "host": db["HOST"] or "127.0.0.1",
        "port": str(db["PORT"] or 5432),
        "user": db["USER"] or "postgres",
        "password": db["PASSWORD"] or "",
    }


def _copy_database(source, target, options):
    """Copy the committed state of database ``source`` into a new database ``target`` with
    pg_dump and pg_restore (``CREATE DATABASE … TEMPLATE`` would need every connection to
    ``source`` closed, the test server's included)."""
    with psycopg.connect(dbname="postgres", autocommit=True, **options) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target}"')
        admin.execute(f'CREATE DATABASE "{target}"')
    env = {
        **os.environ,
        "PGHOST": options["host"],
        "PGPORT": options["port"],
        "PGUSER": options["user"],
        "PGPASSWORD": options["password"],
    }
    dump = subprocess.Popen(["pg_dump", "-Fc", source], stdout=subprocess.PIPE, env=env)
    restore = subprocess.run(
        ["pg_restore", "--no-owner", "-d", target], stdin=dump.stdout, env=env, check=False
    )
    dump.stdout.close()
    assert dump.wait() == 0 and restore.returncode == 0, "copying the test database failed"


@dataclass(frozen=True)
class WelshSite:
    """The Welsh site's address, its database (name and connection options), the reference of
    the report made there in Welsh, and its server's log."""

    url: str
    database: str
    options: dict
    reference: str
    log_path: Path

    def log(self):
        """The end of the server's output, for a failure's message."""
        return self.log_path.read_text(errors="replace")[-3000:]

    def saved_link_id(self):
        with psycopg.connect(dbname=self.database, **self.options) as db:
            row = db.execute(
                "SELECT id FROM reporting_saveddraftlink ORDER BY created_at DESC LIMIT 1"
            ).fetchone()
        assert row, f"the Welsh server stored no saved link:\n{self.log()}"
        return row[0]


@pytest.fixture(scope="package")
def welsh_site(live, report_journey):
    """Dyfed-Powys onboarded in English and Welsh, with ``SETUP_WELSH``'s pages and report, on
    a server of its own over a copy of this worker's test database: onboarding a bilingual force
    gives the hub a Welsh tree, which the other tests of this process must not see.

    One for the Welsh tests of test_csp.py, test_save_and_feedback.py and test_tracking.py
    (copying, onboarding and starting a server cost tens of seconds). It is package-scoped like
    ``live`` and ``report_journey``, which it needs (the copy takes the journey that
    ``SETUP_WELSH`` translates), so a worker makes it once; the copy is dropped when the package
    is done.
    """
    options = _psycopg_options()
    source = connection.settings_dict["NAME"]
    copy = f"{source}_welsh"
    _copy_database(source, copy, options)
    url = f"postgres://{options['user']}@{options['host']}:{options['port']}/{copy}"
    if options["password"]:
        url = url.replace("@", f":{options['password']}@", 1)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "solh.settings.test",
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "0",
        "PYTHONUNBUFFERED": "1",
        # As on the shared server (``live``): journeys may go quicker than the spam trap allows.
        "REPORT_MIN_SECONDS": "0",
        "REPORT_RATE_LIMIT_PER_HOUR": "0",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    port = _free_port()
    process = None
    try:
        made = subprocess.run(
            [*manage, "shell", "-c", SETUP_WELSH], cwd=ROOT, env=env, capture_output=True
        )
        assert made.returncode == 0, made.stderr.decode()[-3000:]
        reference = re.search(r"REFERENCE=(\S+)", made.stdout.decode()).group(1)
        with tempfile.NamedTemporaryFile("w+b", prefix="solh-welsh-", suffix=".log") as log:
            command = [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"]
            process = subprocess.Popen(
                [*command, "--insecure"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
            _wait_until_serving(process, port, log.name)
            yield WelshSite(f"http://{WELSH_HOST}:{port}", copy, options, reference, Path(log.name))
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)
        with psycopg.connect(dbname="postgres", autocommit=True, **options) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


# --- The browser -----------------------------------------------------------------------------


@pytest.fixture(scope="package")
def browser(live):
    """The system Chromium, headless. Depends on ``live`` so it stops before the ORM is used."""
    if not CHROMIUM.exists():
        cannot_run(f"{CHROMIUM} is missing: install the distribution's chromium package.")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        cannot_run("Playwright is not installed: install the dev dependencies.")
    with pytest.MonkeyPatch.context() as patch:
        # The tests' own database transaction is opened while Playwright's loop is running.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        playwright = sync_playwright().start()
        try:
            try:
                chromium = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
                )
            except Error as error:
                cannot_run(f"Chromium at {CHROMIUM} did not start: {error}")
            try:
                yield chromium
            finally:
                chromium.close()
        finally:
            # While the loop runs, Django keeps its connections per context rather than per
            # thread: close the ones opened meanwhile, or they would outlive the test database.
            connections.close_all()
            playwright.stop()


def _is_local(url):
    host = urlsplit(url).hostname or ""
    return host in {"localhost", "127.0.0.1"} or host.endswith(".localhost")


@pytest.fixture
def context_options():
    """Options for the browser context; override in a module (e.g. for a mobile viewport)."""
    return {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def context(browser, live, context_options):
    """A fresh browser context (no cookies) that never reaches the internet.

    The quick-exit destination is answered with a tiny page; every other address that is not
    the test server is refused.
    """
    context = browser.new_context(**context_options)
    context.set_default_timeout(5000)
    context.set_default_navigation_timeout(10000)

    def off_site(route):
        if route.request.url.startswith(live.quick_exit_url):
            route.fulfill(
                status=200,
                content_type="text/html",
                body="<!DOCTYPE html><title>Weather</title><h1>Weather</h1>",
            )
        else:
            route.abort()

    context.route(lambda url: not _is_local(url), off_site)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


# --- Helpers ---------------------------------------------------------------------------------


# GOV.UK Frontend's accordion names each section button "<heading> , <summary> , Show this
# section" while the visible text reads "<heading>, <summary>, Show"; its file upload names its
# button "<label> , No file chosen Choose file or drop file" (the label, a visually hidden comma,
# then the button itself) while axe-core reads the button's text with that hidden comma inside
# it. Every visible word is in the name, in order (WCAG 2.5.3 is met), but axe-core compares the
# strings with their punctuation and spacing and reports a mismatch. Only that rule, on only
# those buttons, is set aside.
KNOWN_FALSE_POSITIVES = {
    "label-content-name-mismatch": (
        'class="govuk-accordion__section-button"',
        'class="govuk-file-upload-button',
    )
}


def _without_known_false_positives(violation):
    markers = KNOWN_FALSE_POSITIVES.get(violation["id"], ())
    nodes = [
        node for node in violation["nodes"] if not any(marker in node["html"] for marker in markers)
    ]
    return {**violation, "nodes": nodes}


def _describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {json.dumps(node['target'])}: {summary}")
    return "\n".join(lines)


@pytest.fixture
def assert_accessible():
    """``assert_accessible(page)``: axe-core's WCAG 2.2 A/AA rules find nothing serious.

    Violations of serious or critical impact fail the test, listed in its message; the others
    are returned so a test can report them.
    """

    def check(page):
        # Evaluated through the DevTools protocol rather than added as an inline <script>,
        # which the pages' Content-Security-Policy rightly refuses.
        page.evaluate(AXE_SOURCE)
        results = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        violations = [_without_known_false_positives(v) for v in results["violations"]]
        violations = [v for v in violations if v["nodes"]]
        blocking = [v for v in violations if v["impact"] in {"serious", "critical"}]
        assert not blocking, f"axe-core on {page.url}:\n{_describe(blocking)}"
        return violations

    return check


@pytest.fixture
def tab_to():
    """``tab_to(page, selector)``: press Tab until the focused element matches ``selector``.

    Returns how many presses it took; fails if the element is not reached within ``limit``.
    """

    def tab(page, selector, limit=40):
        for presses in range(1, limit + 1):
            page.keyboard.press("Tab")
            if page.evaluate("s => !!document.activeElement?.matches(s)", selector):
                return presses
        pytest.fail(f"{selector} was not reached with {limit} presses of Tab")

    return tab


@pytest.fixture
def focused():
    """``focused(page)``: the focused element's tag, id, classes and text."""

    def describe(page):
        return page.evaluate(
            """() => {
                const el = document.activeElement;
                return el ? {tag: el.tagName.toLowerCase(), id: el.id, classes: [...el.classList],
                             text: el.textContent.trim().replace(/\\s+/g, ' ')} : null;
            }"""
        )

    return describe
