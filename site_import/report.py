"""The import's report: a CSV with a row per old address, and the end table on the terminal."""

import csv
from collections import Counter

from rich.console import Console
from rich.table import Table

CSV_COLUMNS = [
    "old_url",
    "result",
    "kind",
    "new_url",
    "reason",
    "notes",
    "national_page_exists",
    "redirect",
]
RESULT_ORDER = ["created", "updated", "published", "unchanged", "skipped", "failed"]


def write_csv(outcomes, path):
    """Write one row per old address to ``path``, sorted by address."""
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(CSV_COLUMNS)
        for outcome in sorted(outcomes, key=lambda outcome: outcome.old_url):
            writer.writerow(
                [
                    outcome.old_url,
                    outcome.result,
                    outcome.kind,
                    outcome.new_url,
                    outcome.reason,
                    "; ".join(outcome.notes),
                    outcome.national_match,
                    outcome.redirect,
                ]
            )


def print_summary(outcomes, console=None, limit=50):
    """The end table: how many addresses had each result, then each one skipped or failed with
    its reason (the first ``limit``; the CSV has them all), then the national matches."""
    console = console or Console(stderr=True)
    counts = Counter(outcome.result for outcome in outcomes)
    totals = Table(title="Import summary")
    totals.add_column("Result")
    totals.add_column("Pages", justify="right")
    for result in RESULT_ORDER:
        if counts.get(result):
            totals.add_row(result, str(counts[result]))
    totals.add_row("total", str(len(outcomes)), style="bold")
    console.print(totals)
    problems = [outcome for outcome in outcomes if outcome.result in ("skipped", "failed")]
    if problems:
        table = Table(title="Skipped and failed, with the reason")
        table.add_column("Old address", overflow="fold")
        table.add_column("Result")
        table.add_column("Reason", overflow="fold")
        for outcome in sorted(problems, key=lambda outcome: (outcome.result, outcome.old_url))[
            :limit
        ]:
            table.add_row(outcome.old_url, outcome.result, outcome.reason)
        console.print(table)
        if len(problems) > limit:
            console.print(f"... and {len(problems) - limit} more: see the CSV report.")
    national = [outcome for outcome in outcomes if outcome.national_match]
    if national:
        table = Table(title="National page exists: the force may drop its own copy")
        table.add_column("Old address", overflow="fold")
        table.add_column("National page", overflow="fold")
        for outcome in national:
            table.add_row(outcome.old_url, outcome.national_match)
        console.print(table)
