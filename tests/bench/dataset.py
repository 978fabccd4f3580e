"""The benchmark's dataset: a fresh PostgreSQL database at national scale, with real content.

What it holds (``shape()``): the hub and all 43 forces of ``forces/data/forces.csv``; a national
advice library of 500 articles in the hub's ``/advice/`` (the demo library's 11 topic sections
and 25 articles, and 475 more, each a version of one of those for a reader or a situation),
shown on every force's site by the platform's own syndication; and, on every force's site, 50
local pages (its own advice page inside its copy of ``/advice/``, and a "Local policing" section of
neighbourhood pages) and 100 news articles and appeals.

Built in steps so the runner can measure between them (queries per page with the first three
forces, then again with all 43):

1. ``recreate_database``: drop and create the bench database (through the ``postgres``
   maintenance database), before Django opens any connection to it;
2. ``migrate``: ``manage.py migrate`` under the bench settings;
3. ``build_national_library``: the hub, its 11 sections and 500 articles, each published as a
   national editor would (``save_revision().publish()``), and the national demo reporting
   journeys. No force is onboarded yet, so no publish fans out: this is the fast order;
4. ``onboard_first_forces``: the three forces of the decision paper (``CONTENT_FORCES``), read
   from the forces CSV and onboarded as the operator does: each gets the whole library (and the
   journeys) as aliases in one action
   (``forces.national.syndication.ensure_national_library``); then their local pages and news
   (``add_local_content``);
5. ``onboard_other_forces``: the other 40 forces, one by one with ``onboard_force`` (each gets
   the library in its onboarding), while a second process (``ContentFiller``) adds each one's
   local pages and news, and indexes its site for search, as soon as it is onboarded.

Every page is a real Wagtail page with a revision, live, as an editor leaves it: created with
``add_child`` and published with ``save_revision().publish()`` (signals, logs and all). The
local pages of one force are published in one transaction: what Wagtail and the platform do on
each publish is the same, but PostgreSQL syncs to disk once per force rather than once per page.

``mark_built`` records the dataset's ``shape()`` (with when it was built, how long it took and
the queries per page counted with the first forces) as the database's comment once the build is
complete; ``reusable`` reads it back, so ``--reuse-dataset`` can tell a complete dataset of the
current shape from a stale or half-built one (``DATASET_VERSION`` changes with the build).

Building is CPU-bound Python (Wagtail's page creation): on this 2-core machine about 18 minutes
when little else runs, most of it giving 40 forces their 517 aliases each.
"""

import contextlib
import datetime
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils.text import slugify

import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parents[2]
BENCH_OUTPUT = REPO / ".bench"
FORCES_CSV = REPO / "forces" / "data" / "forces.csv"

# Bump DATASET_VERSION whenever what the build makes changes: a kept database of another
# version (or shape) is rebuilt, never reused. The shape also carries a hash of the code that
# shapes the data (``SHAPING_CODE``), so a change there rebuilds it without a bump.
DATASET_VERSION = 2
SHAPING_CODE = (
    "tests/bench/dataset.py",
    "forces/data/forces.csv",
    "demo/seed.py",
    "demo/content",
    "forces/onboarding.py",
    "forces/starter_content.py",
    "forces/national/syndication.py",
    "forces/national/bilingual.py",
    "solh/aliases.py",
)
NATIONAL_ARTICLES = 500
LOCAL_PAGES_PER_FORCE = 50
NEWS_PER_FORCE = 100

# The forces onboarded first and given content; the first one is the one the scenarios measure.
CONTENT_FORCES = ("met", "thames-valley", "hampshire")
MEASURED_FORCE = CONTENT_FORCES[0]

