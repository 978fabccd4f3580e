"""The demo: the national hub, the three forces of the decision paper and a Welsh force, with
content and users.

``seed_demo`` builds it through the same services the platform uses (``ensure_hub`` and
``onboard_force``), then adds each demo force's contact details, a generated logo, news, appeals
and local advice, national advice on the hub, and a demo user for every role. Dyfed-Powys Police
is bilingual: some national advice and the road traffic journey are translated into Welsh (as the
national team would, once), so its Welsh site shows them in Welsh. It is idempotent:
pages are looked up by slug under their parent before they are created, users are updated in
place, and logos are made once. Pages that already exist are left alone, so an editor's changes
to the demo survive a re-seed.

The demo's text lives in ``demo.content``.
"""

import datetime
import io
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone, translation

from wagtail.images import get_image_model
from wagtail.models import Page, Site

from PIL import Image, ImageDraw, ImageFont

import forces
from forces.management.commands.onboard_force import csv_specs
from forces.models import Force, LocalisedPage
from forces.national import bilingual
from forces.onboarding import ForceSpec, OnboardingError, ensure_hub, onboard_force, validate_spec
from forces.permissions import role_group
from forces.roles import (
    FORCE_ADMIN,
    FORCE_EDITOR,
    FORCE_MODERATOR,
    NATIONAL_APPROVER_FORCES,
    NATIONAL_APPROVER_MPS,
    NATIONAL_EDITOR,
    REPORT_HANDLER,
)
from forces.starter_content import NATIONAL_LIBRARY_SLUG
from home.models import ContentPage, NewsIndexPage, NewsPage, SectionPage
from neighbourhoods.demo import seed_neighbourhoods

from .content import hampshire, met, national, thames_valley, welsh

# Printed for everyone by ``make demo``: a demo password, never a real one.
DEMO_PASSWORD = "police-demo-2026"  # noqa: S105
# A fixed salt makes the stored hash the same on every run, so a re-seed can tell, without
# re-hashing, that a demo user's password is already the demo password. Long enough (22+
# characters) that Django does not ask to re-hash it at login.
DEMO_PASSWORD_SALT = "singleonlinehomedemosalt"  # noqa: S105

# The demo forces deliver reports to the demo back office (``manage.py demo_receiver``), which
# ``make demo`` starts beside the web server, with this shared secret.
DEMO_WEBHOOK_SECRET = "demo-webhook-secret-not-for-production"  # noqa: S105
DEMO_RECEIVER_PORT = 8025
FORCES_CSV = Path(forces.__file__).resolve().parent / "data" / "forces.csv"
SUPERUSER = "superuser"
NATIONAL = "national"


@dataclass(frozen=True)
class DemoForce:
    """A demo force: how it is onboarded, and the contact details it is given."""

    slug: str
    name: str
    short_name: str
    user_prefix: str
    primary_colour: str
    email: str
    address: str
    facebook_url: str
    x_url: str
    instagram_url: str
    youtube_url: str
    phone_non_emergency: str = "101"
    phone_textphone: str = "18001 101"
    welsh_name: str | None = None
    country: str | None = None
    languages: str | None = None

    def spec(self):
        return ForceSpec(
            slug=self.slug,
            name=self.name,
            hostname=f"{self.slug}.{settings.BASE_DOMAIN}",
            short_name=self.short_name,
            primary_colour=self.primary_colour,
            welsh_name=self.welsh_name,
            country=self.country,
            languages=self.languages,
        )

    def contact_settings(self):
        """The ``Force`` fields this demo force fills in."""
        return {
            "phone_non_emergency": self.phone_non_emergency,
            "phone_textphone": self.phone_textphone,
            "email": self.email,
            "address": self.address,
            "facebook_url": self.facebook_url,
            "x_url": self.x_url,
            "instagram_url": self.instagram_url,
            "youtube_url": self.youtube_url,
        }


