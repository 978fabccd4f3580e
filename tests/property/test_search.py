"""Search, title suggestions, the news listing and the cookie settings form never answer bad
input with a 5xx, nor with another force's pages."""

from urllib.parse import urlencode, urlsplit

from django.test import Client

from hypothesis import example, given
from hypothesis import strategies as st

from tests.property.checks import FORM_VALUE, NASTY, TEXT, as_header, check
from tests.property.conftest import PROPERTY, count_case, each_example
from tests.property.world import HUB, SHARED_WORD

HOSTS = st.sampled_from([HUB, "met.localhost", "thames-valley.localhost", "hampshire.localhost"])
QUERY = st.one_of(
    TEXT,
    st.sampled_from(
        [SHARED_WORD, f"{SHARED_WORD} notes", "Zebrafinch image", "advice", "thames valley"]
    ),
)
NUMBER = st.one_of(TEXT, st.integers(-(10**30), 10**30).map(str))
# Query strings as a browser would never send them: broken escapes, bad UTF-8, odd separators.
RAW_QUERY = st.sampled_from(
    [
        "q=%ff%fe",
        "q=%00",
        "q=%",
        "q=%e2%82",
        "page=%ZZ&q=a",
        "q[]=a&q[]=b",
        "q=a&q=b&page=2&page=3",
        ";;&&==",
        "q=zebrafinch&page=-1",
        "q=zebrafinch&page=999999999999",
        "q=zebrafinch&page=1e3",
        "q=" + "x" * 300,
    ]
)


def _get(world, host, path, params, raw=None):
    query = raw if raw is not None else urlencode(params, doseq=True)
    sent = f"{path}?{query} {params!r}"
    with each_example():
        response = Client().get(f"{path}?{query}", HTTP_HOST=host)
        return check(world, response, host, sent)


def _params(**named):
    return {name: value for name, value in named.items() if value is not None}


@PROPERTY
@given(
    host=HOSTS,
    welsh=st.booleans(),
    q=st.one_of(st.none(), QUERY),
    page=st.one_of(st.none(), NUMBER),
    extra=st.dictionaries(TEXT, FORM_VALUE, max_size=2),
    raw=st.one_of(st.none(), st.none(), RAW_QUERY),
)
@example(host="met.localhost", welsh=False, q="a\x00b", page=None, extra={}, raw=None)
@example(host="met.localhost", welsh=False, q="zebrafinch", page="٣", extra={}, raw=None)
def test_search(world, host, welsh, q, page, extra, raw):
    count_case("/search/")
    params = {**extra, **_params(q=q, page=page)}
    _get(world, host, "/cy/search/" if welsh else "/search/", params, raw)


@PROPERTY
@given(host=HOSTS, q=st.one_of(st.none(), QUERY), raw=st.one_of(st.none(), RAW_QUERY))
@example(host="met.localhost", q="zb\x00", raw=None)
def test_search_suggestions(world, host, q, raw):
    count_case("/search/suggest/")
    _get(world, host, "/search/suggest/", _params(q=q), raw)


@PROPERTY
@given(
    host=HOSTS,
    kind=st.one_of(st.none(), TEXT, st.sampled_from(["news", "appeal"])),
    page=st.one_of(st.none(), NUMBER),
    raw=st.one_of(st.none(), st.none(), RAW_QUERY),
)
def test_news_listing(world, host, kind, page, raw):
    count_case("/news/")
    _get(world, host, "/news/", _params(kind=kind, page=page), raw)


@PROPERTY
@given(
    host=HOSTS,
    analytics=st.one_of(st.none(), FORM_VALUE, st.sampled_from(["yes", "no"])),
    next_url=st.one_of(
        st.none(),
        TEXT,
        st.sampled_from(["/", "//evil.example/", "https://evil.example/", "/news/?a=b", "\\\\x"]),
    ),
    cookie=st.one_of(st.none(), st.sampled_from(NASTY), st.sampled_from(["%7B%7D", "%5B1%5D"])),
)
def test_cookie_settings_form(world, host, analytics, next_url, cookie):
    count_case("/cookies/")
    data = _params(analytics=analytics, next=next_url)
    headers = {"HTTP_COOKIE": as_header(f"cookies_policy={cookie}")} if cookie is not None else {}
    with each_example():
        response = Client().post("/cookies/", data, HTTP_HOST=host, **headers)
        body = check(world, response, host, f"{data!r} {cookie!r}")
    if response.status_code == 302:
        target = urlsplit(response["Location"].replace("\\", "/"))
        assert not (target.scheme or target.netloc), "the form only returns to this site"
    else:
        assert response.status_code == 400, body[:300]