# The force's own advice page, inside its copy of the national advice library.
CONTENT_SLUG = "protect-your-home-from-burglary"
CONTENT_TITLE = "Protect your home from burglary"
CONTENT_PATH = f"/advice/{CONTENT_SLUG}/"
# A national article, written once on the hub and shown on every force's site (as an alias).
NATIONAL_SECTION_SLUG = "fraud-and-scams"
NATIONAL_SLUG = "spot-and-avoid-scams"
NATIONAL_TITLE = "Spot and avoid scams"
NATIONAL_PATH = f"/advice/{NATIONAL_SECTION_SLUG}/{NATIONAL_SLUG}/"
# A force's own section of local pages, beside the national ones.
# Not /your-area/: every force has that page since onboarding makes it (neighbourhoods).
LOCAL_SECTION_SLUG = "local-policing"
LOCAL_SECTION_TITLE = "Local policing"
NEWS_INDEX_PATH = "/news/"
# The national road traffic incident journey (``demo.journeys``), on a force's site.
REPORT_JOURNEY_SLUG = "road-traffic-incident"
REPORT_JOURNEY_PATH = f"/report/{REPORT_JOURNEY_SLUG}/"
REPORT_FIRST_STEP = "emergency"

# The newest news first: the force home page lists the first; the search bench counts on
# "cadets" being in one article per force only.
NEWS_HEADLINES = [
    ("appeal", "Witness appeal after collision on the ring road"),
    ("news", "Neighbourhood team holds street surgery in the town centre"),
    ("appeal", "Appeal to find missing teenager last seen at the railway station"),
    ("news", "Two people charged after drugs warrant"),
    ("news", "Bike marking event at the leisure centre this weekend"),
    ("appeal", "CCTV released after shop window smashed"),
    ("news", "Rural crime team recovers stolen farm machinery"),
    ("news", "Officers remind drivers to lock their cars overnight"),
    ("appeal", "Do you recognise this man? Appeal after theft from pensioner"),
    ("news", "New police station front counter opening hours"),
    ("news", "Volunteer police cadets receive awards"),
    ("appeal", "Dashcam footage sought after hit and run"),
]
# The older news: every event at every place, in turn.
NEWS_EVENTS = [
    ("news", "Extra patrols after reports of antisocial behaviour {place}"),
    ("appeal", "Appeal for witnesses after assault {place}"),
    ("news", "Man arrested after pursuit {place}"),
    ("news", "Road closure {place} for a police operation"),
    ("appeal", "Information sought after catalytic converter thefts {place}"),
    ("news", "Community meeting {place}: have your say on local priorities"),
    ("appeal", "Appeal after garden shed break-ins {place}"),
    ("news", "Speed checks {place} after residents' concerns"),
    ("news", "Knife amnesty bin installed {place}"),
    ("appeal", "Have you seen this missing woman? Last seen {place}"),
    ("news", "Drink-drive arrests {place} during summer campaign"),
]
PLACES = [
    "near the high street",
    "on the industrial estate",
    "by the canal towpath",
    "at the retail park",
    "near the university campus",
    "on the seafront",
    "in the market square",
    "near the bus station",
]
# "Local policing": one neighbourhood page per place name.
AREA_PARTS = (
    ["North", "South", "East", "West", "Upper", "Lower", "Old", "New"],
    ["field", "gate", "brook", "ford", "wood", "ton"],
)
# The library's extra articles: a version of one of the section's demo articles for a reader
# or a situation.
AUDIENCES = [
    "for older people",
    "for students",
    "for parents and carers",
    "for young people",
    "for people who live alone",
    "for landlords and tenants",
    "for small businesses",
    "for rural communities",
    "for people with a disability",
    "for new arrivals to the UK",
    "in easy read",
    "questions and answers",
    "a checklist",
    "for community groups",
    "for schools",
    "for health workers",
    "for faith groups",
    "for employers",
    "for night-time workers",
    "for drivers",
    "for people on holiday",
    "for carers of people with dementia",
    "for LGBT+ people",
    "for veterans",
    "in brief",
]


class DatasetError(Exception):
    """The dataset could not be built; the message says why and what to do."""


# --- The shape, and the mark of a complete build -------------------------------------------------


def code_hash():
    """A SHA-256 of the files in ``SHAPING_CODE`` (names and contents), first 16 hex digits."""
    digest = hashlib.sha256()
    for name in SHAPING_CODE:
        path = REPO / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(REPO)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:16]


def shape():
    """What a complete dataset holds: a kept database is reused only if its mark says this."""
    return {
        "version": DATASET_VERSION,
        "code": code_hash(),
        "forces": len(_csv_specs()),
        "first_forces": list(CONTENT_FORCES),
        "national_articles": NATIONAL_ARTICLES,
        "local_pages_per_force": LOCAL_PAGES_PER_FORCE,
        "news_per_force": NEWS_PER_FORCE,
    }