# Contact details are plausible but unmistakably demo: example domains, made-up PO boxes and the
# reserved .example top-level domain for social media.
DEMO_FORCES = [
    DemoForce(
        slug="met",
        name="Metropolitan Police Service",
        short_name="MPS",
        user_prefix="met",
        primary_colour="#00205b",
        email="enquiries@met.example.police.uk",
        address="Public enquiries (demo address)\nPO Box 1234\nLondon\nSW1P 0DE",
        facebook_url="https://www.facebook.example/metpolicedemo",
        x_url="https://x.example/metpolicedemo",
        instagram_url="https://www.instagram.example/metpolicedemo",
        youtube_url="https://www.youtube.example/@metpolicedemo",
    ),
    DemoForce(
        slug="thames-valley",
        name="Thames Valley Police",
        short_name="TVP",
        user_prefix="tvp",
        primary_colour="#1f4e79",
        email="enquiries@thames-valley.example.police.uk",
        address="Public enquiries (demo address)\nPO Box 2345\nKidlington\nOX5 0DE",
        facebook_url="https://www.facebook.example/thamesvalleypolicedemo",
        x_url="https://x.example/tvpdemo",
        instagram_url="https://www.instagram.example/thamesvalleypolicedemo",
        youtube_url="https://www.youtube.example/@thamesvalleypolicedemo",
    ),
    DemoForce(
        slug="hampshire",
        name="Hampshire and Isle of Wight Constabulary",
        short_name="HIOW",
        user_prefix="hampshire",
        primary_colour="#005a5b",
        email="enquiries@hampshire.example.police.uk",
        address="Public enquiries (demo address)\nPO Box 3456\nEastleigh\nSO50 0DE",
        facebook_url="https://www.facebook.example/hampshirepolicedemo",
        x_url="https://x.example/hantspolicedemo",
        instagram_url="https://www.instagram.example/hampshirepolicedemo",
        youtube_url="https://www.youtube.example/@hampshirepolicedemo",
    ),
]

DEMO_CONTENT = {"met": met, "thames-valley": thames_valley, "hampshire": hampshire}

# A bilingual Welsh force: the national content translated into Welsh is its demo content.
DYFED_POWYS = DemoForce(
    slug="dyfed-powys",
    name="Dyfed-Powys Police",
    welsh_name="Heddlu Dyfed-Powys",
    short_name="DPP",
    user_prefix="dpp",
    primary_colour="#173f5f",
    email="enquiries@dyfed-powys.example.police.uk",
    address="Public enquiries (demo address)\nPO Box 4567\nCarmarthen\nSA31 0DE",
    facebook_url="https://www.facebook.example/dyfedpowyspolicedemo",
    x_url="https://x.example/dppdemo",
    instagram_url="https://www.instagram.example/dyfedpowyspolicedemo",
    youtube_url="https://www.youtube.example/@dyfedpowyspolicedemo",
    country="wales",
    languages="en,cy",
)
WELSH_DEMO_FORCES = [DYFED_POWYS]
ALL_DEMO_FORCES = [*DEMO_FORCES, *WELSH_DEMO_FORCES]


@dataclass(frozen=True)
class DemoUser:
    """A demo login. ``role`` is None for the superuser; force roles name a force by slug."""

    username: str
    first_name: str
    last_name: str
    role: str | None = None
    force_slug: str | None = None

    @property
    def email(self):
        return f"{self.username}@example.com"


FORCE_USER_NAMES = {
    "met": [("Tom", "Richards"), ("Aisha", "Begum"), ("Gareth", "Hughes"), ("Hannah", "Clarke")],
    "thames-valley": [
        ("Oliver", "Grant"),
        ("Fatima", "Hussain"),
        ("Rachel", "Turner"),
        ("Daniel", "Price"),
    ],
    "hampshire": [("Emily", "Walsh"), ("James", "Cooper"), ("Nadia", "Rahman"), ("Chris", "Baker")],
    "dyfed-powys": [
        ("Rhys", "Jones"),
        ("Ffion", "Evans"),
        ("Dafydd", "Williams"),
        ("Catrin", "Lloyd"),
    ],
}
FORCE_USER_ROLES = [
    ("editor", FORCE_EDITOR),
    ("moderator", FORCE_MODERATOR),
    ("admin", FORCE_ADMIN),
    ("reports", REPORT_HANDLER),
]

