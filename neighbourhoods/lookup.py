"""Finding the neighbourhood team that covers a postcode, for ``/your-area/?postcode=``.

One query on ``PostcodeArea`` alone, by its indexed district, finds every neighbourhood (of any
force) with an area that can cover the postcode (its sector or its district; every area of the
district when only a district is given). The neighbourhoods' titles and addresses are kept per
process under the content version (``_teams``: read in one more query when not kept), the
forces' names and home pages under the lookups version (``_force_links``): joining them in the
lookup's query made PostgreSQL take ten times longer to plan it than to run it. The most
specific area wins: a sector listed by one neighbourhood beats its district listed by another,
and a full postcode is in its sector. When areas are equally specific, this force's
neighbourhood comes first. The answer is kept in each process's memory under the content and
lookups versions (``home.lookups.kept``): anything published, unpublished or moved, or a
force's settings changed, and every process looks again, as the page cache is purged. No
outside service is asked at request time.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from wagtail.models import Page, Site

from forces.models import Force
from home.lookups import active_locale, content_version, kept, lookups_version
from home.site_context import ForceLink, get_site_context

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
    """A row of the lookup's query (plain values: no model instances to build)."""

    pk: int
    area: str
    force_id: int
    neighbourhood_id: int

    @property
    def is_sector(self):
        return " " in self.area


# Set up once: each lookup filters a copy.
AREA_ROWS = PostcodeArea.objects.values_list("pk", "area", "force_id", "neighbourhood_id")


@dataclass(frozen=True)
class Team:
    """A neighbourhood as the answer shows it."""

    title: str
    team_name: str
    url_path: str
    locale_id: int
    translation_key: object


def _teams(neighbourhood_ids):
    """The neighbourhoods ``neighbourhood_ids`` as ``Team``s by id, kept in this process under
    the content version (publishing, unpublishing or moving any page moves it); those not kept
    are read in one query."""
    version = content_version()
    teams = {pk: kept.get(("neighbourhood-team", version, pk)) for pk in neighbourhood_ids}
    missing = [pk for pk, team in teams.items() if team is None]
    if missing:
        rows = NeighbourhoodPage.objects.filter(pk__in=missing).values_list(
            "pk", "title", "team_name", "url_path", "locale_id", "translation_key"
        )
        for pk, *values in rows:
            teams[pk] = Team(*values)
            kept.set(("neighbourhood-team", version, pk), teams[pk])
    return teams


def _force_links():
    """Every force's names and home page address by id, kept in this process under the lookups
    version (which a force's or a site's change moves)."""

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
    """The lookup's one query: the rows (as ``Area``) of the areas that can cover ``postcode``,
    by the district index, on ``PostcodeArea`` alone."""
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
        team = _teams([best.neighbourhood_id])[best.neighbourhood_id]
        return Outcome(Outcome.FOUND, found, (_match(request, team, local=True),))
    return _elsewhere(request, found, [best])


def _parts_of_district(request, force, found, rows):
    """Only a district was given, and neighbourhoods cover sectors of it."""
    if not rows:
        return Outcome(Outcome.UNKNOWN, found)
    own = [row for row in rows if row.force_id == force.pk]
    if own:
        teams = _teams({row.neighbourhood_id for row in own})
        matches = {}
        for row in sorted(own, key=lambda row: row.area):
            if row.neighbourhood_id not in matches:
                team = teams[row.neighbourhood_id]
                matches[row.neighbourhood_id] = _match(request, team, local=True)
        if len(matches) == 1:
            return Outcome(Outcome.FOUND, found, tuple(matches.values()))
        return Outcome(Outcome.SEVERAL, found, tuple(matches.values()))
    return _elsewhere(request, found, sorted(rows, key=lambda row: row.area))


def _elsewhere(request, found, rows):
    first = rows[0]
    other = _force_links()[first.force_id]
    team = _teams([first.neighbourhood_id])[first.neighbourhood_id]
    welsh = translation.get_language() == "cy" and other.welsh_name
    return Outcome(
        Outcome.ELSEWHERE,
        found,
        (_match(request, team, local=False),),
        force_name=other.welsh_name if welsh else other.name,
        force_url=other.home_url,
    )


def _match(request, team, local):
    """The neighbourhood ``team`` in the active language where it has a live version."""
    title, team_name = team.title, team.team_name
    # Only its address is needed for its URL (``Page.get_url_parts``).
    page = Page(url_path=team.url_path)
    locale = active_locale()
    if locale is not None and locale.pk != team.locale_id:
        translated = (
            NeighbourhoodPage.objects.filter(
                translation_key=team.translation_key, locale=locale, live=True
            )
            .only("title", "team_name", "url_path", "path", "depth", "locale_id")
            .first()
        )
        if translated is not None:
            page, title, team_name = translated, translated.title, translated.team_name
    url = page.get_url(request) if local else page.get_full_url(request)
    return Match(title=title, team_name=team_name, url=url or "")
