"""An old page's main content as the platform's StreamField blocks, cleaned.

Headings become h2/h3, formatting b/i, lists stay lists, everything else (inline styles,
scripts, fonts, spans, classes) goes; nh3 has the last word on what HTML is kept. Links to pages
and documents of the old site become Wagtail links to the imported page or document; images
become image blocks with their alt text; tables become lists (the body has no table block), and
the page's notes say so. Each call is deterministic, so the same old page gives the same blocks
and an unchanged page is recognised as such.
"""

import copy
import re
import uuid
from dataclasses import dataclass, field
from html import escape

import lxml.html
import nh3

PARAGRAPH_TAGS = {"p", "h2", "h3", "b", "i", "ul", "ol", "li", "a", "br"}
INTRO_TAGS = {"p", "b", "i", "a", "br"}
LINK_ATTRIBUTES = {"a": {"href", "linktype", "id"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
HEADING_LEVELS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h3", "h5": "h3", "h6": "h3"}
INLINE_RENAMES = {"strong": "b", "em": "i", "hi": "i"}
BLOCK_NAMESPACE = uuid.UUID("5c2b1f9e-8d3a-4c1e-9f0b-7a6d5e4c3b2a")


@dataclass
class Converted:
    blocks: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    # Old addresses this page links to that could not be followed (reported as broken).
    broken_links: list = field(default_factory=list)

    def note(self, text):
        if text not in self.notes:
            self.notes.append(text)


class Linker:
    """What the converter asks of the import: ``link(url)`` gives ``("page", id)``,
    ``("document", id)``, ``("external", url)`` or ``("broken", reason)``; ``image(url)`` gives an
    image id or ``(None, reason)``."""

    def link(self, url):
        raise NotImplementedError

    def image(self, url):
        raise NotImplementedError


def clean(html, tags=PARAGRAPH_TAGS):
    return nh3.clean(
        html, tags=tags, attributes=LINK_ATTRIBUTES, link_rel=None, url_schemes=URL_SCHEMES
    ).strip()


def _text(element):
    return " ".join(element.text_content().split())


def _table_as_list(table):
    rows = []
    for row in table.iter("tr"):
        cells = [_text(cell) for cell in row if cell.tag in ("td", "th")]
        cells = [cell for cell in cells if cell]
        if cells:
            rows.append("<li>" + escape(" – ".join(cells)) + "</li>")
    return f"<ul>{''.join(rows)}</ul>" if rows else ""


BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "div", "img", "table"}


def _is_layout(table):
    """Whether ``table`` lays a page out (its cells hold paragraphs, headings, lists...)
    rather than holding data."""
    return any(
        child.tag in BLOCK_TAGS
        for cell in table.iter("td", "th")
        for child in cell.iterdescendants()
        if isinstance(child.tag, str)
    )


def _main_cell(table):
    """The cell of a layout table that holds the page: the one with the title, else the one
    with the most text."""
    cells = list(table.iter("td", "th"))
    for cell in cells:
        if cell.find(".//h1") is not None:
            return cell
    return max(cells, key=lambda cell: len(_text(cell)))


class _Builder:
    def __init__(self, key, linker, result):
        self.key = key
        self.linker = linker
        self.result = result
        self.paragraph = []
        self.dropped_title = False

    def block_id(self):
        return str(uuid.uuid5(BLOCK_NAMESPACE, f"{self.key}:{len(self.result.blocks)}"))

    def flush(self):
        html = clean("".join(self.paragraph))
        self.paragraph = []
        if re.sub(r"<[^>]+>|\s", "", html):
            self.result.blocks.append({"type": "paragraph", "value": html, "id": self.block_id()})

    def add_image(self, element):
        src = element.get("src") or element.get("data-src") or ""
        if not src:
            return
        found, reason = self.linker.image(src)
        if found is None:
            self.result.note(reason)
            return
        alt = " ".join((element.get("alt") or "").split())[:250]
        self.flush()
        self.result.blocks.append(
            {
                "type": "image",
                "value": {"image": found, "alt_text": alt, "caption": ""},
                "id": self.block_id(),
            }
        )

    def rewrite_links(self, element):
        for anchor in list(element.iter("a")):
            href = (anchor.get("href") or "").strip()
            for attribute in list(anchor.attrib):
                del anchor.attrib[attribute]
            if not href or href.startswith("#"):
                anchor.drop_tag()
                continue
            kind, value = self.linker.link(href)
            if kind in ("page", "document"):
                anchor.set("linktype", kind)
                anchor.set("id", str(value))
            elif kind == "external":
                anchor.set("href", value)
            else:
                self.result.broken_links.append(href)
                self.result.note(f"broken link to {href} ({value}) kept as text")
                anchor.drop_tag()

    def inline(self, element):
        """``element`` (a paragraph, heading or list) as cleaned HTML; images inside it are
        lifted out after it."""
        images = list(element.iter("img", "graphic"))
        for image in images:
            image.drop_tree()
        for old, new in INLINE_RENAMES.items():
            for child in element.iter(old):
                child.tag = new
        self.rewrite_links(element)
        return lxml.html.tostring(element, encoding="unicode", with_tail=False), images

    def walk(self, parent):
        for element in parent:
            if not isinstance(element.tag, str):
                continue
            tag = element.tag.lower()
            if tag in ("script", "style", "noscript", "form", "nav", "iframe", "button"):
                continue
            if tag == "h1" and not self.dropped_title:
                # The page's title, already its Wagtail title.
                self.dropped_title = True
                continue
            if tag in HEADING_LEVELS:
                element.tag = HEADING_LEVELS[tag]
                html, images = self.inline(element)
                self.paragraph.append(html)
            elif tag in ("p", "ul", "ol", "blockquote", "pre", "address"):
                if tag in ("blockquote", "pre", "address"):
                    element.tag = "p"
                html, images = self.inline(element)
                self.paragraph.append(html)
            elif tag in ("img", "graphic"):
                self.add_image(element)
                continue
            elif tag == "table" and _is_layout(element):
                # Old CMSs laid pages out with tables: keep the cell with the content.
                self.walk(_main_cell(element))
                self.result.note("a layout table: only its main cell was kept")
                continue
            elif tag == "table":
                listed = _table_as_list(element)
                if listed:
                    self.paragraph.append(listed)
                    self.result.note("a table was turned into a list: check it reads well")
                continue
            elif tag in ("figure",):
                for image in element.iter("img"):
                    self.add_image(image)
                caption = element.find(".//figcaption")
                if caption is not None and _text(caption):
                    self.paragraph.append(f"<p>{escape(_text(caption))}</p>")
                continue
            elif tag == "a":
                wrapper = lxml.html.Element("p")
                wrapper.append(copy.deepcopy(element))
                html, images = self.inline(wrapper)
                self.paragraph.append(html)
            else:
                # Containers (div, section, article, main, span...): their contents, in order.
                if (element.text or "").strip():
                    self.paragraph.append(f"<p>{escape(element.text.strip())}</p>")
                self.walk(element)
                if (element.tail or "").strip():
                    self.paragraph.append(f"<p>{escape(element.tail.strip())}</p>")
                continue
            for image in images:
                self.add_image(image)


def convert_body(body_html, key, linker):
    """The blocks of ``body_html`` (the main content of the old page ``key``)."""
    result = Converted()
    if not body_html.strip():
        return result
    root = lxml.html.fragment_fromstring(body_html, create_parent="div")
    for body in root.iter("body"):
        # trafilatura's output is a whole document.
        root = body
        break
    builder = _Builder(key, linker, result)
    builder.walk(root)
    builder.flush()
    return result


def intro_html(blocks):
    """A section page's introduction from blocks: its text, with bold, italic and links."""
    html = "".join(block["value"] for block in blocks if block["type"] == "paragraph")
    html = re.sub(r"<(/?)(h2|h3|li)>", r"<\1p>", html)
    return clean(html, tags=INTRO_TAGS)
