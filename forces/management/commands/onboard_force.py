"""Create or update a force (or every force in a CSV) with everything it needs."""

import csv
import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from forces.models import Country, Force
from forces.onboarding import ForceSpec, OnboardingError, onboard_force, validate_spec

CSV_COLUMNS = {"slug", "name"}
# Where --webhook-secret comes from when it is not given, so the secret stays out of the shell's
# history and the process list.
WEBHOOK_SECRET_VARIABLE = "SOLH_WEBHOOK_SECRET"  # noqa: S105 (a name, not a secret)


def csv_specs(path, base_domain):
    """Read ``ForceSpec`` objects from a forces CSV; raise ``CommandError`` on bad rows."""
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = CSV_COLUMNS - set(reader.fieldnames or [])
            if missing:
                raise CommandError(
                    f"{path} is missing the column(s) {', '.join(sorted(missing))}; "
                    "it needs at least slug and name."
                )
            rows = list(reader)
    except FileNotFoundError as error:
        raise CommandError(f"There is no file at {path}.") from error
    except UnicodeDecodeError as error:
        raise CommandError(f"{path} is not a UTF-8 text file.") from error
    if not rows:
        raise CommandError(f"{path} has no forces in it.")
    specs = []
    for row in rows:
        slug = (row.get("slug") or "").strip()
        country = (row.get("country") or "").strip().lower() or None
        specs.append(
            ForceSpec(
                slug=slug,
                name=(row.get("name") or "").strip(),
                hostname=f"{slug}.{base_domain}",
                short_name=(row.get("short_name") or "").strip() or None,
                welsh_name=(row.get("welsh_name") or "").strip() or None,
                country=country,
                primary_colour=(row.get("primary_colour") or "").strip() or None,
                secondary_colour=(row.get("secondary_colour") or "").strip() or None,
                languages=(row.get("languages") or "").strip() or None,
            )
        )
    return specs


