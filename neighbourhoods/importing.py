"""Loading neighbourhoods' postcode areas in bulk from a CSV file (``import_neighbourhoods``).

The file has a header row with the columns ``neighbourhood`` (the slug of one of the force's
neighbourhood pages) and ``area`` (a postcode sector or district), one area per row. Every row
is checked before anything is written; each neighbourhood named then covers exactly the areas the
file gives it, and is published again if it was live (a draft stays a draft).
"""

import csv
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .areas import claimed_elsewhere
from .models import NeighbourhoodPage, PostcodeArea
from .postcodes import parse_area

REQUIRED_COLUMNS = ("neighbourhood", "area")


class ImportError_(Exception):
    """Every problem found in the file; nothing has been written."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


@dataclass
class ImportResult:
    neighbourhoods: list = field(default_factory=list)
    areas: int = 0


def read_rows(lines):
    """``(line number, neighbourhood slug, area)`` for each row; raises ``ImportError_``."""
    reader = csv.DictReader(lines)
    columns = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ImportError_(
            [_("The file needs the columns %(columns)s.") % {"columns": ", ".join(missing)}]
        )
    reader.fieldnames = columns
    return [
        (reader.line_num, (row["neighbourhood"] or "").strip(), row["area"] or "")
        for row in reader
        if any((value or "").strip() for value in row.values() if isinstance(value, str))
    ]


def import_areas(force, lines):
    """Give ``force``'s neighbourhoods the areas in the CSV ``lines``; returns ``ImportResult``.

    Raises ``ImportError_`` listing every problem (nothing is written then).
    """
    rows = read_rows(lines)
    pages = {
        page.slug: page
        for page in NeighbourhoodPage.objects.descendant_of(force.site.root_page).filter(
            alias_of__isnull=True, locale=force.site.root_page.locale
        )
    }
    errors, wanted, owner = [], {}, {}
    for line, slug, text in rows:
        page = pages.get(slug)
        if page is None:
            errors.append(
                _("Line %(line)s: %(force)s has no neighbourhood “%(slug)s”.")
                % {"line": line, "force": force.name, "slug": slug}
            )
            continue
        try:
            area = parse_area(text)
        except ValidationError as error:
            errors.extend(
                _("Line %(line)s: %(message)s") % {"line": line, "message": message}
                for message in error.messages
            )
            continue
        if owner.get(area, slug) != slug:
            errors.append(
                _("Line %(line)s: %(area)s is given to both %(first)s and %(second)s.")
                % {"line": line, "area": area, "first": owner[area], "second": slug}
            )
            continue
        owner[area] = slug
        wanted.setdefault(slug, [])
        if area not in wanted[slug]:
            wanted[slug].append(area)
    if not rows:
        errors.append(_("The file has no rows."))
    for slug, areas in wanted.items():
        # An area the file moves between two of its own neighbourhoods is free to move.
        for area, holder in claimed_elsewhere(force, areas, pages[slug]):
            if holder.slug not in wanted:
                errors.append(
                    _("%(area)s is already covered by %(neighbourhood)s.")
                    % {"area": area, "neighbourhood": holder.title}
                )
    if errors:
        raise ImportError_(errors)
    return _write(pages, wanted)


@transaction.atomic
def _write(pages, wanted):
    result = ImportResult()
    for slug, areas in wanted.items():
        pages[slug].postcode_areas = ", ".join(areas)
    # The named neighbourhoods' published areas go first, so that an area moving between two
    # of them is free when the one it moves to is published.
    PostcodeArea.objects.filter(neighbourhood__in=[pages[slug] for slug in wanted]).delete()
    for slug in wanted:
        page = pages[slug]
        revision = page.save_revision()
        if page.live:
            revision.publish()
        result.neighbourhoods.append(page.title)
        result.areas += len(wanted[slug])
    return result
