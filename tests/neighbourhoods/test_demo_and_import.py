"""The demo's neighbourhoods, and ``manage.py import_neighbourhoods``."""

import html
import re

from django.core.management import CommandError, call_command
from django.utils import translation

import pytest

from demo.content import thames_valley
from demo.seed import seed_force_content
from home.site_context import invalidate_site_chrome
from neighbourhoods.demo import TEAMS, seed_neighbourhoods
from neighbourhoods.models import NeighbourhoodPage, PostcodeArea

pytestmark = pytest.mark.django_db

TVP = "thames-valley.localhost"


def text_of(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def dyfed_powys(make_force):
    force = make_force(
        "dyfed-powys",
        "Dyfed-Powys Police",
        welsh_name="Heddlu Dyfed-Powys",
        country="wales",
        languages="en,cy",
    )
    yield force
    invalidate_site_chrome()
    translation.activate("en")


def test_the_demo_gives_each_force_three_neighbourhoods_once(forces, host_client):
    seed_force_content(forces["thames-valley"], thames_valley)
    for slug in ("met", "thames-valley", "hampshire"):
        assert seed_neighbourhoods(forces[slug]) == 3
        assert seed_neighbourhoods(forces[slug]) == 0
        home = forces[slug].site.root_page
        assert NeighbourhoodPage.objects.descendant_of(home).live().count() == 3
    assert len(TEAMS) == 4
    assert host_client.get(TVP, "/your-area/", data={"postcode": "OX1 3BG"})["Location"] == (
        "/your-area/oxford-city-centre/"
    )
    text = text_of(host_client.get(TVP, "/your-area/oxford-city-centre/"))
    assert "Free bike marking in Oxford city centre" in text  # tagged demo news
    assert "Bike marking on Broad Street" in text  # an upcoming meeting
    # A Met postcode, asked on the Thames Valley site.
    text = text_of(host_client.get(TVP, "/your-area/", data={"postcode": "NW1 8AH"}))
    assert "NW1 8AH is not in our area: it is covered by Metropolitan Police Service." in text


def test_the_demo_neighbourhoods_of_dyfed_powys_are_in_welsh(dyfed_powys, host_client):
    assert seed_neighbourhoods(dyfed_powys) == 6  # three pages, three translations
    host = "dyfed-powys.localhost"
    response = host_client.get(host, "/cy/your-area/", data={"postcode": "LD3 7AB"})
    assert response["Location"] == "/cy/your-area/brecon/"
    text = text_of(host_client.get(host, "/cy/your-area/brecon/"))
    assert "Tîm Plismona Bro Aberhonddu" in text
    assert "Cymhorthfa troseddau cefn gwlad" in text


@pytest.fixture
def tvp_teams(forces, make_neighbourhood):
    force = forces["thames-valley"]
    return (
        make_neighbourhood(force, "Reading Central", "RG1 1"),
        make_neighbourhood(force, "Reading West", "RG30 1"),
        make_neighbourhood(force, "Wokingham", "RG40 1", publish=False),
    )


def write_csv(tmp_path, text):
    path = tmp_path / "areas.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_sets_each_named_neighbourhoods_areas(tmp_path, forces, tvp_teams, capsys):
    csv = write_csv(
        tmp_path,
        "neighbourhood,area\n"
        "reading-central,rg1 1\nreading-central,RG1 2\n"
        "reading-west,RG30 1\nreading-west,rg31\nwokingham,RG40 2\n",
    )
    call_command("import_neighbourhoods", "thames-valley", csv)
    assert (
        "5 postcode areas for 3 neighbourhoods of Thames Valley Police." in capsys.readouterr().out
    )
    central, west, wokingham = (NeighbourhoodPage.objects.get(pk=page.pk) for page in tvp_teams)
    assert central.postcode_areas == "RG1 1, RG1 2"
    assert west.postcode_areas == "RG30 1, RG31"
    assert not wokingham.live  # a draft stays a draft, with its new areas saved
    assert wokingham.get_latest_revision_as_object().postcode_areas == "RG40 2"
    assert sorted(PostcodeArea.objects.values_list("area", flat=True)) == [
        "RG1 1",
        "RG1 2",
        "RG30 1",
        "RG31",
    ]


def test_import_moves_an_area_between_two_neighbourhoods(tmp_path, forces, tvp_teams):
    csv = write_csv(tmp_path, "neighbourhood,area\nreading-west,RG1 1\nreading-central,RG1 9\n")
    call_command("import_neighbourhoods", "thames-valley", csv)
    owners = dict(PostcodeArea.objects.values_list("area", "neighbourhood__title"))
    assert owners == {"RG1 1": "Reading West", "RG1 9": "Reading Central"}


def test_import_refuses_a_bad_file_and_writes_nothing(tmp_path, forces, tvp_teams):
    csv = write_csv(
        tmp_path,
        "neighbourhood,area\n"
        "reading-central,RG1 2\n"
        "nowhere,RG2 1\n"
        "reading-west,RG1 1AA\n"
        "reading-west,RG1 2\n"
        "reading-west,RG30 1\n",
    )
    with pytest.raises(CommandError) as error:
        call_command("import_neighbourhoods", "thames-valley", csv)
    message = str(error.value)
    assert "Line 3: Thames Valley Police has no neighbourhood “nowhere”." in message
    assert "Line 4: “RG1 1AA” is a full postcode." in message
    assert "Line 5: RG1 2 is given to both reading-central and reading-west." in message
    assert "RG1 1 is already covered by Reading Central." not in message
    assert sorted(PostcodeArea.objects.values_list("area", flat=True)) == ["RG1 1", "RG30 1"]


def test_import_refuses_an_area_of_a_neighbourhood_not_in_the_file(tmp_path, forces, tvp_teams):
    csv = write_csv(tmp_path, "neighbourhood,area\nreading-west,RG1 1\n")
    with pytest.raises(
        CommandError, match=re.escape("RG1 1 is already covered by Reading Central.")
    ):
        call_command("import_neighbourhoods", "thames-valley", csv)


def test_import_explains_a_missing_column_force_or_file(tmp_path, forces):
    with pytest.raises(CommandError, match=re.escape("The file needs the columns area.")):
        call_command(
            "import_neighbourhoods", "thames-valley", write_csv(tmp_path, "neighbourhood\nx\n")
        )
    with pytest.raises(
        CommandError, match=re.escape("There is no force with the slug “atlantis”.")
    ):
        call_command("import_neighbourhoods", "atlantis", write_csv(tmp_path, "a,b\n"))
    with pytest.raises(CommandError, match="Could not read"):
        call_command("import_neighbourhoods", "thames-valley", str(tmp_path / "missing.csv"))
