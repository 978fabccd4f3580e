"""A reporting journey never answers bad input with a 5xx: step POSTs of every question type,
missing or wrong CSRF tokens, unknown steps and routes, forged and garbled draft cookies."""

from datetime import timedelta
from urllib.parse import quote

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.factories import png_bytes
from tests.property.checks import FORM_VALUE, NASTY, TEXT, as_header, check
from tests.property.conftest import PROPERTY, count_case, each_example
from tests.property.world import STEPS, TYPED, new_uuid_text, signed

# Every answer of the journey typed correctly, by field name: drawn now and then so that some
# examples get past validation, save their answers and go on.
VALID = {
    **{name: value for name, value in TYPED.items() if name != "when"},
    "when-day": "3",
    "when-month": "2",
    "when-year": "2025",
    "vehicles-count": "1",
    "vehicles-1-vreg": "ab12cde",
    "vehicles-1-colour": "Red",
    "declaration": "on",
}
ACTIONS = st.one_of(
    st.sampled_from(
        [
            "continue",
            "add:vehicles",
            "remove:vehicles:1",
            "remove:vehicles:2",
            "remove:vehicles:0",
            "remove:vehicles:²",
            "remove:vehicles:٣",
            "remove:vehicles:99999999999999999999999",
            "remove:vehicles:-1",
            "remove::",
            "add:",
            "add:nope",
        ]
    ),
    TEXT,
)


def field_names(step):
    """The names a browser posts for ``step``'s questions (group items up to one past the
    most allowed)."""
    names = []
    for question in step.questions:
        if question.type == "date":
            names += [f"{question.id}-{part}" for part in ("day", "month", "year")]
        elif question.type == "group":
            names.append(f"{question.id}-count")
            for number in range(1, question.max_items + 2):
                names += [f"{question.id}-{number}-{sub.id}" for sub in question.questions]
        elif question.type != "evidence":
            names.append(question.id)
    return names


def value_for(name):
    valid = VALID.get(name)
    if valid is None:
        return FORM_VALUE
    return st.one_of(st.just(valid), FORM_VALUE)


def post_data(step):
    """What a browser (or anything else) posts to ``step``: each of its fields, some missing,
    any button, the honeypot, and fields it does not have."""
    names = field_names(step)
    return st.tuples(
        st.fixed_dictionaries(
            {name: value_for(name) for name in names},
            optional={
                "action": ACTIONS,
                "remove-evidence": st.one_of(TEXT, st.just(new_uuid_text())),
                "website": TEXT,  # the honeypot
            },
        ),
        st.sets(st.sampled_from(names)) if names else st.just(set()),
        st.dictionaries(TEXT, FORM_VALUE, max_size=2),
    ).map(
        lambda parts: {
            **parts[2],
            **{name: value for name, value in parts[0].items() if name not in parts[1]},
        }
    )


FILE_NAME = st.one_of(st.sampled_from(["photo.png", "a.pdf", "x"]), TEXT)
FILE_BODY = st.one_of(st.just(png_bytes()), st.binary(max_size=64), st.just(b"%PDF-1.4 x"))
UPLOAD = st.builds(
    lambda name, body, kind: SimpleUploadedFile(name or "f", body, content_type=kind),
    FILE_NAME,
    FILE_BODY,
    st.sampled_from(["image/png", "application/pdf", "text/html", "", "application/x-nul"]),
)


def _draft_client(world, cookie, enforce_csrf=False):
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.cookies[world.cookie_name()] = cookie
    return client


def _sent(*parts):
    return " ".join(repr(part) for part in parts)


QUESTION_STEPS = [item["value"]["step_id"] for item in STEPS if item["type"] == "step"]