DEMO_USERS = [
    DemoUser("admin", "Alex", "Morgan"),
    DemoUser("national-editor", "Priya", "Shah", NATIONAL_EDITOR),
    DemoUser("approver-mps", "David", "Okafor", NATIONAL_APPROVER_MPS),
    DemoUser("approver-forces", "Sarah", "Lewis", NATIONAL_APPROVER_FORCES),
    *(
        DemoUser(f"{demo.user_prefix}-{suffix}", first, last, role, demo.slug)
        for demo in ALL_DEMO_FORCES
        for (suffix, role), (first, last) in zip(
            FORCE_USER_ROLES, FORCE_USER_NAMES[demo.slug], strict=True
        )
    ),
]

ABILITIES = {
    SUPERUSER: "Everything, on every site",
    NATIONAL_EDITOR: "Writes national advice in the hub's tree",
    NATIONAL_APPROVER_MPS: "The MPS half of national approval",
    NATIONAL_APPROVER_FORCES: "The other forces' half of national approval",
    FORCE_EDITOR: "Edits {force} pages and media; moderators approve",
    FORCE_MODERATOR: "Approves and publishes {force} pages",
    FORCE_ADMIN: "Manages {force} pages, media and settings",
    REPORT_HANDLER: "Reads and exports reports made to {force} (Public reports)",
}


@dataclass
class SeedResult:
    """What a run of ``seed_demo`` did, and the demo sites as ``(name, url)``."""

    sites: list = field(default_factory=list)
    pages_created: int = 0
    users_created: int = 0
    logos_created: int = 0


def _write(stdout, message):
    if stdout is not None:
        stdout.write(message if message.endswith("\n") else message + "\n")


def _report(stdout, onboarding, prefix=""):
    if onboarding.created:
        status = "created"
    elif onboarding.changed:
        status = "updated: " + "; ".join(str(change) for change in onboarding.changes)
    else:
        status = "unchanged"
    force = onboarding.force
    _write(stdout, f"{prefix}{force.name} ({force.site.root_url}): {status}")


def demo_logins():
    """Every demo login as ``(username, role, force name or "national", what they can do)``."""
    names = {demo.slug: demo for demo in ALL_DEMO_FORCES}
    rows = []
    for user in DEMO_USERS:
        role = user.role or SUPERUSER
        force = names[user.force_slug] if user.force_slug else None
        ability = ABILITIES[role].format(force=force.short_name if force else "")
        rows.append((user.username, role, force.name if force else NATIONAL, ability))
    return rows


def print_logins(stdout=None):
    """Print the demo logins as an aligned table (to ``stdout``, standard output by default)."""
    stdout = stdout or sys.stdout
    header = ("Username", "Role", "Force", "What they can do")
    rows = demo_logins()
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(3)]

    def line(cells):
        padded = [cell.ljust(width) for cell, width in zip(cells[:3], widths, strict=True)]
        return "  ".join([*padded, cells[3]])

    _write(stdout, line(header))
    _write(stdout, line(tuple("-" * len(cell) for cell in header)))
    for row in rows:
        _write(stdout, line(row))


def onboard_all_forces(stdout=None):
    """Onboard (or update) every force in ``forces/data/forces.csv``, one progress line each.

    Raises ``OnboardingError`` if a row is invalid.
    """
    specs = csv_specs(FORCES_CSV, settings.BASE_DOMAIN)
    width = len(str(len(specs)))
    for number, spec in enumerate(specs, start=1):
        _report(stdout, onboard_force(spec), prefix=f"[{number:>{width}}/{len(specs)}] ")
    return len(specs)


