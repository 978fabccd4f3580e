"""Delete reports past their force's retention period, and abandoned drafts."""

from django.core.management.base import BaseCommand

from reporting.retention import purge


class Command(BaseCommand):
    help = (
        "Delete every force's reports older than its retention period (with their evidence "
        "files) and abandoned journeys; each purged report is recorded. run_worker also does "
        "this every hour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args, dry_run, **options):
        counts = purge(dry_run=dry_run)
        verb = "would be purged" if dry_run else "purged"
        for slug, count in sorted(counts.reports.items()):
            if count:
                self.stdout.write(f"{slug}: {count} reports {verb}")
        self.stdout.write(
            f"Reports {verb}: {counts.total_reports}; abandoned drafts: {counts.drafts}; "
            f"orphaned evidence files: {counts.orphaned_files}; "
            f"journey events: {counts.journey_events}; feedback: {counts.feedback}"
            + (" (dry run)" if dry_run else "")
        )
