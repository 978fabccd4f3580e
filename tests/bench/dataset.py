"""The benchmark's dataset: a fresh PostgreSQL database holding every force, with real content.

Built in steps so the runner can measure between them (queries per page with the first three
forces, then again with all 43):

1. ``recreate_database``: drop and create the bench database (through the ``postgres``
   maintenance database), before Django opens any connection to it;
2. ``migrate``: ``manage.py migrate`` under the bench settings;
3. ``onboard_first_forces``: the hub and the three forces of the decision paper, read from the
   forces CSV, each given a content page and news articles (``add_content``), and the national
   demo reporting journeys (on every force's site at ``/report/``);
4. ``onboard_all_forces``: ``manage.py onboard_force --from-csv`` for all 43 forces (the first
   three come out "unchanged").
"""

import datetime
import io
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parents[2]
FORCES_CSV = REPO / "forces" / "data" / "forces.csv"

# The forces onboarded first and given content; the first one is the one the scenarios measure.
CONTENT_FORCES = ("met", "thames-valley", "hampshire")
MEASURED_FORCE = CONTENT_FORCES[0]

CONTENT_SLUG = "protect-your-home-from-burglary"
CONTENT_TITLE = "Protect your home from burglary"
# The content page is the force's own page inside its copy of the national advice library.
CONTENT_PATH = f"/advice/{CONTENT_SLUG}/"
# A national article, written once on the hub and shown on every force's site.
NATIONAL_SLUG = "spot-and-avoid-scams"
NATIONAL_TITLE = "Spot and avoid scams"
NATIONAL_PATH = f"/advice/{NATIONAL_SLUG}/"
NEWS_PER_FORCE = 12
# The national road traffic incident journey (``reporting.demo_journeys``), on a force's site.
REPORT_JOURNEY_SLUG = "road-traffic-incident"
REPORT_JOURNEY_PATH = f"/report/{REPORT_JOURNEY_SLUG}/"

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


class DatasetError(Exception):
    """The dataset could not be built; the message says why and what to do."""


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


def onboard_first_forces():
    """The hub and ``CONTENT_FORCES`` (from the CSV, as the full onboarding will see them)."""
    from forces.onboarding import ensure_hub, onboard_force

    specs = {spec.slug: spec for spec in _csv_specs()}
    missing = [slug for slug in CONTENT_FORCES if slug not in specs]
    if missing:
        raise DatasetError(f"{FORCES_CSV} has no row for {', '.join(missing)}.")
    hub = ensure_hub()
    forces = [onboard_force(specs[slug]).force for slug in CONTENT_FORCES]
    for force in forces:
        add_content(force)
    publish_national_article(hub, NATIONAL_SLUG, NATIONAL_TITLE)
    publish_report_journeys()
    return forces


def publish_report_journeys():
    """The national demo journeys under the hub's report hub (so on every force's site).

    Safe to run again: a journey already there is left as it is.
    """
    from forces.demo import seed_national_journeys
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


def _national_library(hub):
    from home.models import SectionPage

    library = SectionPage.objects.child_of(hub).filter(slug="advice").first()
    if library is None:
        raise DatasetError("The hub has no /advice/ section (the national library).")
    return library


def publish_national_article(hub, slug, title):
    """Publish a national advice article on the hub; syndication copies it to every force."""
    from home.models import ContentPage

    return _publish(
        _national_library(hub),
        ContentPage(
            title=title,
            slug=slug,
            search_description="How to recognise a scam, and what to do if you are targeted.",
            body=content_body(None, None),
        ),
    )


def time_national_publishing():
    """Seconds to publish a new national article, then an edit of it, with every force
    onboarded: each publish reaches every force's site in the same action."""
    from forces.models import Force
    from home.models import HubPage

    hub = HubPage.objects.get()
    started = time.perf_counter()
    page = publish_national_article(hub, "bench-fan-out", "Fan-out timing article")
    new_page = time.perf_counter() - started
    page.title = "Fan-out timing article (edited)"
    started = time.perf_counter()
    page.save_revision().publish()
    edit = time.perf_counter() - started
    copies = page.aliases.count()
    forces = Force.objects.count()
    if copies != forces:
        raise DatasetError(f"The national article reached {copies} of {forces} forces.")
    return {
        "forces": forces,
        "new_page_seconds": round(new_page, 3),
        "edit_seconds": round(edit, 3),
    }


def onboard_all_forces():
    """Every force in the CSV, through the operator's command."""
    _run_command("onboard_force", from_csv=str(FORCES_CSV))
    from forces.models import Force

    return Force.objects.count()


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


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def add_content(force):
    """A realistic advice page in the force's advice section, and its news and appeals."""
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
    news_index = NewsIndexPage.objects.child_of(home).first()
    if news_index is None:
        raise DatasetError(f"{force.name} has no news section to put articles in.")
    today = datetime.date.today()
    for number, (kind, headline) in enumerate(NEWS_HEADLINES[:NEWS_PER_FORCE]):
        _publish(news_index, news_article(force, kind, headline, today, number))


def news_article(force, kind, headline, today, number):
    from home.models import NewsPage

    return NewsPage(
        title=headline,
        slug=f"news-{number + 1:02d}",
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
    from home.models import ContentPage, NewsPage

    return {
        "forces": Force.objects.count(),
        "sites": Site.objects.count(),
        "pages": Page.objects.count(),
        "content_pages": ContentPage.objects.count(),
        "news_pages": NewsPage.objects.count(),
        "forces_with_bench_content": list(CONTENT_FORCES),
    }