@transaction.atomic
def _add_once(parent, page):
    """Add ``page`` under ``parent`` and publish it, unless ``parent`` has a page with its slug."""
    if parent.get_children().filter(slug=page.slug).exists():
        return False
    parent.add_child(instance=page)
    page.save_revision().publish()
    return True


def _advice_page(advice):
    return ContentPage(
        title=advice.title,
        slug=advice.slug,
        search_description=advice.summary,
        is_sensitive=advice.is_sensitive,
        body=advice.body,
    )


def _news_page(article, today):
    date = article.date(today)
    return NewsPage(
        title=article.title,
        slug=article.slug,
        date=date,
        kind=article.kind,
        search_description=article.summary_for(date),
        body=article.body_for(date),
        # Listed as published on its own date, so the admin's history reads like a real site's.
        first_published_at=timezone.make_aware(datetime.datetime.combine(date, datetime.time(9))),
    )


def _section_page(section):
    return SectionPage(
        title=section.title,
        slug=section.slug,
        intro=section.intro,
        search_description=section.summary,
        is_sensitive=section.is_sensitive,
    )


def seed_national_content(hub, stdout=None):
    """Add the national advice library under the hub's advice section; return how many were new.

    Each topic is a section page under ``/advice/``, made before the articles that go in it.
    """
    advice = SectionPage.objects.child_of(hub).filter(slug="advice").first()
    if advice is None:
        _write(stdout, "National advice: skipped, the hub has no advice section.")
        return 0
    created = 0
    for section in national.SECTIONS:
        created += _add_once(advice, _section_page(section))
        page = advice.get_children().filter(slug=section.slug).specific().first()
        if not isinstance(page, SectionPage):
            _write(
                stdout,
                f"National advice: skipped {section.title}, /advice/{section.slug}/ "
                "is not a section.",
            )
            continue
        created += sum(_add_once(page, _advice_page(article)) for article in section.articles)
    _write(
        stdout,
        f"National advice: {len(national.SECTIONS)} sections, {len(national.ADVICE)} articles "
        f"({created} new pages)",
    )
    return created


def seed_national_journeys(hub, stdout=None):
    """Publish the demo reporting journeys under the hub's report hub (so on every force site);
    return how many were new."""
    from demo.journeys import national_journeys
    from reporting.models import ReportHubPage, ReportJourneyPage

    report_hub = ReportHubPage.objects.child_of(hub).first()
    if report_hub is None:
        _write(stdout, "National journeys: skipped, the hub has no report hub.")
        return 0
    created = 0
    for data in national_journeys():
        page = ReportJourneyPage(**data)
        # As the editor would store them, which wagtail-localize needs to translate them.
        page.steps = bilingual.stored_stream(ReportJourneyPage._meta.get_field("steps"), page.steps)
        created += _add_once(report_hub, page)
    _write(stdout, f"National journeys: {len(national_journeys())} ({created} new)")
    return created


@transaction.atomic
def _translate_once(page, welsh_page):
    """Translate ``page`` into Welsh with ``welsh_page`` unless it is translated already."""
    translated = Page.objects.filter(
        translation_key=page.translation_key,
        locale__language_code=bilingual.WELSH,
        alias_of__isnull=True,
    )
    if translated.exists():
        return False
    bilingual.translate(page, welsh_page)
    return True


