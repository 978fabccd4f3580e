"""/your-area/?postcode= over HTTP: this force's team, another force's, and what goes wrong."""

import html

import pytest

from neighbourhoods.models import PostcodeArea

pytestmark = pytest.mark.django_db

TVP = "thames-valley.localhost"
MET = "met.localhost"


@pytest.fixture
def reading(forces, make_neighbourhood):
    return make_neighbourhood(forces["thames-valley"], "Reading Central", "RG1 1, RG1 2, RG1 8")


@pytest.fixture
def west_reading(forces, make_neighbourhood):
    return make_neighbourhood(forces["thames-valley"], "Reading West", "RG1, RG30")


@pytest.fixture
def westminster(forces, make_neighbourhood):
    return make_neighbourhood(forces["met"], "St James's", "SW1A 1, SW1A 2")


def look_up(host_client, host, postcode):
    return host_client.get(host, "/your-area/", data={"postcode": postcode})


def text_of(response):
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("typed", ["RG1 1AA", "rg11aa", " rg1  1AA ", "RG1 1", "rg1 1a", "RG1 8"])
def test_a_postcode_in_this_forces_neighbourhood_goes_to_its_page(host_client, reading, typed):
    response = look_up(host_client, TVP, typed)
    assert response.status_code == 302
    assert response["Location"] == "/your-area/reading-central/"
    page = host_client.get(TVP, response["Location"])
    assert page.status_code == 200
    assert "Reading Central Neighbourhood Policing Team" in text_of(page)


def test_a_sector_beats_its_district(host_client, reading, west_reading):
    assert look_up(host_client, TVP, "RG1 2XY")["Location"] == "/your-area/reading-central/"
    # Elsewhere in RG1, the district's neighbourhood.
    assert look_up(host_client, TVP, "RG1 4AB")["Location"] == "/your-area/reading-west/"
    assert look_up(host_client, TVP, "RG30 9ZZ")["Location"] == "/your-area/reading-west/"


def test_a_district_split_between_neighbourhoods_lists_them(
    host_client, forces, make_neighbourhood, reading
):
    make_neighbourhood(forces["thames-valley"], "Caversham", "RG4 7, RG4 8")
    make_neighbourhood(forces["thames-valley"], "Emmer Green", "RG4 9")
    response = look_up(host_client, TVP, "rg4")
    assert response.status_code == 200
    text = text_of(response)
    assert "More than one of our teams covers RG4" in text
    assert 'href="/your-area/caversham/"' in text
    assert 'href="/your-area/emmer-green/"' in text
    assert "Reading Central" not in text.split("All our neighbourhoods")[0]


def test_a_postcode_of_another_forces_neighbourhood_says_which_force(
    host_client, westminster, reading
):
    response = look_up(host_client, TVP, "sw1a 2aa")
    assert response.status_code == 200
    text = text_of(response)
    assert "SW1A 2AA is not in our area: it is covered by Metropolitan Police Service." in text
    assert 'href="http://met.localhost/your-area/st-jamess/"' in text
    assert "St James's Neighbourhood Policing Team on the Metropolitan Police Service" in text
    assert "govuk-error-summary" not in text


def test_this_forces_district_beats_another_forces_district(
    host_client, forces, make_neighbourhood, reading
):
    make_neighbourhood(forces["met"], "Border", "RG1")
    make_neighbourhood(forces["thames-valley"], "Reading Town", "RG1")
    assert look_up(host_client, TVP, "RG1 4AB")["Location"] == "/your-area/reading-town/"


def test_an_unknown_postcode_gets_an_error_with_the_101_number(host_client, reading):
    response = look_up(host_client, TVP, "CF10 1AA")
    assert response.status_code == 200
    text = text_of(response)
    assert "<title>Error: Your area" in text
    assert "govuk-error-summary" in text
    assert (
        "We cannot find a neighbourhood team for CF10 1AA. Check the postcode, or call 101" in text
    )
    assert 'aria-describedby="postcode-hint postcode-error"' in text
    assert "If you live in our area and cannot find your team, call us on 101." in text


@pytest.mark.parametrize("typed", ["hello", "RG1 1CA", "12345", "QQ1 1AA", "RG1 1AA" * 5])
def test_a_malformed_postcode_gets_a_plain_error(host_client, reading, typed):
    response = look_up(host_client, TVP, typed)
    assert response.status_code == 200
    text = text_of(response)
    assert "Enter a real postcode, like RG1 1AA" in text
    assert "govuk-input--error" in text


def test_an_empty_search_asks_for_a_postcode(host_client, reading):
    text = text_of(look_up(host_client, TVP, "  "))
    assert "Enter a postcode" in text
    assert "govuk-error-summary" in text


def test_the_index_lists_the_neighbourhoods_and_works_without_a_postcode(host_client, reading):
    response = host_client.get(TVP, "/your-area/")
    assert response.status_code == 200
    text = text_of(response)
    assert '<form action="/your-area/" method="get"' in text
    assert 'href="/your-area/reading-central/"' in text
    assert "govuk-error-summary" not in text


def test_an_unpublished_neighbourhood_is_found_no_more(host_client, reading):
    assert look_up(host_client, TVP, "RG1 1AA").status_code == 302
    reading.unpublish()
    assert not PostcodeArea.objects.filter(neighbourhood=reading).exists()
    assert look_up(host_client, TVP, "RG1 1AA").status_code == 200


def test_a_republished_neighbourhood_is_found_at_its_new_areas(host_client, reading):
    reading.postcode_areas = "RG2 7"
    reading.save_revision().publish()
    assert look_up(host_client, TVP, "RG1 1AA").status_code == 200
    assert look_up(host_client, TVP, "RG2 7AA")["Location"] == "/your-area/reading-central/"
    assert sorted(PostcodeArea.objects.values_list("area", flat=True)) == ["RG2 7"]


def test_a_deleted_neighbourhood_leaves_no_areas(reading):
    reading.delete()
    assert not PostcodeArea.objects.exists()


def test_the_lookup_is_one_query_and_kept(
    host_client, reading, westminster, django_assert_max_num_queries, django_assert_num_queries
):
    host_client.get(TVP, "/your-area/")  # the page itself, routed and kept
    with django_assert_max_num_queries(12):
        assert look_up(host_client, TVP, "RG1 1AA").status_code == 302
    with django_assert_max_num_queries(12):
        assert look_up(host_client, TVP, "SW1A 1AA").status_code == 200
    # Asked again, the answers are kept: no query for them.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        look_up(host_client, TVP, "rg11aa")
    assert not [q for q in queries.captured_queries if "neighbourhoods_postcodearea" in q["sql"]]


def test_the_lookup_reads_postcode_areas_once(host_client, reading):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        look_up(host_client, TVP, "RG1 1AA")
    lookups = [q for q in queries.captured_queries if "neighbourhoods_postcodearea" in q["sql"]]
    assert len(lookups) == 1
    assert '"district" = ' in lookups[0]["sql"]
