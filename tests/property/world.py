"""The content the property-based tests run against, and what each force's site must never show
of another force."""

import re
import uuid
from dataclasses import dataclass, field

from django.core import signing
from django.http.request import split_domain_port

from reporting import drafts
from reporting.journey import Journey
from tests.factories import ContentPageFactory, make_document, make_image, make_journey_page
from tests.reporting.journeys import (
    checkboxes,
    date,
    declaration,
    email,
    evidence,
    exit_step,
    group,
    journey_steps,
    location,
    long_text,
    number,
    phone,
    postcode,
    radios,
    registration,
    rule,
    select,
    short_text,
    step,
    time,
    yes_no,
)

HUB = "localhost"
JOURNEY_FORCE = "thames-valley"
CHOICES = [("a", "Option A"), ("b", "Option B"), ("c", "Option C")]
# A word in every force's own page title, image and document: searching for it on one force's
# site must find that force's own things only.
SHARED_WORD = "zebrafinch"

# One question type a step, in the order the public meets them. Every step applies, except
# the exit step (after "Is anyone hurt?" answered yes).
STEPS = journey_steps(
    step("s-short", short_text("name", "Your name", max_length=60, is_contact=True)),
    step("s-long", long_text("details", "What happened", max_characters=500)),
    step("s-location", location("where", "Where did it happen")),
    step("s-number", number("people", "How many people were involved")),
    step("s-date", date("when", "Date of the incident", max_years_ago=5)),
    step("s-time", time("at", "Time of the incident")),
    step("s-yes-no", yes_no("hurt", "Is anyone hurt?")),
    exit_step("hurt-exit", when=rule("hurt", "is_yes")),
    step("s-radios", radios("kind", CHOICES, "What kind of incident")),
    step("s-checkboxes", checkboxes("which", CHOICES, "Which apply", none_option_label="None")),
    step("s-select", select("pick", CHOICES, "Pick one")),
    step("s-email", email("email", "Email address", is_contact=True)),
    step("s-phone", phone("phone", "Telephone number", is_contact=True)),
    step("s-postcode", postcode("postcode", "Postcode")),
    step("s-registration", registration("reg", "Vehicle registration")),
    step("s-evidence", evidence("files", "Photos or documents", max_files=2, required=False)),
    step(
        "s-group",
        group(
            "vehicles",
            registration("vreg", "Registration"),
            short_text("colour", "Colour", required=False),
            label="Vehicles",
            item_label="vehicle",
            min_items=1,
            max_items=3,
        ),
    ),
    step("s-declaration", declaration()),
)

# What a reporter typed for each question, cleaned by the question itself into the stored
# answers that bring a draft to any later step.
TYPED = {
    "name": "Sam Smith",
    "details": "A car hit a wall.",
    "where": "Outside the library",
    "people": "2",
    "when": ["3", "2", "2025"],
    "at": "2:30pm",
    "hurt": "no",
    "kind": "a",
    "which": ["a", "b"],
    "pick": "c",
    "email": "sam@example.com",
    "phone": "01632 960 001",
    "postcode": "rg1 1aa",
    "reg": "ab12 cde",
}


@dataclass
class ForceFacts:
    """One force, and what only its own site may show."""

    slug: str
    host: str
    name: str
    colour: str
    short_name: str
    needles: list = field(default_factory=list)
    # Ids of the force's own page (and its home page), image and document.
    page_ids: list = field(default_factory=list)
    image_id: int = 0
    document_id: int = 0
    document_url: str = ""


class World:
    """The forces' facts, the journey and its answers (not a dataclass: Hypothesis would print
    every field of it with each failing example)."""

    def __init__(self, **facts):
        self.forces = facts["forces"]
        self.journey_page = facts["journey_page"]
        self.journey = facts["journey"]
        self.base_path = facts["base_path"]
        self.other_journey_page = facts["other_journey_page"]
        self.answers = facts["answers"]
        self.journey_force = facts["journey_force"]

    def ids(self, kind):
        """Every force's ``"page"``, ``"image"`` or ``"document"`` ids (to ask for another
        force's things by id)."""
        if kind == "page":
            return sorted(pk for facts in self.forces.values() for pk in facts.page_ids)
        return sorted(getattr(facts, f"{kind}_id") for facts in self.forces.values())

    def __repr__(self):
        return "<World: the hub, three forces and a journey of every question type>"

    @property
    def journey_host(self):
        return self.forces[JOURNEY_FORCE].host

    def question_steps(self):
        return [s for s in self.journey.steps if not s.is_exit]

    def answers_without(self, step_id):
        """Every answer but those of ``step_id``: a draft with them is at that step, and goes
        on to "Check your answers" once it is answered."""
        skipped = {question.id for question in self.journey.step(step_id).questions}
        return {key: value for key, value in self.answers.items() if key not in skipped}

    def draft_at(self, step_id, **fields):
        """A live draft of the journey at ``step_id`` (None: complete); its cookie value.
        ``fields``: any ``Draft`` fields to set."""
        draft = drafts.start(self.journey_page, self.journey_force, "en")
        drafts.save(draft, self.answers_without(step_id) if step_id else dict(self.answers))
        if fields:
            type(draft).objects.filter(pk=draft.pk).update(**fields)
        return drafts.signed_key(draft)

    def cookie_name(self, page=None):
        return drafts.cookie_name(page or self.journey_page)


