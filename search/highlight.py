"""Highlighted snippets: a short passage of a result's text with the searched-for words marked.

The passage comes from the page's summary when the query's words are in it, else from the text
of the page's search fields (its body: paragraphs, headings, callouts …), else the summary as it
is. Words are matched ignoring case and common English endings ("burglary", "burglaries" and
"burglar" all match each other), in Python, so snippets are the same on every search backend.
Everything is escaped; only the ``<mark>`` elements added here are markup.
"""

import functools
import re
from html import unescape

from django.utils.html import escape
from django.utils.safestring import mark_safe

from wagtail import blocks
from wagtail.blocks import StreamValue
from wagtail.search import index

from .backends import WELSH_STOP_WORDS

# About two lines of a results page; a summary up to this long is shown whole.
SNIPPET_WORDS = 32
# Words shown before the first match when the passage does not start at a sentence.
LEAD_WORDS = 6
ELLIPSIS = "…"

WORD = re.compile(r"\w+")
TAG = re.compile(r"<[^>]*>")
# Where rich text's blocks end (paragraphs, headings, list items, quotes, line breaks).
BLOCK_END = re.compile(r"</(?:p|h\d|li|blockquote)>|<(?:br|hr)\s*/?>", re.IGNORECASE)
SENTENCE_ENDS = (".", "!", "?")
# A piece of text (a heading, a paragraph) ending otherwise gets a full stop when joined.
PIECE_ENDS = (*SENTENCE_ENDS, ":", ";", ELLIPSIS)
# Too common to be worth marking wherever they occur (unless the query holds nothing else).
ENGLISH_STOP_WORDS = (
    "a an and any are as at be been but by can do for from had has have how i if in into is it "
    "its me my no not of on or our so than that the their them then there these they this to was "
    "we were what when where which who why will with you your"
)
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS.split()) | frozenset(WELSH_STOP_WORDS)
# Endings folded away before words are compared, longest first ("ies" before "s").
ENDINGS = (
    ("ies", "y"),
    ("ied", "y"),
    ("ying", "y"),
    ("sses", "ss"),
    ("ing", ""),
    ("ed", ""),
    ("es", "e"),
    ("s", ""),
)
KEEP_S = ("ss", "us", "is")
LIST_ITEM_KEYS = {"type", "value", "id"}


@functools.lru_cache(maxsize=10_000)
def stem(word):
    """``word`` in lower case without a common English ending ("burglaries" -> "burglar")."""
    word = word.lower()
    for ending, replacement in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            if ending == "s" and word.endswith(KEEP_S):
                continue
            word = word[: -len(ending)] + replacement
            break
    # "burglary"/"burglar", "robbery"/"robber": a final y is the same word.
    if word.endswith("y") and len(word) > 4:
        word = word[:-1]
    return word


def query_stems(query):
    """The stems to mark for ``query``: its words less the very common ones."""
    words = [word.lower() for word in WORD.findall(query)]
    meaningful = [word for word in words if word not in STOP_WORDS] or words
    return frozenset(stem(word) for word in meaningful)


def _words(text):
    return list(WORD.finditer(text))


def _render(text, start, end, matches):
    """``text[start:end]`` escaped, with ``matches`` (spans inside it) wrapped in ``<mark>``."""
    parts, position = [], start
    for match_start, match_end in matches:
        parts.append(escape(text[position:match_start]))
        parts.append(f"<mark>{escape(text[match_start:match_end])}</mark>")
        position = match_end
    parts.append(escape(text[position:end]))
    return "".join(parts)


def _best_window(words, hits, stems_of_hits):
    """The index of the first word of the ``SNIPPET_WORDS``-word window holding the most
    different query words (then the most matches; then the earliest)."""
    best, best_score = 0, (-1, -1)
    for hit in hits:
        start = max(0, hit - LEAD_WORDS)
        inside = [position for position in hits if start <= position < start + SNIPPET_WORDS]
        score = (len({stems_of_hits[position] for position in inside}), len(inside))
        if score > best_score:
            best, best_score = start, score
    return best


def _sentence_start(text, words, first_hit, window_start):
    """Move the window back to the start of the sentence of its first match, if that is near."""
    for position in range(first_hit, max(-1, first_hit - LEAD_WORDS * 2), -1):
        if position == 0 or text[: words[position].start()].rstrip()[-1:] in SENTENCE_ENDS:
            return position
    return window_start


