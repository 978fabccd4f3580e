"""The demo's content: news, appeals and advice written for the three demo forces and the hub.

Everything here is fictional. Places are real so the sites feel local, but no incident, victim or
suspect is. Support organisations, their phone numbers and their websites are real, because a
demo that sends people to made-up helplines would teach the wrong habit.

Each force module (``met``, ``thames_valley``, ``hampshire``) and ``national`` exposes plain
data: ``NEWS`` (a list of ``Article``) and/or ``ADVICE`` (a list of ``AdvicePage``), whose bodies
are StreamField data built with the small helpers below.
"""

import datetime
from dataclasses import dataclass

# Tokens an article body may use, filled in from the article's date when it is seeded, so that
# "on Saturday 21 November" always falls just before the date the article is published.
DAY_BEFORE = "{day_before}"
TWO_DAYS_BEFORE = "{two_days_before}"


def long_date(day):
    """A date as GOV.UK writes it: 'Tuesday 3 March'."""
    return f"{day:%A} {day.day} {day:%B}"


def _fill(value, replacements):
    if isinstance(value, str):
        for token, text in replacements.items():
            value = value.replace(token, text)
        return value
    if isinstance(value, dict):
        return {key: _fill(item, replacements) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, replacements) for item in value]
    return value


def _date_tokens(date):
    return {
        DAY_BEFORE: long_date(date - datetime.timedelta(days=1)),
        TWO_DAYS_BEFORE: long_date(date - datetime.timedelta(days=2)),
    }


@dataclass(frozen=True)
class Article:
    """A news article or appeal, published ``days_ago`` days before the demo is seeded."""

    slug: str
    title: str
    kind: str
    days_ago: int
    summary: str
    body: list

    def date(self, today):
        return today - datetime.timedelta(days=self.days_ago)

    def summary_for(self, date):
        """The summary with its date tokens filled in relative to ``date``."""
        return _fill(self.summary, _date_tokens(date))

    def body_for(self, date):
        """The body with its date tokens filled in relative to ``date``."""
        return _fill(self.body, _date_tokens(date))


@dataclass(frozen=True)
class AdvicePage:
    """An advice page; ``is_sensitive`` pages always show the 'Exit this page' button."""

    slug: str
    title: str
    summary: str
    body: list
    is_sensitive: bool = False


# Block builders. Text that does not start with a tag is wrapped in a paragraph.


def _html(text):
    return text if text.startswith("<") else f"<p>{text}</p>"


def heading(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


def paragraph(*texts):
    return {"type": "paragraph", "value": "".join(_html(text) for text in texts)}


def bullets(*items):
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def numbered(*items):
    return "<ol>" + "".join(f"<li>{item}</li>" for item in items) + "</ol>"


def link(text, url):
    return f'<a href="{url}">{text}</a>'


def callout(*texts, style="warning", title=""):
    return {
        "type": "callout",
        "value": {"style": style, "heading": title, "text": "".join(_html(t) for t in texts)},
    }


def danger_callout(extra=""):
    """The warning every advice page opens with."""
    text = "If you are in danger, call 999."
    return callout(f"{text} {extra}".strip())


def accordion(*sections):
    """Sections as ``(heading, content)`` or ``(heading, summary, content)`` tuples."""
    items = []
    for section in sections:
        title, summary, content = section if len(section) == 3 else (section[0], "", section[1])
        if isinstance(content, (list, tuple)):
            content = "".join(_html(text) for text in content)
        items.append({"heading": title, "summary": summary, "content": _html(content)})
    return {"type": "accordion", "value": {"items": items}}


def link_list(title, *links):
    """External links as ``(text, url)`` pairs."""
    return {
        "type": "link_list",
        "value": {
            "heading": title,
            "links": [{"title": text, "page": None, "url": url} for text, url in links],
        },
    }


def contact_details(
    title="", phone="", email="", address="", opening_hours="", use_force_details=True
):
    return {
        "type": "contact_details",
        "value": {
            "heading": title,
            "phone": phone,
            "email": email,
            "address": address,
            "opening_hours": opening_hours,
            "use_force_details": use_force_details,
        },
    }


# Real organisations people are sent to, with their public websites.
CITIZENS_ADVICE_SCAMS = (
    "Citizens Advice: scams",
    "https://www.citizensadvice.org.uk/consumer/scams/",
)
CRIMESTOPPERS = ("Crimestoppers (anonymous)", "https://crimestoppers-uk.org/")
FEARLESS = (
    "Fearless: give information anonymously (for young people)",
    "https://www.fearless.org/",
)
GALOP = ("Galop: support for LGBT+ people", "https://galop.org.uk/")
KARMA_NIRVANA = ("Karma Nirvana: honour-based abuse helpline", "https://karmanirvana.org.uk/")
MENS_ADVICE_LINE = ("Men's Advice Line", "https://mensadviceline.org.uk/")
DOMESTIC_ABUSE_HELPLINE = (
    "National Domestic Abuse Helpline (Refuge)",
    "https://www.nationaldahelpline.org.uk/",
)
NEIGHBOURHOOD_WATCH = ("Neighbourhood Watch", "https://www.ourwatch.org.uk/")
NSPCC = ("NSPCC: worried about a child", "https://www.nspcc.org.uk/")
CHILDLINE = ("Childline", "https://www.childline.org.uk/")
RAPE_CRISIS = ("Rape Crisis England and Wales", "https://rapecrisis.org.uk/")
SAMARITANS = ("Samaritans", "https://www.samaritans.org/")
STALKING_HELPLINE = ("National Stalking Helpline", "https://www.suzylamplugh.org/")
TAKE_FIVE = ("Take Five to Stop Fraud", "https://www.takefive-stopfraud.org.uk/")
TRUE_VISION = ("True Vision: report hate crime online", "https://www.report-it.org.uk/")
VICTIM_SUPPORT = ("Victim Support", "https://www.victimsupport.org.uk/")
WOMENS_AID = ("Women's Aid", "https://www.womensaid.org.uk/")
MODERN_SLAVERY_HELPLINE = ("Modern Slavery Helpline", "https://www.modernslaveryhelpline.org/")
SECURED_BY_DESIGN = (
    "Secured by Design: police-approved security",
    "https://www.securedbydesign.com/",
)
IMMOBILISE = ("Immobilise: register your belongings", "https://www.immobilise.com/")
BIKE_REGISTER = ("BikeRegister", "https://www.bikeregister.com/")
RURAL_CRIME_NETWORK = ("National Rural Crime Network", "https://www.nationalruralcrimenetwork.net/")
GET_SAFE_ONLINE = ("Get Safe Online", "https://www.getsafeonline.org/")
POLICE_UK = ("police.uk: crime and policing in your area", "https://www.police.uk/")


def witness_appeal(reference, online=True):
    """The standard closing of an appeal: how to give information, with a reference."""
    ways = [
        f"Call 101, quoting reference {reference}.",
        "Tell us anonymously through the independent charity Crimestoppers on 0800 555 111.",
    ]
    if online:
        ways.insert(0, f"{link('Report online', '/report/')}, quoting reference {reference}.")
    return [
        heading("How to give information"),
        paragraph(bullets(*ways)),
        callout("If you see something happening now, call 999.", style="inset"),
    ]
