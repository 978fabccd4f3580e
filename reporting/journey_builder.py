"""Journeys as the raw StreamField data an editor's page would hold: for the demo and tests.

``journey_steps(...)`` returns data usable as ``ReportJourneyPage(steps=...)``;
``make_journey(...)`` the ``Journey`` the public go through. Question helpers take the id first
and fill in a label; every other block setting can be passed by name::

    steps = journey_steps(
        *emergency_steps(),
        step("when", date("incident-date", error_label="the date of the incident")),
        step("vehicles", group("vehicles", registration("registration"), item_label="vehicle")),
    )
"""

import uuid

from .blocks import JourneyStepsBlock
from .journey import Journey


def _child(block_type, value):
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def question(block_type, question_id, label=None, **settings):
    """Any question block: ``question("date", "when", not_in_future=True)``."""
    value = {"question_id": question_id, "label": label or question_id.replace("-", " ").title()}
    value.update(settings)
    return _child(block_type, value)


def options(*pairs):
    """Options from ``("value", "Label")`` pairs (or ``("value", "Label", "Hint")``)."""
    return [
        {"value": pair[0], "label": pair[1], "hint": pair[2] if len(pair) > 2 else ""}
        for pair in pairs
    ]


def short_text(question_id, label=None, **settings):
    return question("short_text", question_id, label, **settings)


def long_text(question_id, label=None, **settings):
    return question("long_text", question_id, label, **settings)


def location(question_id, label=None, **settings):
    return question("location", question_id, label, **settings)


def number(question_id, label=None, **settings):
    return question("number", question_id, label, **settings)


def date(question_id, label=None, **settings):
    settings.setdefault("not_in_future", True)
    return question("date", question_id, label, **settings)


def time(question_id, label=None, **settings):
    return question("time", question_id, label, **settings)


def yes_no(question_id, label=None, **settings):
    return question("yes_no", question_id, label, **settings)


def radios(question_id, choices, label=None, **settings):
    return question("radios", question_id, label, options=options(*choices), **settings)


def checkboxes(question_id, choices, label=None, **settings):
    return question("checkboxes", question_id, label, options=options(*choices), **settings)


def select(question_id, choices, label=None, **settings):
    return question("select", question_id, label, options=options(*choices), **settings)


def email(question_id, label=None, **settings):
    return question("email", question_id, label, **settings)


def phone(question_id, label=None, **settings):
    return question("phone", question_id, label, **settings)


def postcode(question_id, label=None, **settings):
    return question("postcode", question_id, label, **settings)


def registration(question_id, label=None, **settings):
    return question("registration", question_id, label, **settings)


def evidence(question_id, label=None, **settings):
    settings.setdefault("accepted_kinds", ["images", "video", "documents"])
    settings.setdefault("max_files", 5)
    return question("evidence", question_id, label, **settings)


def declaration(question_id="declaration", label="Declaration", **settings):
    settings.setdefault("text", "<p>Knowingly making a false report is an offence.</p>")
    settings.setdefault("confirm_label", "I confirm that the information I have given is true")
    return question("declaration", question_id, label, **settings)


def group(question_id, *questions, label=None, item_label="item", min_items=1, max_items=5):
    """A repeating group of ``questions`` (made with the helpers above)."""
    return question(
        "group",
        question_id,
        label,
        item_label=item_label,
        min_items=min_items,
        max_items=max_items,
        questions=list(questions),
    )


def rule(question_id, operator="equals", values=""):
    """A condition rule; ``values`` may be a list (joined one a line)."""
    if isinstance(values, list | tuple):
        values = "\n".join(values)
    return {"question_id": question_id, "operator": operator, "values": values}


def condition(*rules, match="all"):
    return {"match": match, "rules": [_child("item", item) for item in rules]}


def step(step_id, *questions, title=None, intro="", when=None):
    """A question step; ``when`` is its condition (``condition(...)`` or one ``rule(...)``)."""
    if when is not None and "rules" not in when:
        when = condition(when)
    return _child(
        "step",
        {
            "step_id": step_id,
            "title": title or step_id.replace("-", " ").capitalize(),
            "intro": intro,
            "questions": list(questions),
            "condition": when or condition(),
        },
    )


def exit_step(step_id, title="Call 999 now", body="<p>Call 999 now.</p>", when=None, **extra):
    if when is not None and "rules" not in when:
        when = condition(when)
    return _child(
        "exit_step",
        {
            "step_id": step_id,
            "title": title,
            "body": body,
            "condition": when or condition(),
            **extra,
        },
    )


def emergency_steps():
    """The start of every demo journey: "Is anyone in danger?", and "Call 999 now" if so."""
    return [
        step(
            "emergency",
            yes_no(
                "in-danger",
                "Is anyone in immediate danger or is a crime happening now?",
                error_label="anyone is in immediate danger or a crime is happening now",
            ),
        ),
        exit_step("call-999", when=rule("in-danger", "is_yes")),
    ]


def journey_steps(*steps):
    """Raw StreamField data for ``ReportJourneyPage.steps`` from ``step``/``exit_step`` items."""
    return list(steps)


def stream(*steps):
    """The steps as a ``StreamValue`` (what a page's ``steps`` holds once loaded)."""
    return JourneyStepsBlock().to_python(journey_steps(*steps))


def make_journey(*steps):
    """The ``Journey`` of these steps."""
    return Journey.from_stream(stream(*steps))