def mark_built(server_url, name, details):
    """Record the dataset's shape (and ``details``: build time, queries with the first forces)
    as the database's comment: the build is complete."""
    text = json.dumps({"solh_bench": {"shape": shape(), **details}})
    with _maintenance_connection(server_url) as connection:
        connection.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(text))
        )


def built_mark(server_url, name):
    """What ``mark_built`` recorded on the database ``name``, or ``None`` (no database, an
    incomplete build, or one from before marks)."""
    with _maintenance_connection(server_url) as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    if row is None or not row[0]:
        return None
    try:
        return json.loads(row[0])["solh_bench"]
    except (ValueError, KeyError, TypeError):
        return None


def reusable(server_url, name):
    """``(mark, why not)``: the mark of a complete dataset of the current shape, or ``None``
    and the reason it must be rebuilt."""
    if not database_exists(server_url, name):
        return None, f"there is no database {name}"
    mark = built_mark(server_url, name)
    if mark is None:
        return None, "its build was not completed"
    if mark.get("shape") != shape():
        return None, f"it was built with another shape ({mark.get('shape')}, now {shape()})"
    return mark, None


def check_contents():
    """Raise ``DatasetError`` unless the database holds what ``shape()`` says (counted)."""
    found = summary()
    expected = shape()
    problems = []
    if found["forces"] != expected["forces"]:
        problems.append(f"{found['forces']} forces, not {expected['forces']}")
    if found["national_articles"] != NATIONAL_ARTICLES:
        problems.append(f"{found['national_articles']} national articles, not {NATIONAL_ARTICLES}")
    expected_news = NEWS_PER_FORCE * expected["forces"]
    if found["news_pages"] != expected_news:
        problems.append(f"{found['news_pages']} news pages, not {expected_news}")
    if problems:
        raise DatasetError(f"The bench database does not hold the dataset: {'; '.join(problems)}.")


# --- The database --------------------------------------------------------------------------------


def server_version(server_url):
    """The PostgreSQL server version (e.g. ``15.4``), or raise ``DatasetError``."""
    with _maintenance_connection(server_url) as connection:
        number = connection.info.server_version
    return f"{number // 10000}.{number % 10000}"


def _maintenance_connection(server_url):
    url = f"{server_url.rstrip('/')}/postgres"
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        raise DatasetError(
            f"PostgreSQL is not reachable at {server_url} ({str(error).strip()}).\n"
            "Start it (scripts/ensure-test-services.sh does on this machine), or point "
            "BENCH_POSTGRES_URL at a server where the user may create databases."
        ) from error


def recreate_database(server_url, name):
    """Drop (forcibly: stale connections included) and create the database ``name``."""
    with _maintenance_connection(server_url) as connection:
        identifier = sql.Identifier(name)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(identifier))


def database_exists(server_url, name):
    with _maintenance_connection(server_url) as connection:
        row = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def _run_command(*args, **options):
    """Run a management command quietly; its output is shown only if it fails."""
    output = io.StringIO()
    try:
        call_command(*args, stdout=output, stderr=output, **options)
    except Exception as error:
        raise DatasetError(
            f"manage.py {' '.join(args)} failed: {error}\n{output.getvalue()[-3000:]}"
        ) from error
    return output.getvalue()


def migrate():
    _run_command("migrate", interactive=False)


def collect_static():
    _run_command("collectstatic", interactive=False, clear=True)


def _csv_specs():
    from forces.management.commands.onboard_force import csv_specs

    return csv_specs(FORCES_CSV, settings.BASE_DOMAIN)


# --- The national library ------------------------------------------------------------------------