def _journey(force, steps, slug="property-journey", code="PBT"):
    return make_journey_page(force, steps, slug=slug, code=code)


def _stored_answers(journey):
    answers = {}
    for question in journey.questions.values():
        if question.type == "evidence":
            answers[question.id] = []
        elif question.type == "declaration":
            answers[question.id] = True
        elif question.type == "group":
            vreg, colour = question.questions
            answers[question.id] = [
                {vreg.id: vreg.clean("ab12cde", required=True), colour.id: "Red"}
            ]
        else:
            answers[question.id] = question.clean(TYPED[question.id], required=True)
    pending = journey.next_step(answers)
    assert pending is None, f"the stored answers must complete the journey (stop at {pending})"
    return answers


def build_world(forces):
    """Make the journey and every force's own page, image and document; return the ``World``."""
    facts = {}
    for slug, force in forces.items():
        own = f"{slug}-own-zk4"
        page = ContentPageFactory(
            parent=force.site.root_page,
            title=f"Zebrafinch notes {force.short_name}",
            slug=own,
            search_description="Zebrafinch advice for this force only.",
        )
        image = make_image(force.collection, title=f"Zebrafinch image {slug}-img-zk4")
        document = make_document(force.collection, title=f"Zebrafinch document {slug}-doc-zk4")
        facts[slug] = ForceFacts(
            slug=slug,
            host=force.site.hostname,
            name=force.name,
            colour=force.primary_colour.lower(),
            short_name=force.short_name,
            needles=[own, f"{slug}-img-zk4", f"{slug}-doc-zk4", page.title],
            page_ids=[page.pk, force.site.root_page_id],
            image_id=image.pk,
            document_id=document.pk,
            document_url=document.url,
        )
    page = _journey(forces[JOURNEY_FORCE], STEPS)
    journey = Journey.from_stream(page.steps)
    other = _journey(forces["met"], journey_steps(step("s-short", short_text("name"))))
    site_root = page.get_site().root_page.url_path
    return World(
        forces=facts,
        journey_page=page,
        journey=journey,
        base_path=page.url_path[len(site_root) - 1 :],
        other_journey_page=other,
        answers=_stored_answers(journey),
        journey_force=forces[JOURNEY_FORCE],
    )


def force_for_host(world, host):
    """The force whose site ``host`` names (by its hostname, whatever the port), or None."""
    domain, _port = split_domain_port(host)
    domain = domain.lower().rstrip(".")
    for facts in world.forces.values():
        if facts.host == domain:
            return facts
    return None


REFERENCE = r"\b{prefix}-[A-Z0-9]+-[2-9A-HJ-NP-TV-Z]{{6}}\b"


def leaks(world, host, body, sent):
    """What of another force ``body`` (a response to ``host``) shows, as a list of strings.

    Anything the request itself carried (``sent``: its path, query, body and headers, as
    text) is not counted: a search page may repeat what was searched for.
    """
    own = force_for_host(world, host)
    sent = sent.lower()
    text = body.lower()
    found = []
    for facts in world.forces.values():
        if own is not None and facts.slug == own.slug:
            continue
        # Force-local pages, images and documents are shown on no other site, nor on the hub.
        marks = list(facts.needles)
        if own is not None:
            # On a force's site, another force's name, theme colour or references never appear
            # (the hub lists every force: it may name them).
            marks += [facts.name, facts.colour]
            prefix = re.escape(facts.short_name.upper())
            if prefix.lower() not in sent and re.search(REFERENCE.format(prefix=prefix), body):
                found.append(f"a {facts.short_name} reference")
        found += [mark for mark in marks if mark.lower() in text and mark.lower() not in sent]
    return found


def signed(value):
    """``value`` signed as a draft cookie is (what only someone holding the key could send)."""
    return signing.dumps(value, salt=drafts.COOKIE_SALT)


def new_uuid_text():
    return str(uuid.uuid4())
