"""What every response to bad input must be, and the inputs the properties are made of."""

import json
import re

from hypothesis import strategies as st

from tests.property.world import SHARED_WORD, leaks

# Text people (and bots) send that has broken web applications before.
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n",
    "\t\x0b\x0c",
    "\x1b[31m",
    "\u202e",
    "\ufeff",
    "\u200b",
    "²",
    "٣",
    "𝟗",
    "Ⅻ",
    "1e999",
    "-1e-999",
    "NaN",
    "Infinity",
    "-0",
    "0x1F",
    "1_000",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "1" * 5000,
    "9.999999999999999999999",
    "<script>alert(1)</script>",
    "{{ request }}",
    "%(name)s",
    "%s%s%s",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%2e%2e%2f",
    "null",
    "true",
    "[]",
    "{}",
    "☃",
    "🚓",
    "Ω≈ç√",
    "\\",
    "\"'`",
    "a" * 201,
    SHARED_WORD,
]


def _repeat(pair):
    piece, times = pair
    return piece * times


LONG = st.tuples(
    st.sampled_from(["a", "9", " ", "\x00", "é", "\n", "🚓", "<"]), st.integers(200, 12_000)
).map(_repeat)

TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="ascii"), max_size=30),
    LONG,
)

# A form value: text, or several values under one name (a list where one is expected).
FORM_VALUE = st.one_of(TEXT, TEXT, st.lists(TEXT, min_size=0, max_size=4))


def as_header(text):
    """``text`` as a WSGI server puts a header into the environ: its UTF-8 bytes as Latin-1."""
    return text.encode("utf-8", errors="surrogatepass").decode("latin-1")


def body_text(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def _text_of(body, tag):
    """The text of the first ``tag`` element of ``body`` that has any."""
    for inner in re.findall(rf"<{tag}[\s>].*?</{tag}>", body, flags=re.S):
        text = re.sub(r"<[^>]+>", "", inner.split(">", 1)[1]).strip()
        if text:
            return text
    return ""


def check(world, response, host, sent, allow_empty=()):
    """Bad input never gives a 5xx; a 4xx says what went wrong; nothing of another force.

    ``sent``: everything the request carried, as text (see ``leaks``). ``allow_empty``: 4xx
    statuses that may have no body (a script's endpoint, not a page).
    """
    status = response.status_code
    body = body_text(response)
    assert status < 500, f"{status} for bad input:\n{body[:500]}"
    if 400 <= status < 500 and status not in allow_empty:
        kind = response.get("Content-Type", "")
        if "json" in kind:
            assert isinstance(json.loads(body).get("message"), str), body[:300]
        else:
            # A page that says what went wrong: a heading, and at least a sentence more.
            start = body[:300]
            assert _text_of(body, "h1"), f"{status} with no heading:\n{start}"
            assert _text_of(body, "p"), f"{status} says nothing:\n{start}"
    leaked = leaks(world, host, body, sent)
    assert not leaked, f"the response to {host} shows another force's {leaked}"
    return body