def snippet(text, stems, *, whole_if_short=False):
    """A passage of ``text`` with the words matching ``stems`` marked, or ``None`` if none match.

    The passage is the ``SNIPPET_WORDS`` words around the most matches, with "…" where it is
    cut; with ``whole_if_short``, text of no more than ``SNIPPET_WORDS`` words is kept whole.
    """
    words = _words(text)
    hits, stems_of_hits = [], {}
    for position, word in enumerate(words):
        word_stem = stem(word.group())
        if word_stem in stems:
            hits.append(position)
            stems_of_hits[position] = word_stem
    if not hits:
        return None
    if whole_if_short and len(words) <= SNIPPET_WORDS:
        first, last = 0, len(words) - 1
    else:
        first = _best_window(words, hits, stems_of_hits)
        first_hit = next(position for position in hits if position >= first)
        first = _sentence_start(text, words, first_hit, first)
        last = min(len(words), first + SNIPPET_WORDS) - 1
    start = 0 if first == 0 else words[first].start()
    end = len(text) if last == len(words) - 1 else words[last].end()
    marked = [words[position].span() for position in hits if first <= position <= last]
    html = _render(text, start, end, marked).strip()
    prefix = "" if first == 0 else ELLIPSIS + " "
    suffix = "" if last == len(words) - 1 else " " + ELLIPSIS
    return mark_safe(prefix + html + suffix)  # noqa: S308 - every part of the text is escaped


def _is_list_item(item):
    """Whether ``item`` of a ListBlock's stored data is in the block format (with an id)."""
    return isinstance(item, dict) and item.get("type") == "item" and set(item) <= LIST_ITEM_KEYS


def _block_text(block, raw):
    """The words a reader sees in ``raw``, the stored (JSON) data of ``block``: its text, rich
    text and headings, without choice labels ("Heading 2"), links, numbers or the like.

    Read from the stored data, without building the blocks' values, which is several times
    slower (each StreamField child, rich text and chooser converted).
    """
    if raw is None or not getattr(block, "search_index", True):
        return
    if isinstance(block, blocks.StreamBlock):
        for child in raw:
            child_block = block.child_blocks.get(child.get("type"))
            if child_block is not None:
                yield from _block_text(child_block, child.get("value"))
    elif isinstance(block, blocks.ListBlock):
        for item in raw:
            value = item["value"] if _is_list_item(item) else item
            yield from _block_text(block.child_block, value)
    elif isinstance(block, blocks.StructBlock):
        if isinstance(raw, dict):
            for name, child_block in block.child_blocks.items():
                yield from _block_text(child_block, raw.get(name))
    elif isinstance(block, blocks.RichTextBlock):
        yield rich_text_words(str(raw))
    elif isinstance(block, blocks.CharBlock | blocks.TextBlock):
        yield str(raw)


def rich_text_words(html):
    """The text of stored rich text, with a space between its blocks and no tags.

    Like Wagtail's ``get_text_for_indexing`` but by pattern rather than with an HTML parser,
    which is several times faster; what comes out is only ever shown escaped.
    """
    return unescape(TAG.sub("", BLOCK_END.sub(" ", html)))


def _field_text(page, field):
    value = getattr(page, field.field_name, None)
    if isinstance(value, StreamValue):
        yield from _block_text(value.stream_block, value.raw_data)
        return
    value = field.get_value(page)
    for item in value if isinstance(value, list | tuple) else [value]:
        if item:
            yield str(item)


def indexed_text(page):
    """The text of ``page``'s search fields beyond its title, as one string.

    Pieces (paragraphs, headings, list items) are joined as sentences.
    """
    pieces = []
    for field in page.get_search_fields():
        if not isinstance(field, index.SearchField) or field.field_name == "title":
            continue
        for piece in _field_text(page, field):
            piece = " ".join(piece.split())
            if piece:
                pieces.append(piece if piece.endswith(PIECE_ENDS) else piece + ".")
    return " ".join(pieces)


def summary_of(page):
    """What the page says about itself: its listing summary, else its search description."""
    return getattr(page, "listing_summary", "") or page.search_description or ""


def page_snippet(page, stems):
    """The snippet for one result (``page`` with its specific fields), or ``""``.

    The summary, marked, when it holds a query word; else the best passage of the page's
    indexed text; else the summary unmarked.
    """
    summary = summary_of(page)
    if stems:
        marked = snippet(summary, stems, whole_if_short=True)
        if marked is None:
            marked = snippet(indexed_text(page), stems)
        if marked is not None:
            return marked
    return summary