def _publish(parent, page):
    """Add ``page`` under ``parent`` and publish it, as an editor does."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _national_library(hub):
    from home.models import SectionPage

    library = SectionPage.objects.child_of(hub).filter(slug="advice").first()
    if library is None:
        raise DatasetError("The hub has no /advice/ section (the national library).")
    return library


def library_plan():
    """The national library as ``[(section, [article, ...]), ...]`` (``demo.content``
    objects): every demo section and article, then versions of them, to ``NATIONAL_ARTICLES``."""
    from dataclasses import replace

    from demo.content import national

    sections = national.SECTIONS
    extra = NATIONAL_ARTICLES - len(national.ADVICE)
    if extra < 0:
        raise DatasetError(f"The demo library alone has more than {NATIONAL_ARTICLES} articles.")
    plan = [(section, list(section.articles)) for section in sections]
    for number in range(extra):
        section, articles = plan[number % len(plan)]
        made = (number // len(plan)) + 1  # this section's extra articles so far, with this one
        base = section.articles[(made - 1) % len(section.articles)]
        audience = AUDIENCES[((made - 1) // len(section.articles)) % len(AUDIENCES)]
        title = f"{base.title}: {audience}"
        articles.append(
            replace(
                base,
                title=title,
                slug=slugify(title)[:80],
                summary=f"{base.summary} Written {audience}.",
            )
        )
    return plan


def build_national_library():
    """The hub, the national library (``library_plan``) and the national journeys.

    Before any force is onboarded: each later force gets the whole library in one action.
    Returns the number of national articles.
    """
    from forces.onboarding import ensure_hub
    from home.models import ContentPage, SectionPage

    hub = ensure_hub()
    library = _national_library(hub)
    count = 0
    for section, articles in library_plan():
        section_page = _publish(
            library,
            SectionPage(
                title=section.title,
                slug=section.slug,
                intro=section.intro,
                search_description=section.summary,
                is_sensitive=section.is_sensitive,
            ),
        )
        for article in articles:
            _publish(
                section_page,
                ContentPage(
                    title=article.title,
                    slug=article.slug,
                    search_description=article.summary,
                    is_sensitive=article.is_sensitive,
                    body=article.body,
                ),
            )
            count += 1
    publish_report_journeys()
    return count


def publish_report_journeys():
    """The national demo journeys under the hub's report hub (so on every force's site).

    Safe to run again: a journey already there is left as it is.
    """
    from demo.seed import seed_national_journeys
    from home.models import HubPage

    seed_national_journeys(HubPage.objects.get())


def reset_reports():
    """Delete every report, draft, evidence row and queued job: each run starts from none.

    Nothing else in the bench database refers to them; the reporting benchmark counts what
    reaches its receiver against what is stored, so leftovers of an earlier run must go.
    """
    from django_tasks_db.models import DBTaskResult

    from reporting.models import Draft, Evidence, SpamCount, Submission

    DBTaskResult.objects.all().delete()
    Evidence.objects.all().delete()
    Submission.objects.all().delete()  # with their deliveries and attempts
    Draft.objects.all().delete()
    SpamCount.objects.all().delete()


def drop_queued_tasks():
    """Delete the jobs the build queued for a worker that is not running (search index
    updates: the runner rebuilds the index itself)."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()


# --- The forces ----------------------------------------------------------------------------------


def onboard_first_forces():
    """``CONTENT_FORCES`` (from the CSV, as the full onboarding will see them), with their
    local pages and news."""
    from forces.onboarding import onboard_force

    specs = {spec.slug: spec for spec in _csv_specs()}
    missing = [slug for slug in CONTENT_FORCES if slug not in specs]
    if missing:
        raise DatasetError(f"{FORCES_CSV} has no row for {', '.join(missing)}.")
    forces = [onboard_force(specs[slug]).force for slug in CONTENT_FORCES]
    for force in forces:
        add_local_content(force)
    return forces


def other_force_specs():
    """Every force of the CSV but ``CONTENT_FORCES``: the bilingual (Welsh) ones first, whose
    content takes longest (every page gets its Welsh counterpart), then the CSV's order."""
    from forces.models import Country

    specs = [spec for spec in _csv_specs() if spec.slug not in CONTENT_FORCES]
    return sorted(specs, key=lambda spec: spec.country != Country.WALES)


