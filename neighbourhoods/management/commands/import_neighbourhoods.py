"""``manage.py import_neighbourhoods SLUG FILE.csv``: load neighbourhoods' postcode areas."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from forces.models import Force
from neighbourhoods.importing import ImportError_, import_areas


class Command(BaseCommand):
    help = (
        "Set the postcode sectors and districts of a force's neighbourhoods from a CSV file with "
        "the columns neighbourhood (a neighbourhood page's slug) and area (like RG1 1 or RG1), "
        "one area per row. Everything is checked first; on any problem nothing is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("force", help="The force's slug, like thames-valley.")
        parser.add_argument("file", help="The CSV file.")

    def handle(self, *args, **options):
        force = Force.objects.select_related("site__root_page").filter(slug=options["force"])
        force = force.first()
        if force is None:
            raise CommandError(f"There is no force with the slug “{options['force']}”.")
        path = Path(options["file"])
        try:
            with path.open(newline="", encoding="utf-8-sig") as lines:
                result = import_areas(force, lines)
        except OSError as error:
            raise CommandError(f"Could not read {path}: {error.strerror}.") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not a UTF-8 text file.") from error
        except ImportError_ as error:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"  - {line}" for line in error.messages)
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.areas} postcode areas for {len(result.neighbourhoods)} neighbourhoods "
                f"of {force.name}."
            )
        )
