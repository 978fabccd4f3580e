"""UK postcodes as the neighbourhood lookup reads them: districts, sectors and full postcodes.

A postcode ``RG1 1AA`` is an outward code, the *district* ``RG1``, and an inward code whose
digit makes the *sector* ``RG1 1``. Neighbourhoods list the districts and sectors they cover;
the public may type a full postcode, a sector, a district or a postcode missing its last
letter, in any case and spacing. The letters each position can hold follow Royal Mail's rules
(as ``reporting.validators`` does for full postcodes), so obviously wrong input is refused.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reporting.validators import normalise_postcode

# The outward code: A9, A99, AA9, AA99, A9A and AA9A, with the letters Royal Mail allows there.
OUTWARD = (
    r"(?:[A-PR-UWYZ][0-9][0-9]?"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
)
UNIT_LETTER = "[ABD-HJLNP-UW-Z]"
DISTRICT_RE = re.compile(rf"^(?P<district>{OUTWARD})$")
# A sector, perhaps followed by the first letter of the unit ("RG1 1A", a postcode half typed).
SECTOR_RE = re.compile(rf"^(?P<district>{OUTWARD})(?P<sector>[0-9]){UNIT_LETTER}?$")
# What separates the areas an editor lists.
AREA_SEPARATORS = re.compile(r"[,;\n]+")
MAX_INPUT_LENGTH = 20


@dataclass(frozen=True)
class Postcode:
    """What the public typed, understood: always a district; a sector unless only the district
    was given; the full postcode when it was whole."""

    district: str
    sector: str | None = None
    full: str | None = None

    def __str__(self):
        return self.full or self.sector or self.district

    @property
    def areas(self):
        """The areas a neighbourhood could list that cover this postcode, most specific first."""
        return [self.sector, self.district] if self.sector else [self.district]


def _compact(text):
    return re.sub(r"[\s\-.]", "", str(text or "")).upper()


def _spaced(text):
    """``text`` in upper case with its runs of spaces (and dots and dashes) made one space."""
    return re.sub(r"[\s\-.]+", " ", str(text or "")).strip().upper()


def parse_postcode(text):
    """What the public typed as a ``Postcode``, or ``None`` if it is not one.

    Takes a full postcode ("rg11aa", "RG1 1AA"), a sector ("RG1 1"), a district ("RG1") or a
    postcode without its last letter ("RG1 1A"). Without a space, a sector and a district can
    read alike ("RG14" is the district RG14, not the sector RG1 4): it is read as a district
    when it is one.
    """
    if len(str(text or "")) > MAX_INPUT_LENGTH or _spaced(text).count(" ") > 1:
        return None
    full = normalise_postcode(text)
    if full is not None and full != "GIR 0AA":
        outward, inward = full.split(" ")
        return Postcode(district=outward, sector=f"{outward} {inward[0]}", full=full)
    spaced = _spaced(text)
    if " " in spaced:
        outward, _space, inward = spaced.partition(" ")
        if " " in inward or not DISTRICT_RE.match(outward):
            return None
        match = SECTOR_RE.match(outward + inward)
        if match is None or match["district"] != outward:
            return None
        return Postcode(district=outward, sector=f"{outward} {match['sector']}")
    compact = _compact(text)
    if DISTRICT_RE.match(compact):
        return Postcode(district=compact)
    match = SECTOR_RE.match(compact)
    if match is not None:
        return Postcode(district=match["district"], sector=f"{match['district']} {match['sector']}")
    return None


def parse_area(text):
    """An editor's postcode area as stored: a sector ("RG1 1") or a district ("RG1").

    Raises ``ValidationError`` with a plain message for anything else, a full postcode included
    (a neighbourhood covers sectors and districts, not single addresses).
    """
    spaced = _spaced(text)
    if normalise_postcode(spaced) is not None:
        raise ValidationError(
            _(
                "“%(value)s” is a full postcode. Enter the sector it is in (like %(sector)s) "
                "or its district (like %(district)s)."
            )
            % {
                "value": spaced,
                "sector": normalise_postcode(spaced)[:-2],
                "district": normalise_postcode(spaced).split(" ")[0],
            }
        )
    if " " in spaced:
        outward, _space, inward = spaced.partition(" ")
        if DISTRICT_RE.match(outward) and re.fullmatch(r"[0-9]", inward):
            return f"{outward} {inward}"
    elif DISTRICT_RE.match(spaced):
        return spaced
    elif (match := SECTOR_RE.match(spaced)) is not None and len(spaced) == len(
        match["district"]
    ) + 1:
        return f"{match['district']} {match['sector']}"
    raise ValidationError(
        _(
            "“%(value)s” is not a postcode sector or district. Enter sectors like RG1 1 or "
            "districts like RG1."
        )
        % {"value": spaced or str(text).strip()}
    )


def parse_areas(text):
    """The postcode areas in an editor's list (separated by commas, semicolons or new lines),
    normalised, in order, without repeats.

    Raises ``ValidationError`` with one message for each entry that is not an area.
    """
    areas, errors = [], []
    for entry in AREA_SEPARATORS.split(str(text or "")):
        if not entry.strip():
            continue
        try:
            area = parse_area(entry)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        if area not in areas:
            areas.append(area)
    if errors:
        raise ValidationError(errors)
    return areas


def district_of(area):
    """The district an area is in (the district itself, for a district)."""
    return area.split(" ")[0]
