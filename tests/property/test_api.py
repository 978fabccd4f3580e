"""The public API (``/api/v2/``) never answers bad parameters with a 5xx, and never shows one
force's pages, images or documents on another force's site."""

from urllib.parse import urlencode

from django.test import Client

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.property.checks import FORM_VALUE, TEXT, check
from tests.property.conftest import PROPERTY, count_case, each_example
from tests.property.world import HUB, SHARED_WORD

HOSTS = [HUB, "met.localhost", "thames-valley.localhost", "hampshire.localhost"]
NUMBER = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["0", "-1", "1e3", "0x10", "٣", "²", "1.5", "9" * 25, ""]),
    TEXT,
)
FIELDS = st.sampled_from(
    [
        "*",
        "-*",
        "_",
        "_,title",
        "-title",
        "title,-title",
        "body",
        "parent(title)",
        "parent(*)",
        "parent(",
        "title)",
        "(",
        "tags",
        "nonexistent",
        "id,id",
        "search_description",
        "collection(*)",
        "file",
        "download_url",
    ]
)
ORDER = st.sampled_from(["title", "-title", "id", "-id", "random", "-random", "body", "slug", ""])
PAGE_TYPES = ["home.ContentPage", "home.contentpage", "reporting.ReportJourneyPage"]
NOT_PAGE_TYPES = ["home.NoSuch", "nosuch", "a.b.c", "home.", ".Page", "auth.User", "forces.Force"]
TYPES = st.sampled_from([*PAGE_TYPES, "wagtailcore.Page", *NOT_PAGE_TYPES])
BOOLEAN = st.sampled_from(["true", "false", "1", "0", "yes", "", "maybe"])
SHARED = {
    "fields": st.one_of(FIELDS, TEXT),
    "order": st.one_of(ORDER, TEXT),
    "limit": NUMBER,
    "offset": NUMBER,
    "search": st.one_of(st.just(SHARED_WORD), TEXT),
    "search_operator": st.one_of(st.sampled_from(["and", "or"]), TEXT),
    "title": st.one_of(st.just(SHARED_WORD), TEXT),
    "id": NUMBER,
}
PARAMETERS = {
    "pages": {
        **SHARED,
        "type": st.one_of(TYPES, TEXT),
        "child_of": NUMBER,
        "descendant_of": NUMBER,
        "ancestor_of": NUMBER,
        "translation_of": NUMBER,
        "locale": st.one_of(st.sampled_from(["en", "cy", "fr", "EN", "en-gb"]), TEXT),
        "slug": st.one_of(st.sampled_from(["met-own-zk4", "home"]), TEXT),
        "show_in_menus": BOOLEAN,
        "has_children": BOOLEAN,
        "site": st.one_of(st.just("met.localhost"), TEXT),
    },
    "images": {**SHARED, "collection_id": NUMBER, "tags": TEXT},
    "documents": {**SHARED, "collection_id": NUMBER, "tags": TEXT},
}
KINDS = {"pages": "page", "images": "image", "documents": "document"}


def _ids(world, endpoint):
    return [str(pk) for pk in world.ids(KINDS[endpoint])]


@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
@PROPERTY
@given(data=st.data())
def test_listings(world, endpoint, data):
    """``/api/v2/<endpoint>/?…`` with any parameters, some naming another force's ids."""
    count_case(f"/api/v2/{endpoint}/")
    host = data.draw(st.sampled_from(HOSTS), label="host")
    # Ids of every force's things, and anything else.
    ids = st.one_of(st.sampled_from(_ids(world, "pages")), NUMBER)
    strategies = {
        name: (ids if name in ("child_of", "descendant_of", "ancestor_of", "id") else strategy)
        for name, strategy in PARAMETERS[endpoint].items()
    }
    params = {
        **data.draw(st.dictionaries(TEXT, FORM_VALUE, max_size=1), label="unknown parameters"),
        **data.draw(st.fixed_dictionaries({}, optional=strategies), label="parameters"),
    }
    path = f"/api/v2/{endpoint}/?{urlencode(params, doseq=True)}"
    with each_example():
        response = Client().get(path, HTTP_HOST=host)
        check(world, response, host, f"{path} {params!r}")


@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
@PROPERTY
@given(data=st.data())
def test_details(world, endpoint, data):
    """``/api/v2/<endpoint>/<id>/``: another force's page, image or document is not found."""
    count_case(f"/api/v2/{endpoint}/<id>/")
    host = data.draw(st.sampled_from(HOSTS), label="host")
    pk = data.draw(st.one_of(st.sampled_from(_ids(world, endpoint)), NUMBER), label="id")
    fields = data.draw(st.one_of(st.none(), FIELDS, TEXT), label="fields")
    query = "" if fields is None else "?" + urlencode({"fields": fields})
    path = f"/api/v2/{endpoint}/{pk}/{query}"
    with each_example():
        response = Client().get(path, HTTP_HOST=host)
        check(world, response, host, f"{path} {fields!r}")


@PROPERTY
@given(
    host=st.sampled_from(HOSTS),
    html_path=st.one_of(
        st.sampled_from(["/", "/met-own-zk4/", "/report/", "//", "/cy/", "/../", "/%00/"]), TEXT
    ),
)
@example(host="thames-valley.localhost", html_path="/met-own-zk4/")
@example(host="met.localhost", html_path="/a\x00b/")
def test_find_by_path(world, host, html_path):
    """``/api/v2/pages/find/?html_path=…`` finds only this site's pages."""
    count_case("/api/v2/pages/find/")
    path = "/api/v2/pages/find/?" + urlencode({"html_path": html_path})
    with each_example():
        response = Client().get(path, HTTP_HOST=host, follow=True)
        check(world, response, host, f"{path} {html_path!r}")


# What the runs found, kept as plain tests: each gave a 500, or (``site``) another force's pages.
FOUND = [
    "/api/v2/pages/?search=a%00b",
    "/api/v2/images/?search=%00",
    "/api/v2/documents/?search=%00",
    "/api/v2/pages/?locale=%00",
    "/api/v2/pages/?offset=99999999999999999999",
    "/api/v2/images/?offset=99999999999999999999",
    "/api/v2/pages/find/?id=x",
    "/api/v2/pages/?search=a&search_operator=x",
    "/api/v2/images/?search=a&search_operator=",
    "/api/v2/documents/?search=a&search_operator=AND",
    "/api/v2/documents/find/?id=" + "1" * 5000,
    "/api/v2/pages/?site=met.localhost&limit=50",
    "/api/v2/pages/?site=met.localhost:80&slug=met-own-zk4",
]


@pytest.mark.parametrize("path", FOUND)
def test_found_by_the_property_runs(world, path):
    host = "thames-valley.localhost"
    with each_example():
        response = Client().get(path, HTTP_HOST=host)
        check(world, response, host, "")
    assert response.status_code == 400


def test_another_forces_page_by_id_with_its_site(world):
    """Even by id, naming the other site (Wagtail's ``site`` parameter) finds nothing."""
    host = "thames-valley.localhost"
    met_page = world.forces["met"].page_ids[0]
    for path in (f"/api/v2/pages/{met_page}/?site=met.localhost", f"/api/v2/pages/{met_page}/"):
        response = Client().get(path, HTTP_HOST=host)
        check(world, response, host, "")
        assert response.status_code in (400, 404)
