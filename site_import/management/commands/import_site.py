"""manage.py import_site SLUG SOURCE: bring a force's old website onto the platform."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from forces.models import Force
from site_import.fetch import SourceError
from site_import.importer import Options, SiteImporter
from site_import.report import print_summary, write_csv
from site_import.rules import RulesError, load_rules


class Command(BaseCommand):
    help = (
        "Import a force's old website (a sitemap or page URL, a folder mirror or a WARC file): "
        "pages as drafts, images and documents into the force's collection, and permanent "
        "redirects from the old addresses. Safe to run again and to resume."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The force's slug, as given to onboard_force.")
        parser.add_argument(
            "source",
            help="A sitemap URL (or a page URL to crawl from), a folder or a .warc(.gz) file.",
        )
        parser.add_argument("--rules", help="The force's rules file (TOML).")
        parser.add_argument(
            "--base-url", default="", help="For a folder: the address the old site was at."
        )
        parser.add_argument("--max-pages", type=int, help="Fetch at most this many pages.")
        parser.add_argument(
            "--publish", action="store_true", help="Publish the pages rather than leave drafts."
        )
        parser.add_argument(
            "--skip-national",
            action="store_true",
            help="Do not import pages whose topic a national page already covers.",
        )
        parser.add_argument(
            "--report", help="Where to write the CSV report (default: import-SLUG.csv)."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar (for logs and cron)."
        )

    def handle(self, *args, **options):
        force = (
            Force.objects.select_related("site", "collection").filter(slug=options["slug"]).first()
        )
        if force is None:
            raise CommandError(f"There is no force with the slug {options['slug']!r}.")
        if options["max_pages"] is not None and options["max_pages"] < 1:
            raise CommandError("--max-pages must be 1 or more.")
        try:
            rules = load_rules(options["rules"])
        except RulesError as error:
            raise CommandError(str(error)) from None
        report = Path(options["report"] or f"import-{force.slug}.csv")
        console = Console(stderr=True)
        show = not options["no_progress"] and console.is_terminal
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=not show,
        ) as progress:
            task = progress.add_task("Starting", total=None)

            def advance(advance=1, total=None, description=None):
                if description is not None:
                    progress.reset(task, description=description, total=total)
                    return
                progress.update(task, advance=advance, total=total)

            try:
                importer = SiteImporter(
                    force,
                    options["source"],
                    rules,
                    Options(
                        publish=options["publish"],
                        max_pages=options["max_pages"],
                        skip_national=options["skip_national"],
                        base_url=options["base_url"],
                    ),
                    progress=advance,
                )
                outcomes = importer.run()
            except SourceError as error:
                raise CommandError(str(error)) from None
        write_csv(outcomes, report)
        print_summary(outcomes, console=Console(file=self.stdout, width=140))
        self.stdout.write(f"Report written to {report}")