def seed_welsh_content(hub, stdout=None):
    """Translate some of the national library and the road traffic journey into Welsh (from
    ``demo_content.welsh`` and the Welsh catalogue), once; return how many pages were new.

    Every Welsh force's site shows them in Welsh; the rest stays in English there, with a note.
    """
    from demo.journeys import national_journeys
    from reporting.models import ReportHubPage, ReportJourneyPage

    _english_hub, welsh_hub = bilingual.hub_pages()
    if welsh_hub is None:
        _write(stdout, "Welsh: skipped, no force is bilingual.")
        return 0
    created = 0
    advice = SectionPage.objects.child_of(hub).filter(slug=NATIONAL_LIBRARY_SLUG).first()
    for section in welsh.SECTIONS if advice is not None else []:
        page = advice.get_children().filter(slug=section.slug).first()
        if page is None:
            continue
        created += _translate_once(page, _section_page(section))
        for article in section.articles:
            child = page.get_children().filter(slug=article.slug).first()
            if child is not None:
                created += _translate_once(child, _advice_page(article))
    report_hub = ReportHubPage.objects.child_of(hub).first()
    if report_hub is not None:
        with translation.override(bilingual.WELSH):
            journeys = {data["slug"]: data for data in national_journeys()}
        for slug in welsh.JOURNEYS:
            page = report_hub.get_children().filter(slug=slug).first()
            if page is not None:
                created += _translate_once(page, ReportJourneyPage(**journeys[slug]))
    _write(
        stdout,
        f"Welsh: {len(welsh.SECTIONS)} sections, {len(welsh.ADVICE)} articles and "
        f"{len(welsh.JOURNEYS)} journey translated ({created} new)",
    )
    return created


def configure_demo_delivery(force):
    """Deliver the force's reports to the demo back office (``manage.py demo_receiver``)."""
    url = f"http://127.0.0.1:{DEMO_RECEIVER_PORT}/{force.slug}/"
    if force.webhook_url == url and force.get_webhook_secret() == DEMO_WEBHOOK_SECRET:
        return False
    force.webhook_url = url
    force.set_webhook_secret(DEMO_WEBHOOK_SECRET)
    force.save(update_fields=["webhook_url", "webhook_secret"])
    return True


def _local_advice_parent(advice_section, item):
    """Where a force's own advice page goes: straight into the force's copy of the national
    advice section, or, when the library has a section at its slug there (the same topic),
    into that national section as a local page of the force's own. ``None`` when the slug is a
    national article's."""
    taken = advice_section.get_children().filter(slug=item.slug).specific().first()
    taken_by_library = taken is not None and (
        taken.alias_of_id is not None or LocalisedPage.objects.filter(page=taken).exists()
    )
    if not taken_by_library:
        return advice_section
    return taken if isinstance(taken, SectionPage) else None


def seed_force_content(force, content, today=None, stdout=None):
    """Add a force's news, appeals and local advice from a ``demo_content`` module.

    News goes under the force's news index. Advice goes, as the force's own local pages, into
    the force's copy of the national advice library at ``/advice/`` (made by onboarding), or
    into the national section on the same topic (see ``_local_advice_parent``). Returns how
    many pages were new.
    """
    today = today or timezone.localdate()
    home = force.site.root_page
    created = 0
    news_index = NewsIndexPage.objects.child_of(home).first()
    if news_index is None:
        _write(stdout, f"{force.name}: no news index, so no news was added.")
    else:
        created += sum(_add_once(news_index, _news_page(item, today)) for item in content.NEWS)
    advice_section = SectionPage.objects.child_of(home).filter(slug=NATIONAL_LIBRARY_SLUG).first()
    if advice_section is None:
        _write(stdout, f"{force.name}: no advice section, so no advice was added.")
    else:
        for item in content.ADVICE:
            parent = _local_advice_parent(advice_section, item)
            if parent is None:
                _write(stdout, f"{force.name}: /advice/{item.slug}/ is national: skipped.")
            else:
                created += _add_once(parent, _advice_page(item))
    _write(
        stdout,
        f"{force.name}: {len(content.NEWS)} news articles and appeals, "
        f"{len(content.ADVICE)} advice pages ({created} new)",
    )
    return created


def update_force_settings(force, demo):
    """Fill in the force's contact details and social media links; return the changed fields."""
    wanted = demo.contact_settings()
    changed = [name for name, value in wanted.items() if getattr(force, name) != value]
    if changed:
        for name in changed:
            setattr(force, name, wanted[name])
        force.full_clean(exclude=["site", "collection"])
        force.save(update_fields=changed)
    return changed


# The logo is drawn at 4 times its size and scaled down, which smooths its edges.
LOGO_SIZE = (160, 192)
LOGO_SCALE = 4