@pytest.mark.parametrize("step_id", QUESTION_STEPS)
@PROPERTY
@given(data=st.data())
def test_step_posts(world, step_id, data):
    """POST anything to a step (what a browser sends, and what it never would)."""
    current = world.journey.step(step_id)
    post = data.draw(post_data(current), label="post")
    if any(question.type == "evidence" for question in current.questions):
        uploads = data.draw(st.lists(UPLOAD, max_size=3), label="uploads")
        if uploads:
            post["files"] = uploads
    change = data.draw(st.booleans(), label="change")
    csrf = data.draw(st.sampled_from(["off", "off", "off", "missing", "wrong", "valid"]), "csrf")
    count_case(f"journey step POST ({current.questions[0].type})")
    host = world.journey_host
    path = f"{world.base_path}step/{current.id}/" + ("?change=1" if change else "")
    with each_example():
        client = _draft_client(world, world.draft_at(current.id), enforce_csrf=csrf != "off")
        if csrf == "valid":
            client.get(path, HTTP_HOST=host)
            post["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
        elif csrf == "wrong":
            post["csrfmiddlewaretoken"] = data.draw(TEXT, label="token")
        response = client.post(path, post, HTTP_HOST=host)
        body = check(world, response, host, _sent(path, post))
        if csrf in ("missing", "wrong"):
            assert response.status_code == 403
            assert "reload the page and send it again" in body  # templates/403_csrf.html
            return
        if response.status_code == 302:
            # Whatever was stored shows again: on the next step and on check your answers.
            for url in (response["Location"], f"{world.base_path}check-your-answers/"):
                check(world, client.get(url, HTTP_HOST=host), host, _sent(path, post))


ROUTES = [
    "",
    "start/",
    "step/s-short/",
    "step/s-group/",
    "step/hurt-exit/",
    "check-your-answers/",
    "confirmation/",
    "session-ended/",
    "keep-alive/",
]
STEP_ID = st.one_of(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", max_size=40),
    TEXT,
)
ROUTE = st.one_of(
    st.sampled_from(ROUTES),
    STEP_ID.map(lambda step_id: f"step/{quote(step_id, safe='')}/"),
    TEXT.map(lambda text: quote(text, safe="/")),
)


def _cookie(world, kind, text):
    """A draft cookie of ``kind`` (the ones a browser could hold, and forged ones)."""
    if kind == "live":
        return world.draft_at("s-date")
    if kind == "complete":
        return world.draft_at(None)
    if kind == "expired":
        return world.draft_at("s-date", expires_at=timezone.now() - timedelta(hours=1))
    if kind == "other journey":
        # A live draft of another force's journey, sent to this one.
        from reporting import drafts
        from reporting.models import Draft

        other = world.other_journey_page
        draft = Draft.objects.create(
            journey_id=other.pk,
            force_id=world.journey_force.pk,
            revision_id=other.live_revision_id,
            answers={},
            expires_at=timezone.now() + drafts.timeout(),
        )
        return drafts.signed_key(draft)
    if kind == "signed text":
        return signed(text)  # what only someone holding the secret key could send
    if kind == "signed unknown":
        return signed(new_uuid_text())
    return text  # garbled: anything at all


COOKIE_KINDS = st.sampled_from(
    ["none", "live", "complete", "expired", "other journey", "signed text", "signed unknown", "raw"]
)


@PROPERTY
@given(
    route=ROUTE,
    method=st.sampled_from(["get", "post"]),
    kind=COOKIE_KINDS,
    text=st.one_of(TEXT, st.sampled_from(NASTY)),
    query=st.one_of(
        st.just(""), st.sampled_from(["?change=1", "?change=%00", "?change=1&change=2"])
    ),
    enforce_csrf=st.booleans(),
)
@example(
    route="step/s-short/", method="get", kind="signed text", text="0", query="", enforce_csrf=False
)
@example(route="start/", method="get", kind="none", text="", query="", enforce_csrf=False)
def test_journey_urls_and_cookies(world, route, method, kind, text, query, enforce_csrf):
    """Any route under the journey, with any draft cookie (forged, garbled, expired, another
    force's), by GET or POST (with or without a CSRF token)."""
    known = route.split("/")[0] if route in ROUTES or route.startswith("step/") else "other"
    count_case(f"journey URL ({known or 'start page'})")
    host = world.journey_host
    path = f"{world.base_path}{route}{query}"
    with each_example():
        headers = {}
        if kind != "none":
            value = _cookie(world, kind, text)
            headers["HTTP_COOKIE"] = as_header(f"{world.cookie_name()}={value}")
        client = Client(enforce_csrf_checks=enforce_csrf)
        response = getattr(client, method)(path, HTTP_HOST=host, **headers)
        # keep-alive/ is the timeout warning's script endpoint: an empty 405 or 410 is its answer.
        empty = (405, 410) if route == "keep-alive/" else ()
        check(world, response, host, _sent(path, text), allow_empty=empty)
        if method == "post" and enforce_csrf:
            # Refused, or not a page (404, or 301 to the address with its final slash).
            assert response.status_code in (301, 403, 404), "a POST needs a CSRF token"


# What the runs above found, kept as plain tests (each gave a 500 before its fix).
FOUND = [
    # A number of thousands of digits: its answer could not be saved as JSON.
    ("s-number", {"people": "1" * 5000}),
    ("s-number", {"people": "-" + "9" * 4400}),
    # "²" passes str.isdigit() but not int(): the "Remove" button of a group item.
    ("s-group", {"vehicles-count": "2", "action": "remove:vehicles:²"}),
    ("s-group", {"vehicles-count": "2", "action": "remove:vehicles:" + "1" * 5000}),
]


@pytest.mark.parametrize(("step_id", "post"), FOUND)
def test_found_by_the_property_runs(world, step_id, post):
    host = world.journey_host
    path = f"{world.base_path}step/{step_id}/"
    with each_example():
        client = _draft_client(world, world.draft_at(step_id))
        response = client.post(path, post, HTTP_HOST=host)
        body = check(world, response, host, _sent(path, post))
    if step_id == "s-number":
        assert response.status_code == 400
        assert "must be 999,999,999,999,999 or less" in body or (
            "must be -999,999,999,999,999 or more" in body
        )


CONTENT_TYPES = st.sampled_from(
    [
        "application/json",
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=latin-1",
        "application/x-www-form-urlencoded; charset=nonsense",
        "multipart/form-data",
        "multipart/form-data; boundary=x",
        "multipart/form-data; boundary=",
        "",
    ]
)
RAW_BODY = st.one_of(
    st.binary(max_size=200),
    st.sampled_from(
        [
            b'{"name": ["a", "b"], "action": {"x": 1}}',
            b"name=%ff%fe&action=continue",
            b"name=a&name=b&name=c",
            b'--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nSam\r\n--x--\r\n',
            b'--x\r\nContent-Disposition: form-data; name="files"; filename="a\x00.png"\r\n',
            b"%" * 100,
            b"&" * 1000,
            b"a=" + b"b" * 100_000,
        ]
    ),
)


@PROPERTY
@given(
    step_id=st.sampled_from(["s-short", "s-group", "s-evidence", "s-checkboxes"]),
    content_type=CONTENT_TYPES,
    body=RAW_BODY,
)
@example(step_id="s-short", content_type="multipart/form-data; boundary=", body=b"")
def test_step_raw_bodies(world, step_id, content_type, body):
    """A step POST whose body is not a form (JSON, bad encodings, broken multipart)."""
    count_case("journey step POST (raw body)")
    host = world.journey_host
    path = f"{world.base_path}step/{step_id}/"
    with each_example():
        client = _draft_client(world, world.draft_at(step_id))
        # generic() sends the bytes as they are (post() would encode them itself).
        response = client.generic("POST", path, body, content_type=content_type, HTTP_HOST=host)
        check(world, response, host, _sent(path, body))


def test_a_step_sent_without_its_csrf_token(world):
    """The 403 says what happened and what to do, and the answers already given are kept."""
    host = world.journey_host
    path = f"{world.base_path}step/s-short/"
    with each_example():
        client = _draft_client(world, world.draft_at("s-short"), enforce_csrf=True)
        response = client.post(path, {"name": "Sam"}, HTTP_HOST=host)
        body = check(world, response, host, path)
        assert response.status_code == 403
        assert "Sorry, we could not send your form" in body
        assert "the answers you had already saved are kept" in body