class Command(BaseCommand):
    help = (
        "Onboard a police force: its site, home and starter pages, theme, media collection, "
        "role groups and permissions, moderation workflow, and where its reports are "
        "delivered. Safe to run again: it only changes what differs."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", help="The force's slug, e.g. thames-valley.")
        parser.add_argument("--name", help="Full name, e.g. 'Thames Valley Police'.")
        parser.add_argument("--hostname", help="The site's hostname, e.g. thamesvalley.police.uk.")
        parser.add_argument("--short-name", help="Short name, e.g. TVP.")
        parser.add_argument("--welsh-name", help="The force's name in Welsh.")
        parser.add_argument("--country", choices=Country.values)
        parser.add_argument("--primary-colour", help="Header colour, '#rrggbb'.")
        parser.add_argument("--secondary-colour", help="Accent colour, '#rrggbb'.")
        parser.add_argument("--languages", help="Language codes, English first: en or en,cy.")
        parser.add_argument("--port", type=int, help="Site port (default: SITE_PORT).")
        delivery = parser.add_argument_group(
            "report delivery", "Where the force's reports go; an option left out keeps its value."
        )
        delivery.add_argument(
            "--webhook-url",
            metavar="URL",
            help="The back office's http(s) address for signed JSON reports ('' removes it).",
        )
        delivery.add_argument(
            "--webhook-secret",
            metavar="SECRET",
            help="The secret (16+ characters) that signs them; better set in the environment "
            f"variable {WEBHOOK_SECRET_VARIABLE}, which is used when this is left out.",
        )
        delivery.add_argument(
            "--reports-email",
            metavar="ADDRESS",
            help="The force's reports inbox ('' removes it).",
        )
        delivery.add_argument(
            "--retention-days",
            type=int,
            metavar="N",
            help="Days to keep reports, 30 to 3650 (default for a new force: 365).",
        )
        parser.add_argument(
            "--from-csv",
            metavar="PATH",
            help="Onboard every force in a CSV (columns slug,name[,short_name,country,"
            "welsh_name,primary_colour,secondary_colour,languages]); hostnames are "
            "<slug>.BASE_DOMAIN.",
        )

    def handle(self, *args, **options):
        if options["from_csv"]:
            if options["slug"]:
                raise CommandError("Give either a force slug or --from-csv, not both.")
            self.onboard_many(csv_specs(options["from_csv"], settings.BASE_DOMAIN))
            return
        if not options["slug"]:
            raise CommandError("Give a force slug (e.g. thames-valley) or --from-csv PATH.")
        missing = [flag for flag in ("name", "hostname") if not options[flag]]
        if missing:
            raise CommandError(
                "Onboarding a force needs " + " and ".join(f"--{flag}" for flag in missing) + "."
            )
        spec = ForceSpec(
            slug=options["slug"],
            name=options["name"],
            hostname=options["hostname"].lower(),
            short_name=options["short_name"],
            welsh_name=options["welsh_name"],
            country=options["country"],
            primary_colour=options["primary_colour"],
            secondary_colour=options["secondary_colour"],
            languages=options["languages"],
            port=options["port"],
            webhook_url=options["webhook_url"],
            webhook_secret=self.webhook_secret(options),
            reports_email=options["reports_email"],
            report_retention_days=options["retention_days"],
        )
        try:
            result = onboard_force(spec)
        except OnboardingError as error:
            raise CommandError(self.describe_errors(spec.slug, error.messages)) from error
        self.report(result)

    def webhook_secret(self, options):
        if options["webhook_secret"] is not None:
            return options["webhook_secret"]
        return os.environ.get(WEBHOOK_SECRET_VARIABLE)

    def describe_errors(self, slug, messages):
        lines = [f"Could not onboard {slug}; nothing was changed:"]
        lines += [f"  - {message}" for message in messages]
        return "\n".join(lines)

    def report(self, result, prefix=""):
        if result.created:
            status = self.style.SUCCESS("created")
        elif result.changed:
            status = self.style.WARNING("updated: " + "; ".join(result.changes))
        else:
            status = "unchanged"
        self.stdout.write(f"{prefix}{result.force.name} ({result.force.site.root_url}): {status}")

    def onboard_many(self, specs):
        """Validate every row first, then onboard the forces one transaction each."""
        problems = []
        seen = {}
        names = {}
        for number, spec in enumerate(specs, start=2):  # row 1 is the header
            if spec.slug in seen:
                problems.append(f"row {number}: {spec.slug} is also on row {seen[spec.slug]}")
            seen[spec.slug] = number
            if spec.name in names:
                problems.append(f"row {number}: {spec.name} is also on row {names[spec.name]}")
            names.setdefault(spec.name, number)
            existing = Force.objects.select_related("site").filter(slug=spec.slug).first()
            problems += [f"row {number} ({spec.slug}): {m}" for m in validate_spec(spec, existing)]
        if problems:
            raise CommandError(
                "The CSV has problems; nothing was changed:\n"
                + "\n".join(f"  - {p}" for p in problems)
            )
        total = len(specs)
        width = len(str(total))
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        # Each force commits on its own (onboard_force is one transaction), so other processes
        # wait for one force at a time, never for the whole file: on SQLite a 43-force run in
        # one transaction held the write lock longer than any busy timeout.
        for index, spec in enumerate(specs, start=1):
            try:
                result = onboard_force(spec)
            except OnboardingError as error:
                message = self.describe_errors(spec.slug, error.messages)
                if index > 1:
                    message += f"\nThe {index - 1} forces before it were onboarded; run again."
                raise CommandError(message) from error
            key = "created" if result.created else "updated" if result.changed else "unchanged"
            counts[key] += 1
            self.report(result, prefix=f"[{index:>{width}}/{total}] ")
            sys.stdout.flush()
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} forces: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged."
            )
        )
