"""Driving a reporting journey over HTTP in tests: a journey page on a force's site
(``make_journey``) and a reporter going through it with the test client (``Reporter``)."""

from tests.factories import JourneyClient, make_journey_page
from tests.reporting.journeys import (
    date,
    email,
    emergency_steps,
    exit_step,
    group,
    journey_steps,
    long_text,
    radios,
    registration,
    rule,
    short_text,
    step,
)

TVP = "thames-valley.localhost"
CANARY = "Canary Wharf-7Q-unique-detail"

STEPS = journey_steps(
    *emergency_steps(),
    step(
        "what",
        radios(
            "what",
            [("collision", "A collision"), ("driving", "Dangerous driving"), ("fraud", "Fraud")],
            "What happened?",
        ),
    ),
    exit_step("fraud-exit", title="Report fraud elsewhere", when=rule("what", "equals", "fraud")),
    step(
        "injuries",
        long_text("injuries", "Tell us about the injuries", max_characters=200),
        when=rule("what", "equals", "collision"),
    ),
    step("when", date("incident-date", "Date of the incident", error_label="the date")),
    step(
        "vehicles",
        group(
            "vehicles",
            registration("reg", "Registration"),
            label="Vehicles",
            item_label="vehicle",
            min_items=1,
            max_items=3,
        ),
    ),
    step(
        "about-you",
        short_text("name", "Full name", is_contact=True),
        email("email", "Email address", is_contact=True, required=False),
        title="About you",
    ),
)


def make_journey(force, slug="test-rti", steps=STEPS, code="RTI"):
    """The road traffic journey (``STEPS``, unless given) published on ``force``'s site."""
    return make_journey_page(force, steps, slug=slug, code=code)


class Reporter(JourneyClient):
    """A browser going through a journey on one site (the test client keeps its cookies), who
    can change an answer and complete the road traffic journey."""

    def answer(self, step_id, data, change=False):
        suffix = "?change=1" if change else ""
        return self.post(f"step/{step_id}/{suffix}", {"action": "continue", **data})

    def complete(self, name=CANARY):
        self.start()
        self.answer("emergency", {"in-danger": "no"})
        self.answer("what", {"what": "driving"})
        self.answer(
            "when",
            {"incident-date-day": "3", "incident-date-month": "2", "incident-date-year": "2026"},
        )
        self.answer("vehicles", {"vehicles-count": "1", "vehicles-1-reg": "ab12cde"})
        return self.answer("about-you", {"name": name, "email": "someone@example.com"})
