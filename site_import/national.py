"""Whether the national library already covers an old page's topic, by title similarity."""

import re
from difflib import SequenceMatcher

from forces.national.syndication import national_root

STOP_WORDS = {
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "by",
    "for",
    "from",
    "how",
    "i",
    "if",
    "in",
    "is",
    "it",
    "my",
    "of",
    "on",
    "or",
    "our",
    "the",
    "to",
    "us",
    "we",
    "what",
    "when",
    "you",
    "your",
    "about",
    "advice",
    "information",
    "guide",
    "police",
}


def words(title):
    """The title's significant words, lower case, plural ``s`` dropped."""
    found = re.findall(r"[a-z0-9]+", title.lower())
    return [
        word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
        for word in found
        if word not in STOP_WORDS
    ]


def similarity(first, second):
    """How alike two titles are, from 0 to 1: the better of the word overlap and the
    similarity of the significant words in order."""
    a, b = words(first), words(second)
    if not a or not b:
        return 0.0
    overlap = len(set(a) & set(b)) / len(set(a) | set(b))
    ordered = SequenceMatcher(None, " ".join(a), " ".join(b)).ratio()
    return max(overlap, ordered)


class NationalLibrary:
    """The live pages of the national library, read once per import."""

    def __init__(self):
        root = national_root()
        self.pages = []
        if root is not None:
            self.pages = list(
                root.get_descendants().live().only("title", "url_path").order_by("path")
            )

    def match(self, title, threshold):
        """The national page most like ``title`` if it is at least ``threshold`` alike."""
        best, best_score = None, 0.0
        for page in self.pages:
            score = similarity(title, page.title)
            if score > best_score:
                best, best_score = page, score
        return best if best_score >= threshold else None