def onboard_other_forces(workdir, tick=None):
    """Onboard every force but ``CONTENT_FORCES``, one after the other with ``onboard_force``
    (as ``manage.py seed_demo --all-forces`` does), while a second process
    (``ContentFiller``) gives each force its local pages and news, and indexes its site, as
    soon as its onboarding has committed. ``tick()`` is called after each force.

    Onboarding is one transaction per force that holds the tree's root, so two cannot run at
    once; the content of one force and the onboarding of the next touch different parts of
    the tree, so they can. Returns the number of forces onboarded.
    """
    from forces.onboarding import onboard_force

    specs = other_force_specs()
    with ContentFiller([spec.slug for spec in specs], workdir) as filler:
        for spec in specs:
            filler.check()
            onboard_force(spec)
            if tick:
                tick()
        filler.wait(FILL_TIMEOUT_SECONDS)
    return len(specs)


# A force is onboarded in 10 to 60 s here; the filler gives up on one that takes far longer.
FILL_WAIT_SECONDS = 900
FILL_TIMEOUT_SECONDS = 1800
FILL_LOG = "dataset-fill.log"


class ContentFiller:
    """``python -m tests.bench.dataset fill SLUG ...`` in a second process (``fill``), under the
    runner's environment; its output goes to ``dataset-fill.log``. Always stopped on exit."""

    def __init__(self, slugs, workdir):
        self.slugs = list(slugs)
        self.log_path = Path(workdir) / FILL_LOG
        self.process = None

    def __enter__(self):
        from tests.bench.run import spawn

        with self.log_path.open("wb") as log:
            self.process = spawn(
                [sys.executable, "-m", "tests.bench.dataset", "fill", *self.slugs],
                log,
                os.environ.copy(),
            )
        return self

    def _failure(self, message):
        tail = self.log_path.read_text(errors="replace")[-3000:]
        return DatasetError(f"{message}\n--- {FILL_LOG} (last lines) ---\n{tail}")

    def check(self):
        """Raise ``DatasetError`` if the filler has failed."""
        code = self.process.poll()
        if code not in (None, 0):
            raise self._failure(f"Adding the forces' content failed (status {code}).")

    def wait(self, timeout):
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise self._failure(f"Adding the forces' content took more than {timeout} s.") from None
        if code != 0:
            raise self._failure(f"Adding the forces' content failed (status {code}).")

    def __exit__(self, *exc_info):
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        with contextlib.suppress(OSError):
            BENCH_OUTPUT.mkdir(exist_ok=True)
            shutil.copyfile(self.log_path, BENCH_OUTPUT / FILL_LOG)


def fill(slugs, wait_seconds=FILL_WAIT_SECONDS):
    """In the filler process: for each force in ``slugs``, in order, wait until it has been
    onboarded, then add its local content and index its site."""
    from forces.models import Force
    from tests.bench import search_bench

    for slug in slugs:
        deadline = time.monotonic() + wait_seconds
        force = None
        while force is None:
            force = Force.objects.select_related("site__root_page").filter(slug=slug).first()
            if force is None:
                if time.monotonic() > deadline:
                    raise DatasetError(f"{slug} was not onboarded within {wait_seconds} s.")
                time.sleep(0.2)
        began = time.monotonic()
        add_local_content(force)
        content_seconds = time.monotonic() - began
        indexed = search_bench.index_missing_pages()
        print(
            f"{slug}: local pages and news {content_seconds:.1f} s; {indexed} pages indexed "
            f"in {time.monotonic() - began - content_seconds:.1f} s",
            flush=True,
        )


def force_name(slug):
    for spec in _csv_specs():
        if spec.slug == slug:
            return spec.name
    raise DatasetError(f"{FORCES_CSV} has no row for {slug}.")


def force_host(slug):
    return f"{slug}.{settings.BASE_DOMAIN}"


def latest_headline():
    """The newest article's title: the force home page lists it."""
    return NEWS_HEADLINES[0][1]


def news_slug(number):
    return f"news-{number + 1:03d}"


def news_path(number=0):
    """A news article's path on a force's site (``0``: the newest)."""
    return f"{NEWS_INDEX_PATH}{news_slug(number)}/"


def news_plan():
    """``NEWS_PER_FORCE`` headlines as ``(kind, headline)``, the newest first."""
    older = [
        (kind, template.format(place=place)) for place in PLACES for kind, template in NEWS_EVENTS
    ]
    plan = (NEWS_HEADLINES + older)[:NEWS_PER_FORCE]
    if len(plan) < NEWS_PER_FORCE:
        raise DatasetError(f"Only {len(plan)} headlines for {NEWS_PER_FORCE} news articles.")
    return plan