def _font(size):
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size)
    except OSError:
        return ImageFont.load_default(size=size)


def _quadratic(start, control, end, t):
    return tuple(
        (1 - t) ** 2 * a + 2 * (1 - t) * t * b + t**2 * c
        for a, b, c in zip(start, control, end, strict=True)
    )


def _arc(centre, radius, start, end, steps):
    return [
        (
            centre[0] + radius * math.cos(start + (end - start) * step / steps),
            centre[1] + radius * math.sin(start + (end - start) * step / steps),
        )
        for step in range(steps + 1)
    ]


def _shield(left, top, right, bottom, corner, steps=32):
    """Points outlining a shield: rounded top corners, straight sides curving to a point."""
    shoulder = top + (bottom - top) * 0.5
    middle = (left + right) / 2
    bend = bottom - (bottom - top) * 0.12
    points = _arc((right - corner, top + corner), corner, -math.pi / 2, 0, steps)
    points += [
        _quadratic((right, shoulder), (right, bend), (middle, bottom), step / steps)
        for step in range(steps + 1)
    ]
    points += [
        _quadratic((middle, bottom), (left, bend), (left, shoulder), step / steps)
        for step in range(steps + 1)
    ]
    points += _arc((left + corner, top + corner), corner, math.pi, 3 * math.pi / 2, steps)
    return points


