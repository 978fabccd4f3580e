"""Odd ``Host`` headers and odd paths never give a 5xx, nor another force's pages."""

from urllib.parse import quote

from django.test import Client

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.property.checks import TEXT, as_header, check
from tests.property.conftest import PROPERTY, count_case, each_example
from tests.property.world import HUB

FORCE_HOSTS = ["met.localhost", "thames-valley.localhost", "hampshire.localhost"]
PORT = st.one_of(
    st.integers(0, 99999).map(str),
    st.sampled_from(
        ["", "80", "443", "8000", "-1", "0x50", "８０", "80:80", "99999999999999999999"]
    ),
)
ODD_HOSTS = [
    "",
    "MET.LOCALHOST",
    "met.localhost.",
    "met..localhost",
    ".met.localhost",
    "*.localhost",
    "_met.localhost",
    "met.localhost/evil",
    "met.localhost@evil.example",
    "met.localhost evil",
    "met.localhost\r\nX-Injected: 1",
    "met.localhost\x00",
    "mét.localhost",
    "xn--mt-bja.localhost",
    "ТВП.localhost",
    "🚓.localhost",
    "[::1]",
    "[::1]:80",
    "[::1",
    "127.0.0.1",
    "127.0.0.1:80",
    "0.0.0.0",  # noqa: S104 (a Host header, not an address bound to)
    "a" * 64 + ".localhost",
    ("a" * 63 + ".") * 5 + "localhost",
    "localhost:" + "9" * 300,
    "met.localhost:80:80",
    "met.localhost, thames-valley.localhost",
]
HOST = st.one_of(
    st.sampled_from([HUB, *FORCE_HOSTS]),
    st.tuples(st.sampled_from([HUB, *FORCE_HOSTS]), PORT).map(":".join),
    st.sampled_from(ODD_HOSTS),
    TEXT,
)
PATHS = [
    "/",
    "/search/?q=zebrafinch",
    "/search/suggest/?q=zebra",
    "/report/",
    "/news/",
    "/contact-us/",
    "/advice/",
    "/sitemap.xml",
    "/robots.txt",
    "/api/v2/pages/",
    "/api/v2/images/",
    "/cookies/",
    "/cy/",
]


@pytest.mark.parametrize("allowed_hosts", [["*"], [".localhost", "localhost"]])
@PROPERTY
@given(
    host=HOST,
    path=st.sampled_from(PATHS),
    forwarded=st.one_of(st.none(), st.sampled_from(FORCE_HOSTS), TEXT),
)
@example(host="met.localhost\x00", path="/", forwarded=None)
@example(host="thames-valley.localhost:8000", path="/search/?q=zebrafinch", forwarded=None)
@example(host="thames-valley.localhost", path="/api/v2/pages/", forwarded="met.localhost")
def test_hosts(world, settings, allowed_hosts, host, path, forwarded):
    """Any ``Host`` (and ``X-Forwarded-Host``, which is not trusted) on the main pages: a 400
    for a host that is not one, never a 5xx, never another force's pages."""
    count_case("Host header")
    settings.ALLOWED_HOSTS = allowed_hosts
    headers = {"HTTP_HOST": as_header(host)}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_HOST"] = as_header(forwarded)
    with each_example():
        response = Client().get(path, **headers)
        check(world, response, host, f"{host} {path} {forwarded}")


ODD_PATHS = [
    "/cy/",
    "/cy/search/?q=zebrafinch",
    "/cy/report/",
    "/cy/report/property-journey/",
    "/cy/advice/",
    "/cy/news/",
    "/cy",
    "/CY/",
    "/cy/cy/",
    "/en/",
    "/fr/",
    "/advice%2F",
    "/report%2Fproperty-journey%2F",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2f",
    "//",
    "///report//",
    "/./",
    "/%00/",
    "/report/%00/",
    "/report/property-journey/step/%00/",
    "/a%ffb/",
    "/%c0%ae%c0%ae/",
    "/" + "a/" * 200,
    "/" + "a" * 3000 + "/",
    "/ŵ/",
    "/report/property-journey/step/s-short/%2F..%2F..%2F",
    "/documents/",
    "/documents/1/x.pdf",
    "/documents/999999999999999999999/x.pdf",
    "/report-files/",
    "/report-files/x",
    "/api/v2/pages/99999999999999999999/",
    "/api/v2/pages/find/",
    "/sitemap.xml?p=%00",
    "/sitemap.xml?p=99999999999999999999",
    "/robots.txt/",
]


@PROPERTY
@given(
    host=st.sampled_from([HUB, *FORCE_HOSTS]),
    path=st.one_of(
        st.sampled_from(ODD_PATHS),
        TEXT.map(lambda text: "/" + quote(text, safe="/")),
        TEXT.map(lambda text: "/cy/" + quote(text, safe="")),
    ),
)
@example(host="met.localhost", path="/%00/")
@example(host="met.localhost", path="/cy/report/")
def test_odd_paths(world, host, path):
    """Odd paths (Welsh on English-only sites, encoded slashes, NUL, very long) on any site."""
    count_case("odd path")
    with each_example():
        response = Client().get(path, HTTP_HOST=host)
        check(world, response, host, path)


@pytest.mark.parametrize("owner", ["met", "hampshire"])
@pytest.mark.parametrize(
    "route", ["{url}", "{document_url}", "/api/v2/documents/{pk}/", "/api/v2/images/{image}/"]
)
def test_another_forces_things_by_address(world, owner, route):
    """Another force's page, document or image asked for by its address on Thames Valley's
    site is not found there."""
    facts = world.forces[owner]
    host = "thames-valley.localhost"
    path = route.format(
        url=f"/{facts.needles[0]}/",
        document_url=facts.document_url,
        pk=facts.document_id,
        image=facts.image_id,
    )
    with each_example():
        response = Client().get(path, HTTP_HOST=host)
        check(world, response, host, path)  # a page may repeat its own address
        assert response.status_code == 404