def area_names():
    return [f"{first}{second}" for first in AREA_PARTS[0] for second in AREA_PARTS[1]]


@transaction.atomic
def add_local_content(force):
    """The force's local pages and news: ``LOCAL_PAGES_PER_FORCE`` pages (its own advice page
    in its copy of ``/advice/``, a "Local policing" section and its neighbourhood pages) and
    ``NEWS_PER_FORCE`` news articles and appeals, each published with
    ``save_revision().publish()``."""
    from home.models import ContactPage, ContentPage, NewsIndexPage, SectionPage

    home = force.site.root_page
    advice = SectionPage.objects.child_of(home).filter(slug="advice").first()
    if advice is None:
        raise DatasetError(f"{force.name} has no /advice/ section to put the content page in.")
    contact = ContactPage.objects.child_of(home).first()
    _publish(
        advice,
        ContentPage(
            title=CONTENT_TITLE,
            slug=CONTENT_SLUG,
            search_description="Simple ways to make your home harder to break into, and what "
            "to do if you have been burgled.",
            body=content_body(force, contact),
        ),
    )
    area = _publish(
        home,
        SectionPage(
            title=LOCAL_SECTION_TITLE,
            slug=LOCAL_SECTION_SLUG,
            show_in_menus=True,
            intro=f"<p>Your neighbourhood policing team, and what {force.name} is doing where "
            "you live.</p>",
            search_description=f"Neighbourhood policing teams in the {force.name} area.",
        ),
    )
    neighbourhoods = area_names()[: LOCAL_PAGES_PER_FORCE - 2]
    if len(neighbourhoods) < LOCAL_PAGES_PER_FORCE - 2:
        raise DatasetError(f"Too few area names for {LOCAL_PAGES_PER_FORCE} local pages.")
    for name in neighbourhoods:
        _publish(area, neighbourhood_page(force, name, contact))
    news_index = NewsIndexPage.objects.child_of(home).first()
    if news_index is None:
        raise DatasetError(f"{force.name} has no news section to put articles in.")
    today = datetime.date.today()
    for number, (kind, headline) in enumerate(news_plan()):
        _publish(news_index, news_article(force, kind, headline, today, number))


def neighbourhood_page(force, name, contact):
    from home.models import ContentPage

    contact_link = (
        f'<a linktype="page" id="{contact.pk}">contact us</a>' if contact else "contact us"
    )
    return ContentPage(
        title=f"{name} neighbourhood team",
        slug=slugify(f"{name} neighbourhood team"),
        search_description=f"Who polices {name}, their priorities and how to reach them.",
        body=[
            _paragraph(
                f"<p>The {name} neighbourhood team works with residents, schools and businesses "
                f"to keep {name} safe. It is part of {force.name}.</p>"
            ),
            _heading("Our priorities"),
            _paragraph(
                "<p>You told us what matters most where you live. Until the next public "
                "meeting we are concentrating on:</p><ul><li>speeding on residential "
                "streets</li><li>antisocial behaviour in the park after dark</li><li>thefts "
                "from cars and vans</li></ul>"
            ),
            _heading("Meet the team"),
            _paragraph(
                f"<p>A sergeant, two constables and three police community support officers "
                f"cover {name}. You will see them on foot patrol and at our monthly street "
                "surgery.</p>"
            ),
            {
                "type": "callout",
                "value": {
                    "style": "inset",
                    "heading": "",
                    "text": f"<p>To reach the team, {contact_link} or call 101. In an emergency, "
                    "always call 999.</p>",
                },
            },
        ],
    )


def news_article(force, kind, headline, today, number):
    from home.models import NewsPage

    return NewsPage(
        title=headline,
        slug=news_slug(number),
        date=today - datetime.timedelta(days=number),
        kind=kind,
        search_description=f"{headline}: the latest from {force.name}.",
        body=[
            _paragraph(
                f"<p>Officers from {force.name} are asking anyone with information to come "
                "forward. The incident happened shortly after 9pm and officers attended within "
                "minutes.</p>"
            ),
            _paragraph(
                "<p>Detective Sergeant Jane Smith said: “We know that people were in the area "
                "at the time, and even the smallest detail could help our enquiries. If you "
                "have dashcam or doorbell footage, please check it.”</p>"
            ),
            _paragraph(
                f"<p>Anyone with information should call 101 quoting reference "
                f"{force.short_name}-{number + 1:04d}, or contact Crimestoppers anonymously on "
                "0800 555 111.</p>"
            ),
        ],
    )


