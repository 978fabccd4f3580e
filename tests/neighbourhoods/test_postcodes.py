"""Reading postcodes as the public and editors type them."""

from django.core.exceptions import ValidationError

import pytest

from neighbourhoods.postcodes import parse_area, parse_areas, parse_postcode

# What the public type, and how the lookup reads it: (district, sector, full postcode).
PUBLIC_INPUTS = [
    ("RG1 1AA", ("RG1", "RG1 1", "RG1 1AA")),
    ("rg11aa", ("RG1", "RG1 1", "RG1 1AA")),
    ("  rg1   1aa ", ("RG1", "RG1 1", "RG1 1AA")),
    ("SW1A 2AA", ("SW1A", "SW1A 2", "SW1A 2AA")),
    ("sw1a2aa", ("SW1A", "SW1A 2", "SW1A 2AA")),
    ("EC1A 1BB", ("EC1A", "EC1A 1", "EC1A 1BB")),
    ("W1A 0AX", ("W1A", "W1A 0", "W1A 0AX")),
    ("M1 1AE", ("M1", "M1 1", "M1 1AE")),
    ("B33 8TH", ("B33", "B33 8", "B33 8TH")),
    ("CR2 6XH", ("CR2", "CR2 6", "CR2 6XH")),
    ("DN55 1PT", ("DN55", "DN55 1", "DN55 1PT")),
    ("SA31 3HB", ("SA31", "SA31 3", "SA31 3HB")),
    ("so23-9ld", ("SO23", "SO23 9", "SO23 9LD")),
    ("ox1.1bx", ("OX1", "OX1 1", "OX1 1BX")),
    ("PO1\t3LJ", ("PO1", "PO1 3", "PO1 3LJ")),
    ("RG1 1", ("RG1", "RG1 1", None)),
    ("rg1 1a", ("RG1", "RG1 1", None)),
    ("SW1A1", ("SW1A", "SW1A 1", None)),
    ("sw1a 1", ("SW1A", "SW1A 1", None)),
    ("RG1", ("RG1", None, None)),
    ("rg14", ("RG14", None, None)),  # unspaced, a district: RG14, not the sector RG1 4
    ("RG1 4", ("RG1", "RG1 4", None)),
    ("E1", ("E1", None, None)),
    ("n1 9gu", ("N1", "N1 9", "N1 9GU")),
]

NOT_POSTCODES = [
    "",
    "   ",
    "hello",
    "12345",
    "QA1 1AA",  # no Q first
    "RG1 1CA",  # no C in the unit
    "RG1 1AAA",
    "RG1 12",
    "RG1 1 1AA",
    "GIR 0AA",  # Girobank's: no neighbourhood
    "RG1 1AA" * 4,
    "<script>",
]


@pytest.mark.parametrize(("text", "expected"), PUBLIC_INPUTS)
def test_public_input_is_normalised(text, expected):
    postcode = parse_postcode(text)
    assert postcode is not None
    assert (postcode.district, postcode.sector, postcode.full) == expected


def test_the_table_covers_twenty_inputs():
    assert len(PUBLIC_INPUTS) >= 20


@pytest.mark.parametrize("text", NOT_POSTCODES)
def test_what_is_not_a_postcode_is_refused(text):
    assert parse_postcode(text) is None


def test_a_postcode_is_covered_by_its_sector_before_its_district():
    assert parse_postcode("rg1 1aa").areas == ["RG1 1", "RG1"]
    assert parse_postcode("RG1").areas == ["RG1"]
    assert str(parse_postcode("rg11aa")) == "RG1 1AA"


@pytest.mark.parametrize(
    ("text", "area"),
    [("rg1 1", "RG1 1"), ("RG1", "RG1"), ("sw1a  2", "SW1A 2"), ("SW1A2", "SW1A 2"), ("e1", "E1")],
)
def test_editors_areas_are_normalised(text, area):
    assert parse_area(text) == area


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("RG1 1AA", "“RG1 1AA” is a full postcode. Enter the sector it is in (like RG1 1)"),
        ("RG1 1A", "“RG1 1A” is not a postcode sector or district"),
        ("Reading", "“READING” is not a postcode sector or district"),
        ("QQ1", "“QQ1” is not a postcode sector or district"),
    ],
)
def test_an_editors_area_that_is_not_one_is_refused_plainly(text, message):
    with pytest.raises(ValidationError) as error:
        parse_area(text)
    assert error.value.messages[0].startswith(message)


def test_a_list_of_areas_is_split_normalised_and_deduplicated():
    assert parse_areas("rg1 1, RG1 2;\nrg1 1\n\nRG30") == ["RG1 1", "RG1 2", "RG30"]


def test_every_bad_entry_in_a_list_is_reported():
    with pytest.raises(ValidationError) as error:
        parse_areas("RG1 1, nonsense, RG1 1AA")
    assert len(error.value.messages) == 2
