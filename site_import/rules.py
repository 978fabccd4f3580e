"""The per-force rules of an import, read from a small TOML file (``--rules``).

Every key is optional; what is not given takes the default below. An unknown key or a value of
the wrong kind is refused with a plain message naming it, so a typing mistake is never silently
ignored. See the README section "Moving a force's website" for an example file.
"""

import fnmatch
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

DEFAULT_USER_AGENT = "SingleOnlineHome-SiteImport/1.0 (+moving a force onto the platform)"

# Query parameters that never change what a page shows (tracking, print views, sessions).
DEFAULT_IGNORED_QUERY = [
    "utm_*",
    "fbclid",
    "gclid",
    "mc_cid",
    "mc_eid",
    "print",
    "sessionid",
    "jsessionid",
    "phpsessid",
]


class RulesError(ValueError):
    """The rules file cannot be used: the message says which key and why."""


@dataclass
class Rules:
    # [crawl]
    concurrency: int = 4
    delay_seconds: float = 0.5
    timeout_seconds: float = 15.0
    max_page_bytes: int = 5_000_000
    max_media_bytes: int = 20_000_000
    user_agent: str = DEFAULT_USER_AGENT
    follow_links: bool = True
    # [site]
    old_hosts: list = field(default_factory=list)
    title_suffixes: list = field(default_factory=list)
    # [urls]
    ignore_query: list = field(default_factory=lambda: list(DEFAULT_IGNORED_QUERY))
    skip: list = field(default_factory=list)
    listing: list = field(default_factory=lambda: [r"^/news/?(\?|$)", r"^/appeals?/?(\?|$)"])
    # [classify]: regular expressions on the path (and the title for appeals)
    news: list = field(default_factory=lambda: [r"^/news/.+"])
    appeal: list = field(default_factory=lambda: [r"^/appeals?/.+", r"(?i)^appeal\b"])
    contact: list = field(default_factory=lambda: [r"^/contact(-us)?/?$"])
    # [extract]
    content_selector: str = ""
    remove_selectors: list = field(default_factory=list)
    # [national]
    national_threshold: float = 0.75

    def ignores_query(self, name):
        name = name.lower()
        return any(fnmatch.fnmatchcase(name, pattern.lower()) for pattern in self.ignore_query)

    def matches(self, rule, text):
        return any(re.search(pattern, text) for pattern in getattr(self, rule))


# Where each key lives in the file: [section] key.
SECTIONS = {
    "crawl": [
        "concurrency",
        "delay_seconds",
        "timeout_seconds",
        "max_page_bytes",
        "max_media_bytes",
        "user_agent",
        "follow_links",
    ],
    "site": ["old_hosts", "title_suffixes"],
    "urls": ["ignore_query", "skip", "listing"],
    "classify": ["news", "appeal", "contact"],
    "extract": ["content_selector", "remove_selectors"],
    "national": ["national_threshold"],
}
TYPES = {field_.name: (float if field_.type is float else field_.type) for field_ in fields(Rules)}
POSITIVE = {"concurrency", "timeout_seconds", "max_page_bytes", "max_media_bytes"}
PATTERN_KEYS = {"skip", "listing", "news", "appeal", "contact"}


def _check_value(section, key, value):
    wanted = TYPES[key]
    where = f"[{section}] {key}"
    if wanted is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if wanted is list:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise RulesError(f"{where} must be a list of text values.")
    elif not isinstance(value, wanted) or (wanted is int and isinstance(value, bool)):
        raise RulesError(f"{where} must be {wanted.__name__}, not {value!r}.")
    if key in POSITIVE and value <= 0:
        raise RulesError(f"{where} must be more than 0.")
    if key == "delay_seconds" and value < 0:
        raise RulesError(f"{where} cannot be negative.")
    if key == "national_threshold" and not 0 < value <= 1:
        raise RulesError(f"{where} must be between 0 and 1.")
    if key in PATTERN_KEYS:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as error:
                raise RulesError(
                    f"{where}: {pattern!r} is not a valid pattern ({error})."
                ) from None
    return value


def parse_rules(data):
    """``Rules`` from the parsed TOML ``data`` (a dict of sections)."""
    values = {}
    for section, table in data.items():
        if section not in SECTIONS:
            known = ", ".join(f"[{name}]" for name in SECTIONS)
            raise RulesError(f"Unknown section [{section}] in the rules file (known: {known}).")
        if not isinstance(table, dict):
            raise RulesError(f"[{section}] must be a table of keys.")
        for key, value in table.items():
            if key not in SECTIONS[section]:
                known = ", ".join(SECTIONS[section])
                raise RulesError(f"Unknown key {key!r} in [{section}] (known: {known}).")
            values[key] = _check_value(section, key, value)
    return Rules(**values)


def load_rules(path=None):
    """The rules in the TOML file at ``path``, or the defaults if no file is given."""
    if path is None:
        return Rules()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise RulesError(f"Cannot read the rules file {path}: {error.strerror}.") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RulesError(f"The rules file {path} is not valid TOML: {error}.") from None
    return parse_rules(data)