# --- Publishing with every force -----------------------------------------------------------------


# National publishing before it was batched (issue 17), for the results beside the new figures:
# seconds from the bench runs of that time, queries counted with 43 forces (solh_perf-style
# database: the queries of a publication do not depend on the library's size).
PREVIOUS_PUBLISHING = {
    "new_page_seconds": "1.6–1.8",
    "edit_seconds": "0.7–0.9",
    "delete_seconds": "7.9",
    "new_page_queries": 2617,
    "edit_queries": 888,
}


class QueryCounter:
    """Counts the queries run on the default connection inside it."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc_info):
        return self._wrapper.__exit__(*exc_info)


def time_national_publishing():
    """Seconds (and queries) to publish a new national article, to publish an edit of it, and
    to delete it, with every force onboarded: each reaches every force's site in the same
    action. The article is deleted at the end, so the dataset stays as it was."""
    from forces.models import Force
    from home.models import ContentPage, HubPage

    hub = HubPage.objects.get()
    section = _national_library(hub).get_children().get(slug=NATIONAL_SECTION_SLUG).specific
    slug = f"bench-fan-out-{int(time.time())}"
    with QueryCounter() as new_queries:
        started = time.perf_counter()
        page = _publish(
            section,
            ContentPage(
                title="Fan-out timing article",
                slug=slug,
                search_description="How to recognise a scam, and what to do if you are targeted.",
                body=content_body(None, None),
            ),
        )
        new_page = time.perf_counter() - started
    copies = page.aliases.count()
    page.title = "Fan-out timing article (edited)"
    with QueryCounter() as edit_queries:
        started = time.perf_counter()
        page.save_revision().publish()
        edit = time.perf_counter() - started
    edited = page.aliases.filter(title=page.title, live=True).count()
    forces = Force.objects.count()
    with QueryCounter() as delete_queries:
        started = time.perf_counter()
        ContentPage.objects.get(pk=page.pk).delete()
        delete = time.perf_counter() - started
    if copies < forces:
        raise DatasetError(f"The national article reached {copies} of {forces} forces.")
    if edited != copies:
        raise DatasetError(f"The edit reached {edited} of the article's {copies} copies.")
    return {
        "forces": forces,
        "national_articles": summary()["national_articles"],
        "copies": copies,
        "new_page_seconds": round(new_page, 3),
        "edit_seconds": round(edit, 3),
        "delete_seconds": round(delete, 3),
        "new_page_queries": new_queries.count,
        "edit_queries": edit_queries.count,
        "delete_queries": delete_queries.count,
        "before": PREVIOUS_PUBLISHING,
    }


# --- Page bodies --------------------------------------------------------------------------------


def _paragraph(html):
    return {"type": "paragraph", "value": html}


def _heading(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


def content_body(force, contact):
    """Several paragraphs, headings, callouts, an accordion and links: a typical advice page."""
    contact_link = (
        f'<a linktype="page" id="{contact.pk}">contact us</a>' if contact else "contact us"
    )
    return [
        _paragraph(
            "<p>Most burglaries are opportunistic: a burglar looks for a home that seems empty "
            "and easy to get into. A few simple habits make your home a much less attractive "
            "target, and most of them cost nothing.</p>"
        ),
        {
            "type": "callout",
            "value": {
                "style": "warning",
                "heading": "",
                "text": "<p>If someone is breaking in now, or you think they are still inside, "
                "<b>call 999</b>. Do not go in or confront them.</p>",
            },
        },
        _heading("Doors and windows"),
        _paragraph(
            "<p>Around a third of burglars get in through an unlocked door or window. "
            "Before you go out or go to bed:</p>"
            "<ul><li>lock every door, including the back door and the door from the garage"
            "</li><li>lift uPVC door handles and turn the key to engage all the locks</li>"
            "<li>close and lock windows, especially on the ground floor and any you can reach "
            "from a flat roof</li><li>keep keys out of sight and away from the letterbox"
            "</li></ul>"
        ),
        _paragraph(
            "<p>Fit locks that meet British Standard BS 3621 to wooden doors, and make sure "
            "any new door or window is certified to PAS 24.</p>"
        ),
        _heading("When you are away"),
        _paragraph(
            "<p>Make your home look lived in. Use timer switches on lights and a radio, cancel "
            "deliveries, and ask a neighbour to collect post and put your bins out and back. "
            "Avoid posting on social media that you are away until you are home.</p>"
        ),
        {
            "type": "accordion",
            "value": {
                "items": [
                    {
                        "heading": "Sheds and garages",
                        "summary": "Tools left out help burglars get into your house.",
                        "content": "<p>Lock sheds and garages with a closed-shackle padlock, "
                        "and chain ladders and tools so they cannot be used to break in.</p>",
                    },
                    {
                        "heading": "Bikes",
                        "summary": "Mark and register your bike.",
                        "content": "<p>Use two good locks, keep bikes out of sight, and "
                        "register the frame number so we can return it if it is found.</p>",
                    },
                    {
                        "heading": "Car keys",
                        "summary": "Keyless cars can be stolen from your drive.",
                        "content": "<p>Keep keys away from the front door and store keyless "
                        "fobs in a signal-blocking pouch.</p>",
                    },
                    {
                        "heading": "Doorbell cameras and alarms",
                        "summary": "Visible security puts burglars off.",
                        "content": "<p>A visible alarm box and a doorbell camera deter many "
                        "burglars. Make sure cameras do not point at other homes.</p>",
                    },
                ]
            },
        },
        _heading("If you have been burgled"),
        _paragraph(
            "<p>Do not touch anything the burglar may have touched: we may be able to recover "
            f"fingerprints or DNA. Report it online or {contact_link}, and tell your insurer. "
            f"{force.name if force else 'Your local police'} will give you a crime reference "
            "number.</p>"
        ),
        _heading("Support for victims", "h3"),
        _paragraph(
            "<p>Being burgled can be upsetting long after the event. Victim Support offers "
            "free, confidential help whether or not you reported the crime.</p>"
        ),
        {
            "type": "callout",
            "value": {
                "style": "inset",
                "heading": "",
                "text": "<p>You can give information about crime anonymously to the independent "
                "charity Crimestoppers on 0800 555 111.</p>",
            },
        },
        {
            "type": "link_list",
            "value": {
                "heading": "Related",
                "links": [
                    {
                        "title": "Victim Support",
                        "page": None,
                        "url": "https://www.victimsupport.org.uk/",
                    },
                    {
                        "title": "Secured by Design: home security",
                        "page": None,
                        "url": "https://www.securedbydesign.com/",
                    },
                ],
            },
        },
    ]


def summary():
    """How big the dataset is, for the results file."""
    from wagtail.models import Page, Site

    from forces.models import Force
    from home.models import ContentPage, HubPage, NewsPage

    hub = HubPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    national = 0
    if hub is not None:
        national = ContentPage.objects.descendant_of(_national_library(hub)).count()
    return {
        "forces": Force.objects.count(),
        "sites": Site.objects.count(),
        "pages": Page.objects.count(),
        "aliases": Page.objects.filter(alias_of__isnull=False).count(),
        "national_articles": national,
        "content_pages": ContentPage.objects.count(),
        # The forces' own (a bilingual force's Welsh site shows them through aliases).
        "news_pages": NewsPage.objects.filter(alias_of__isnull=True).count(),
        "forces_with_bench_content": "all",
        "first_forces": list(CONTENT_FORCES),
    }


def main(argv):
    """``python -m tests.bench.dataset fill SLUG ...`` (run by ``ContentFiller``)."""
    if len(argv) < 2 or argv[0] != "fill":
        print("usage: python -m tests.bench.dataset fill SLUG ...", file=sys.stderr)
        return 2
    import django

    django.setup()
    try:
        fill(argv[1:])
    except DatasetError as error:
        print(f"Failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    # Through the module's own name, as tests.bench.run does.
    from tests.bench.dataset import main as dataset_main

    sys.exit(dataset_main(sys.argv[1:]))
