"""The main content of an old page and what it says about itself (title, date, kind), read
with trafilatura, or with the force's own CSS selector for its old CMS's content area."""

import copy
import json
import re

import lxml.html
import trafilatura
from lxml import etree
from lxml.cssselect import CSSSelector

NEWS_TYPES = {"newsarticle", "reportagenewsarticle", "analysisnewsarticle", "article"}
# Where old CMSs put a page's main content, tried in order when the rules name no selector.
# A page with none of them is left to trafilatura, which tells content from menus by itself.
LANDMARK_SELECTORS = [
    "main",
    "[role=main]",
    "#main-content",
    ".main-content",
    "#content",
    "#main",
    "article",
]
# A landmark with less text than this is taken for an empty wrapper.
MIN_LANDMARK_TEXT = 20


class ExtractionError(Exception):
    """The page has no main content that can be read; the message says why."""


def _schema_types(tree):
    types = set()
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        items = data if isinstance(data, list) else [data]
        items += [
            item
            for entry in list(items)
            if isinstance(entry, dict)
            for item in entry.get("@graph", [])
            if isinstance(item, dict)
        ]
        for item in items:
            if not isinstance(item, dict):
                continue
            kinds = item.get("@type", [])
            for kind in kinds if isinstance(kinds, list) else [kinds]:
                if isinstance(kind, str):
                    types.add(kind.lower())
    return types


def _meta(tree, *names):
    for name in names:
        found = tree.xpath(f"//meta[@name='{name}' or @property='{name}']/@content")
        if found and found[0].strip():
            return found[0].strip()
    return ""


def _clean_title(title, rules):
    title = re.sub(r"\s+", " ", title or "").strip()
    for suffix in rules.title_suffixes:
        if suffix and title.endswith(suffix):
            title = title[: -len(suffix)].strip()
    return title


def _selected_html(tree, selector):
    found = CSSSelector(selector)(tree)
    if not found:
        return ""
    return "".join(lxml.html.tostring(element, encoding="unicode") for element in found)


def _landmark_html(tree):
    """The HTML of the page's main-content landmark (``LANDMARK_SELECTORS``), if it has one."""
    for selector in LANDMARK_SELECTORS:
        for element in CSSSelector(selector)(tree):
            if len(" ".join(element.text_content().split())) >= MIN_LANDMARK_TEXT:
                return lxml.html.tostring(element, encoding="unicode")
    return ""


def _text_of(html):
    return " ".join(lxml.html.fromstring(html).text_content().split()) if html.strip() else ""


def _is_baseline(html):
    """Whether trafilatura fell back to its baseline: the page's whole text in one paragraph,
    menus and all, one line per element (it does so when it cannot tell the content apart)."""
    root = lxml.html.fromstring(html)
    body = root.find(".//body")
    blocks = list(body if body is not None else root)
    return len(blocks) == 1 and "\n" in (blocks[0].text_content() or "").strip()


def _trafilatura_body(tree, url):
    """The main content as HTML: with trafilatura's recall first (it keeps short pages whole),
    then its precision (it copes better with layout tables) if recall gave only the baseline."""
    body = ""
    for preference in ({"favor_recall": True}, {"favor_precision": True}):
        body = (
            trafilatura.extract(
                copy.deepcopy(tree),
                url=url,
                output_format="html",
                include_images=True,
                include_links=True,
                include_tables=True,
                include_formatting=True,
                include_comments=False,
                **preference,
            )
            or ""
        )
        if body and not _is_baseline(body):
            return body
    return body


def extract(html_bytes, url, rules):
    """What the old page at ``url`` holds, as a dict kept on its ``ImportedPage``:
    ``title``, ``date`` (ISO or empty), ``description``, ``news_article`` (its markup says it is
    a news article), ``body`` (HTML of the main content, links absolute)."""
    try:
        tree = lxml.html.document_fromstring(html_bytes, base_url=url)
    except (etree.ParserError, ValueError) as error:
        raise ExtractionError(f"the HTML cannot be read ({error})") from None
    for selector in rules.remove_selectors:
        for element in CSSSelector(selector)(tree):
            element.drop_tree()
    tree.make_links_absolute(url, resolve_base_href=True, handle_failures="discard")
    schema_types = _schema_types(tree)
    headings = [" ".join(h.text_content().split()) for h in tree.xpath("//h1")]
    metadata = trafilatura.extract_metadata(tree, default_url=url)
    title = (
        headings[0]
        if headings and headings[0]
        else _clean_title((metadata.title if metadata else "") or _meta(tree, "og:title"), rules)
    )
    if rules.content_selector:
        body = _selected_html(tree, rules.content_selector)
        if not body:
            raise ExtractionError(
                f"nothing matches the content selector {rules.content_selector!r}"
            )
    else:
        body = _landmark_html(tree) or _trafilatura_body(tree, url)
    if not body.strip():
        raise ExtractionError("no main content found")
    if not title:
        raise ExtractionError("the page has no title")
    og_type = _meta(tree, "og:type").lower()
    return {
        "title": title[:255],
        "date": (metadata.date if metadata and metadata.date else "") or "",
        "description": _meta(tree, "description", "og:description")[:255],
        "news_article": bool(schema_types & NEWS_TYPES) or og_type == "article",
        "body": body,
    }
