"""Finding the neighbourhood team that covers a postcode, for ``/your-area/?postcode=``.

One query on ``PostcodeArea``'s indexed district finds every neighbourhood (of any force) with
an area that can cover the postcode (its sector or its district; every area of the district
when only a district is given), joined to the neighbourhood's page alone: the forces' names and
addresses are kept per process under the lookups version (``_force_links``), since a join of
five tables cost PostgreSQL ten times longer to plan than to run. The most specific area wins:
a sector listed by one neighbourhood beats its district listed by another, and a full postcode
is in its sector. When areas are equally specific, this force's neighbourhood comes first. The
answer is kept in each process's memory under the content and lookups versions
(``home.lookups.kept``): anything published, unpublished or moved, or a force's settings
changed, and every process looks again, as the page cache is purged. No outside service is
asked at request time.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from wagtail.models import Page, Site

from forces.models import Force
from home.lookups import active_locale, content_version, kept, lookups_version
from home.site_context import get_site_context

from .models import NeighbourhoodPage, PostcodeArea
from .postcodes import parse_postcode


@dataclass(frozen=True)
class Match:
    title: str
    team_name: str
    url: str


@dataclass(frozen=True)
class Outcome:
    FOUND = "found"  # this force's neighbourhood: go to its page
    ELSEWHERE = "elsewhere"  # another force's
    SEVERAL = "several"  # a district split between several of this force's neighbourhoods
    UNKNOWN = "unknown"  # a real postcode that no neighbourhood covers
    INVALID = "invalid"  # not a postcode
    EMPTY = "empty"  # nothing entered

    kind: str
    postcode: str = ""
    matches: tuple = ()
    force_name: str = ""
    force_url: str = ""

    @property
    def is_error(self):
        return self.kind in (self.UNKNOWN, self.INVALID, self.EMPTY)


def find_neighbourhood(request, text):
    """The ``Outcome`` of looking ``text`` up on the site of ``request``."""
    text = str(text or "").strip()
    if not text:
        return Outcome(Outcome.EMPTY)
    postcode = parse_postcode(text)
    if postcode is None:
        return Outcome(Outcome.INVALID)
    force = get_site_context(request).force
    if force is None:
        return Outcome(Outcome.UNKNOWN, str(postcode))
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = ("neighbourhood", content_version(), lookups_version(), force.pk, language, postcode)
    outcome = kept.get(key)
    if outcome is None:
        outcome = _look_up(request, force, postcode)
        kept.set(key, outcome)
    return outcome


@dataclass(frozen=True)
class Area:
    """A row of the lookup's query: an area and its neighbourhood, as the answer shows them
    (plain values: no model instances to build)."""

    pk: int
    area: str
    force_id: int
    neighbourhood_id: int
    title: str
    team_name: str
    url_path: str
    locale_id: int
    translation_key: object

    @property
    def is_sector(self):
        return " " in self.area


AREA_FIELDS = (
    "pk",
    "area",
    "force_id",
    "neighbourhood_id",
    "neighbourhood__title",
    "neighbourhood__team_name",
    "neighbourhood__url_path",
    "neighbourhood__locale_id",
    "neighbourhood__translation_key",
)

# Set up once (the joins and the columns): each lookup filters a copy.
AREA_ROWS = PostcodeArea.objects.values_list(*AREA_FIELDS)


@dataclass(frozen=True)
class ForceLink:
    name: str
    welsh_name: str
    home_url: str


def _force_links():
    """Every force's names and home page address by id, kept in this process under the lookups
    version (which a force's or a site's change moves): the lookup's query then joins no more
    than the neighbourhood's page, and PostgreSQL plans it in a fraction of the time."""

    def read():
        forces = Force.objects.values_list(
            "pk", "name", "welsh_name", "site__hostname", "site__port"
        )
        return {
            pk: ForceLink(name, welsh_name, Site(hostname=hostname, port=port).root_url + "/")
            for pk, name, welsh_name, hostname, port in forces
        }

    return kept.get_or_make(("neighbourhood-forces", lookups_version()), read)


def areas_covering(postcode):
    """The lookup's one query: the rows (as ``AREA_FIELDS``) of the areas that can cover
    ``postcode``, by the district index."""
    conditions = {"district": postcode.district}
    if postcode.sector is not None:
        # Only the areas that can cover it: its sector and its district.
        conditions["area__in"] = postcode.areas
    return AREA_ROWS.filter(**conditions)


def _look_up(request, force, postcode):
    rows = [Area(*values) for values in areas_covering(postcode)]
    found = str(postcode)
    if postcode.sector is None:
        whole = [row for row in rows if row.area == postcode.district]
        if not whole:
            return _parts_of_district(request, force, found, rows)
        rows = whole
    if not rows:
        return Outcome(Outcome.UNKNOWN, found)
    best = min(rows, key=lambda row: (not row.is_sector, row.force_id != force.pk, row.pk))
    if best.force_id == force.pk:
        return Outcome(Outcome.FOUND, found, (_match(request, best, local=True),))
    return _elsewhere(request, found, [best])


def _parts_of_district(request, force, found, rows):
    """Only a district was given, and neighbourhoods cover sectors of it."""
    if not rows:
        return Outcome(Outcome.UNKNOWN, found)
    own = [row for row in rows if row.force_id == force.pk]
    if own:
        matches = {}
        for row in sorted(own, key=lambda row: row.area):
            matches.setdefault(row.neighbourhood_id, _match(request, row, local=True))
        if len(matches) == 1:
            return Outcome(Outcome.FOUND, found, tuple(matches.values()))
        return Outcome(Outcome.SEVERAL, found, tuple(matches.values()))
    return _elsewhere(request, found, sorted(rows, key=lambda row: row.area))


def _elsewhere(request, found, rows):
    first = rows[0]
    other = _force_links()[first.force_id]
    welsh = translation.get_language() == "cy" and other.welsh_name
    return Outcome(
        Outcome.ELSEWHERE,
        found,
        (_match(request, first, local=False),),
        force_name=other.welsh_name if welsh else other.name,
        force_url=other.home_url,
    )


def _match(request, row, local):
    """The neighbourhood of ``row`` in the active language where it has a live version."""
    title, team_name = row.title, row.team_name
    # Only its address is needed for its URL (``Page.get_url_parts``).
    page = Page(url_path=row.url_path)
    locale = active_locale()
    if locale is not None and locale.pk != row.locale_id:
        translated = (
            NeighbourhoodPage.objects.filter(
                translation_key=row.translation_key, locale=locale, live=True
            )
            .only("title", "team_name", "url_path", "path", "depth", "locale_id")
            .first()
        )
        if translated is not None:
            page, title, team_name = translated, translated.title, translated.team_name
    url = page.get_url(request) if local else page.get_full_url(request)
    return Match(title=title, team_name=team_name, url=url or "")
