"""Highlighted snippets: each result shows a passage of its text with the searched-for words
marked, escaped so neither a page nor a query can inject markup."""

import re

from django.utils.html import escape

import pytest

from search.highlight import SNIPPET_WORDS, page_snippet, query_stems, snippet
from tests.factories import ContentPageFactory

pytestmark = pytest.mark.django_db

TVP = "thames-valley.localhost"


def advice_of(force):
    return force.site.root_page.get_children().get(slug="advice")


def paragraph(html):
    return {"type": "paragraph", "value": html}


def snippets(response):
    return [
        " ".join(text.split())
        for text in re.findall(
            r'<p class="govuk-body solh-search-results__snippet">(.*?)</p>',
            response.content.decode(),
            re.S,
        )
    ]


def test_the_summary_is_shown_with_the_query_words_marked(host_client, forces):
    ContentPageFactory(
        parent=advice_of(forces["thames-valley"]),
        title="Keeping your home safe",
        listing_summary="What to do after a burglary, and how to prevent one.",
    )
    response = host_client.get(TVP, "/search/", data={"q": "Burglary prevent"})
    assert snippets(response) == [
        "What to do after a <mark>burglary</mark>, and how to <mark>prevent</mark> one."
    ]


def test_word_endings_are_matched_as_the_search_does(host_client, forces):
    ContentPageFactory(
        parent=advice_of(forces["thames-valley"]),
        title="Keeping your home safe",
        listing_summary="Burglaries rise in winter; a burglar looks for dark houses.",
    )
    response = host_client.get(TVP, "/search/", data={"q": "burglary"})
    assert snippets(response) == [
        "<mark>Burglaries</mark> rise in winter; a <mark>burglar</mark> looks for dark houses."
    ]


def test_a_match_in_the_body_shows_that_passage_of_the_body(host_client, forces):
    filler = " ".join(f"Sentence {number} about nothing in particular." for number in range(30))
    ContentPageFactory(
        parent=advice_of(forces["thames-valley"]),
        title="Home security",
        search_description="Keeping your home safe.",
        body=[
            paragraph(f"<p>{filler}</p>"),
            {"type": "heading", "value": {"text": "Padlocks", "level": "h2"}},
            paragraph("<p>Lock sheds with a closed-shackle padlock and chain your ladders.</p>"),
            paragraph(f"<p>{filler}</p>"),
        ],
    )
    response = host_client.get(TVP, "/search/", data={"q": "padlock"})
    [text] = snippets(response)
    assert text.startswith("… <mark>Padlocks</mark>. Lock sheds with a closed-shackle ")
    assert "<mark>padlock</mark> and chain your ladders." in text
    assert text.endswith(" …")
    assert len(re.findall(r"\w+", re.sub(r"</?mark>", "", text))) <= SNIPPET_WORDS
    assert "Keeping your home safe" not in text


def test_a_title_only_match_shows_the_summary_as_it_is(host_client, forces):
    ContentPageFactory(
        parent=advice_of(forces["thames-valley"]),
        title="Pickpockets",
        search_description="Keep your phone and purse out of sight in crowds.",
    )
    response = host_client.get(TVP, "/search/", data={"q": "pickpockets"})
    assert snippets(response) == ["Keep your phone and purse out of sight in crowds."]


def test_page_text_is_escaped_and_only_marks_are_markup(host_client, forces):
    ContentPageFactory(
        parent=advice_of(forces["thames-valley"]),
        title="Scam warning",
        search_description='A <img src=x onerror="alert(1)"> scam & more "quotes"',
        body=[paragraph("<p>&lt;script&gt;alert('scam')&lt;/script&gt; then a scam.</p>")],
    )
    response = host_client.get(TVP, "/search/", data={"q": "scam"})
    html = response.content.decode()
    [text] = snippets(response)
    assert text == (
        "A &lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>scam</mark> &amp; more "
        "&quot;quotes&quot;"
    )
    assert "<img src=x" not in html and "<script>alert" not in html


def test_the_query_is_never_markup(host_client, forces):
    ContentPageFactory(
        parent=advice_of(forces["thames-valley"]),
        title="Fraud",
        search_description="Fraud and how to report it.",
    )
    query = '<mark>fraud</mark><script>alert("x")</script>'
    response = host_client.get(TVP, "/search/", data={"q": query})
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<mark>fraud</mark><script>" not in html
    assert escape(query) in html  # shown back as text
    assert snippets(response) == ["<mark>Fraud</mark> and how to report it."]


def test_common_words_are_not_marked_unless_they_are_the_whole_query():
    stems = query_stems("how to report a burglary")
    text = "How to report a burglary to the police"
    assert snippet(text, stems, whole_if_short=True) == (
        "How to <mark>report</mark> a <mark>burglary</mark> to the police"
    )
    assert snippet("To be or not to be", query_stems("to be"), whole_if_short=True) == (
        "<mark>To</mark> <mark>be</mark> or not <mark>to</mark> <mark>be</mark>"
    )


def test_a_page_with_no_summary_and_no_match_has_no_snippet(forces):
    page = ContentPageFactory(
        parent=advice_of(forces["thames-valley"]),
        title="Empty",
        search_description="",
        body=[paragraph("<p>Nothing relevant.</p>")],
    )
    assert page_snippet(page, query_stems("burglary")) == ""