def logo_png(short_name, colour):
    """A shield in ``colour`` with ``short_name`` in white, outlined in white, as PNG bytes.

    The white outline keeps the shield visible on a header of the same colour.
    """
    width, height = (side * LOGO_SCALE for side in LOGO_SIZE)
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    border = width * 0.05
    draw.polygon(_shield(0, 0, width, height, corner=width * 0.14), fill="white")
    draw.polygon(
        _shield(border, border, width - border, height - border * 1.6, corner=width * 0.1),
        fill=colour,
    )
    inset = width * 0.11
    outline = _shield(inset, inset, width - inset, height - inset * 1.7, corner=width * 0.06)
    draw.line([*outline, outline[0]], fill="white", width=round(width * 0.012), joint="curve")

    size = round(width * 0.34)
    font = _font(size)
    while size > 12:
        font = _font(size)
        box = draw.textbbox((0, 0), short_name, font=font)
        if box[2] - box[0] <= width * 0.62:
            break
        size -= 4
    box = draw.textbbox((0, 0), short_name, font=font)
    left = (width - (box[2] - box[0])) / 2 - box[0]
    top = height * 0.42 - (box[3] - box[1]) / 2 - box[1]
    draw.text((left, top), short_name, font=font, fill="white")
    bar_top = height * 0.42 + (box[3] - box[1]) / 2 + height * 0.05
    draw.rectangle((width * 0.36, bar_top, width * 0.64, bar_top + height * 0.018), fill="white")

    image = image.resize(LOGO_SIZE, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def ensure_logo(force):
    """Give the force a generated logo in its media collection, unless it has one already.

    Returns True if a logo was made.
    """
    if force.logo_id is not None:
        return False
    image_model = get_image_model()
    title = f"{force.name} logo"
    images = image_model.objects.filter(title=title)
    if force.collection is not None:
        images = images.filter(collection=force.collection)
    image = images.first()
    created = image is None
    if created:
        image = image_model(title=title, description=title)
        if force.collection is not None:
            image.collection = force.collection
        image.file = ImageFile(
            io.BytesIO(logo_png(force.short_name, force.primary_colour)),
            name=f"{force.slug}-logo.png",
        )
        image._set_image_file_metadata()
        image.save()
    force.logo = image
    force.save(update_fields=["logo"])
    return created


@transaction.atomic
def seed_users(stdout=None):
    """Create or update a demo user for every role; return how many were new.

    Each holds exactly its demo role and the demo password.
    """
    user_model = get_user_model()
    password = make_password(DEMO_PASSWORD, salt=DEMO_PASSWORD_SALT)
    forces = {force.slug: force for force in Force.objects.all()}
    created_count = 0
    for demo_user in DEMO_USERS:
        is_superuser = demo_user.role is None
        user, created = user_model.objects.update_or_create(
            username=demo_user.username,
            defaults={
                "first_name": demo_user.first_name,
                "last_name": demo_user.last_name,
                "email": demo_user.email,
                "is_active": True,
                "is_staff": is_superuser,
                "is_superuser": is_superuser,
            },
        )
        created_count += created
        if user.password != password:
            user.password = password
            user.save(update_fields=["password"])
        groups = []
        if demo_user.role:
            group = role_group(demo_user.role, forces.get(demo_user.force_slug))
            if group is None:
                raise RuntimeError(
                    f"The {demo_user.role} group for {demo_user.force_slug or 'the hub'} is "
                    "missing: onboarding should have made it."
                )
            groups.append(group)
        if set(user.groups.all()) != set(groups):
            user.groups.set(groups)
    _write(stdout, f"Demo users: {len(DEMO_USERS)} ({created_count} new)")
    return created_count


def demo_sites():
    """The hub and the demo forces' sites as ``(name, url)``, hub first."""
    hub = Site.objects.filter(is_default_site=True).first()
    sites = [(hub.site_name, hub.root_url)] if hub else []
    forces = Force.objects.select_related("site").filter(
        slug__in=[demo.slug for demo in ALL_DEMO_FORCES]
    )
    by_slug = {force.slug: force for force in forces}
    sites += [
        (by_slug[demo.slug].name, by_slug[demo.slug].site.root_url)
        for demo in ALL_DEMO_FORCES
        if demo.slug in by_slug
    ]
    return sites


def check_specs(specs):
    """Raise ``OnboardingError`` with every problem in ``specs``, before anything is written."""
    errors = []
    for spec in specs:
        existing = Force.objects.select_related("site").filter(slug=spec.slug).first()
        errors += validate_spec(spec, existing)
    if errors:
        raise OnboardingError(errors)


@translation.override(settings.LANGUAGE_CODE)  # the English content in English, always
def seed_demo(all_forces=False, stdout=None):
    """Seed the demo: hub, the three demo forces with their content, Dyfed-Powys Police in
    English and Welsh, and a user for every role.

    With ``all_forces``, also onboard every force in ``forces/data/forces.csv``. Progress goes to
    ``stdout`` if given. Safe to run again: nothing is duplicated, and existing pages are left as
    they are. Returns a ``SeedResult``.

    Every force's settings are checked first (``OnboardingError``, with nothing written). Then
    each step commits on its own (a force, a page, a force's settings, the users), so no single
    transaction holds SQLite's write lock for the whole seed; a seed that stops part way is
    finished by running it again.
    """
    specs = [demo.spec() for demo in ALL_DEMO_FORCES]
    check_specs(specs + (csv_specs(FORCES_CSV, settings.BASE_DOMAIN) if all_forces else []))
    result = SeedResult()
    today = timezone.localdate()
    hub = ensure_hub()
    forces = []
    for spec in specs:
        onboarding = onboard_force(spec)
        _report(stdout, onboarding)
        forces.append(onboarding.force)
    if all_forces:
        onboard_all_forces(stdout)
    result.pages_created += seed_national_content(hub, stdout)
    result.pages_created += seed_national_journeys(hub, stdout)
    result.pages_created += seed_welsh_content(hub, stdout)
    for demo, force in zip(ALL_DEMO_FORCES, forces, strict=True):
        with transaction.atomic():
            force.refresh_from_db()
            update_force_settings(force, demo)
            configure_demo_delivery(force)
            result.logos_created += ensure_logo(force)
        if demo.slug in DEMO_CONTENT:
            content = DEMO_CONTENT[demo.slug]
            result.pages_created += seed_force_content(force, content, today, stdout)
        result.pages_created += seed_neighbourhoods(force, today, stdout)
    result.users_created = seed_users(stdout)
    result.sites = demo_sites()
    return result
