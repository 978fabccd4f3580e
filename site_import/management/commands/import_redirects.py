"""manage.py import_redirects SLUG FILE.csv: a hand-made list of redirects for a force's site."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rich.console import Console
from rich.table import Table

from forces.models import Force
from site_import.redirects import RedirectFileError, apply_plan, plan_redirects, read_rows


class Command(BaseCommand):
    help = (
        "Add permanent redirects to a force's site from a CSV file with the columns 'old' and "
        "'new' (and optionally 'permanent'). Every row is checked first (loops, redirects to "
        "themselves, targets that answer 404, old addresses that are live pages); chains are "
        "collapsed. Nothing is written if any row is refused, or with --dry-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The force's slug.")
        parser.add_argument("file", help="The CSV file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and show, but write nothing."
        )

    def handle(self, *args, **options):
        force = Force.objects.select_related("site").filter(slug=options["slug"]).first()
        if force is None:
            raise CommandError(f"There is no force with the slug {options['slug']!r}.")
        try:
            rows = read_rows(options["file"])
        except RedirectFileError as error:
            raise CommandError(str(error)) from None
        plan = plan_redirects(force.site, rows)
        console = Console(file=self.stdout, width=140)
        table = Table(title=f"Redirects for {force.site.hostname}")
        for column in ("Line", "Old address", "Goes to", "Action", "Notes"):
            table.add_column(column, overflow="fold")
        for entry in plan.entries:
            table.add_row(
                str(entry.line), entry.old_path, entry.target, entry.action, "; ".join(entry.notes)
            )
        console.print(table)
        if plan.errors:
            # One line each, unwrapped, so that they can be read in a log and searched.
            for line, message in sorted(plan.errors):
                self.stdout.write(f"Refused: line {line}: {message}")
            raise CommandError(
                f"{len(plan.errors)} row(s) refused: nothing was written. Correct the file and "
                "run it again."
            )
        counts = {
            action: sum(entry.action == action for entry in plan.entries)
            for action in ("create", "update", "unchanged")
        }
        summary = ", ".join(f"{count} {action}" for action, count in counts.items())
        if options["dry_run"]:
            self.stdout.write(f"Dry run: would {summary}. Nothing was written.")
            return
        with transaction.atomic():
            apply_plan(force.site, plan)
        self.stdout.write(f"Done: {summary}.")
