"""The journey engine: conditions, the path taken, changes, exits, summary rows and revisions."""

import json

from django.utils import translation

import pytest

from reporting.blocks import JourneyStepsBlock
from reporting.journey import Condition, Journey, Rule
from reporting.models import ReportHubPage, ReportJourneyPage
from tests.reporting.journeys import (
    checkboxes,
    condition,
    date,
    email,
    emergency_steps,
    evidence,
    exit_step,
    group,
    journey_steps,
    long_text,
    make_journey,
    number,
    phone,
    radios,
    registration,
    rule,
    short_text,
    step,
    yes_no,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


KINDS = [("collision", "Collision"), ("near-miss", "Near miss"), ("other", "Something else")]
DAMAGE = [("vehicle", "A vehicle"), ("property", "Property")]


def road_traffic():
    return make_journey(
        *emergency_steps(),
        step("when", date("incident-date", "When did it happen?")),
        step("injuries", yes_no("injured", "Was anyone injured?")),
        step(
            "injury-details",
            long_text("injury-details", "Describe the injuries"),
            when=rule("injured", "is_yes"),
        ),
        step(
            "vehicles", group("vehicles", registration("reg", "Registration"), item_label="vehicle")
        ),
        step("kind", radios("kind", KINDS, "What happened?")),
        step("other", short_text("other-kind", "What else?"), when=rule("kind", "equals", "other")),
        step(
            "damage",
            checkboxes("damaged", DAMAGE, "What was damaged?"),
            when=rule("kind", "one_of", ["collision", "near-miss"]),
        ),
        step("evidence", evidence("dashcam", "Dashcam footage", required=False)),
        step(
            "about",
            short_text("name", "Full name", is_contact=True),
            email("email", "Email address", is_contact=True, required=False),
            phone("phone", "Telephone number", is_contact=True, required=False),
        ),
    )


DASHCAM = [
    {"evidence_id": "e1", "filename": "front.mp4", "content_type": "video/mp4", "size": 2097152}
]


def complete_answers(**changes):
    answers = {
        "in-danger": False,
        "incident-date": "2026-11-20",
        "injured": False,
        "vehicles": [{"reg": "AB12 CDE"}],
        "kind": "collision",
        "damaged": ["vehicle"],
        "dashcam": DASHCAM,
        "name": "Jo Bloggs",
        "email": "jo@example.com",
        "phone": "+447700900982",
    }
    answers.update(changes)
    return answers


def ids(steps):
    return [step.id for step in steps]


# --- conditions ----------------------------------------------------------------------------------


class TestRules:
    @pytest.mark.parametrize(
        ("operator", "values", "answers", "holds"),
        [
            ("equals", ["car"], {"q": "car"}, True),
            ("equals", ["car"], {"q": "van"}, False),
            ("equals", ["Ford Focus"], {"q": "  ford   focus "}, True),  # text: case and spaces
            ("equals", ["12"], {"q": 12}, True),
            ("equals", ["1,200"], {"q": 1200}, True),
            ("equals", ["yes"], {"q": True}, True),
            ("equals", ["no"], {"q": True}, False),
            ("one_of", ["car", "van"], {"q": "van"}, True),
            ("one_of", ["car", "van"], {"q": "bike"}, False),
            ("one_of", ["car", "van"], {"q": ["bike", "van"]}, True),  # checkboxes: any ticked
            ("equals", ["car"], {"q": ["bike"]}, False),
            ("equals", ["car"], {"q": []}, False),
            ("answered", [], {"q": "x"}, True),
            ("answered", [], {"q": False}, True),  # "No" is an answer
            ("answered", [], {"q": None}, False),
            ("answered", [], {"q": []}, False),
            ("not_answered", [], {"q": None}, True),
            ("not_answered", [], {"q": "x"}, False),
            ("is_yes", [], {"q": True}, True),
            ("is_yes", [], {"q": False}, False),
            ("is_no", [], {"q": False}, True),
            ("is_no", [], {"q": None}, False),
        ],
    )
    def test_operators(self, operator, values, answers, holds):
        assert Rule("q", operator, values).holds(answers) is holds

    @pytest.mark.parametrize(
        ("operator", "values", "holds"),
        [
            ("equals", ["x"], False),
            ("one_of", ["x", "y"], False),
            ("answered", [], False),
            ("is_yes", [], False),
            ("is_no", [], False),
            ("not_answered", [], True),
        ],
    )
    def test_a_question_never_asked(self, operator, values, holds):
        assert Rule("q", operator, values).holds({}) is holds

    def test_all_and_any(self):
        rules = [Rule("a", "is_yes"), Rule("b", "equals", ["car"])]
        answers = {"a": True, "b": "van"}
        assert Condition("all", rules).holds(answers) is False
        assert Condition("any", rules).holds(answers) is True
        assert Condition("all", rules).holds({"a": True, "b": "car"}) is True
        assert Condition("any", rules).holds({}) is False

    def test_no_rules_means_always(self):
        assert Condition().holds({}) is True
        assert Condition().is_always

    def test_from_block_values(self):
        journey = make_journey(
            step("first", yes_no("a"), short_text("b")),
            step(
                "second",
                short_text("c"),
                when=condition(rule("a", "is_yes"), rule("b", "one_of", "x, y\nz"), match="any"),
            ),
        )
        second = journey.step("second")
        assert second.condition.match == "any"
        assert [r.values for r in second.condition.rules] == [[], ["x", "y", "z"]]
        assert second.applies({"a": False, "b": "z"})
        assert not second.applies({"a": False, "b": "w"})


# --- the path ------------------------------------------------------------------------------------


class TestPath:
    def test_starts_with_the_first_step(self):
        journey = road_traffic()
        assert ids(journey.path({})) == ["emergency"]
        assert journey.next_step({}).id == "emergency"

    def test_an_emergency_ends_at_the_exit(self):
        journey = road_traffic()
        answers = {"in-danger": True}
        assert ids(journey.path(answers)) == ["emergency", "call-999"]
        exit_ = journey.next_step(answers)
        assert exit_.id == "call-999" and exit_.is_exit
        assert exit_.title == "Call 999 now"
        assert not exit_.is_complete(answers)
        assert journey.step_after("emergency", answers).id == "call-999"
        assert journey.summary(answers) == [
            {
                "step_id": "emergency",
                "question_id": "in-danger",
                "label": "Is anyone in immediate danger or is a crime happening now?",
                "type": "yes_no",
                "value": True,
                "display": "Yes",
            }
        ]

    def test_not_an_emergency_carries_on(self):
        journey = road_traffic()
        answers = {"in-danger": False}
        assert ids(journey.path(answers)) == ["emergency", "when"]
        assert journey.next_step(answers).id == "when"
        assert journey.step_after("emergency", answers).id == "when"

    def test_everything_answered_goes_to_check_your_answers(self):
        journey = road_traffic()
        answers = complete_answers()
        assert journey.next_step(answers) is None
        assert ids(journey.path(answers)) == [
            "emergency",
            "when",
            "injuries",
            "vehicles",
            "kind",
            "damage",
            "evidence",
            "about",
        ]
        assert journey.step_after("about", answers) is None

    def test_steps_whose_condition_fails_are_skipped(self):
        journey = road_traffic()
        answers = complete_answers()
        assert journey.step_after("injuries", answers).id == "vehicles"
        assert journey.step_after("kind", answers).id == "damage"
        answers = complete_answers(injured=True)
        assert journey.step_after("injuries", answers).id == "injury-details"
        assert journey.next_step(answers).id == "injury-details"

    def test_back_links_follow_the_path(self):
        journey = road_traffic()
        assert journey.step_before("emergency", {}) is None
        assert journey.step_before("vehicles", complete_answers()).id == "injuries"
        answers = complete_answers(injured=True, **{"injury-details": "A broken arm"})
        assert journey.step_before("vehicles", answers).id == "injury-details"
        assert journey.step_before("about", answers).id == "evidence"

    def test_can_visit_only_steps_on_the_path(self):
        journey = road_traffic()
        answers = {"in-danger": False}
        assert journey.can_visit("when", answers)
        assert not journey.can_visit("about", answers)  # skipping ahead
        assert not journey.can_visit("call-999", answers)
        assert journey.can_visit("about", complete_answers())
        assert not journey.can_visit("nonsense", answers)

    def test_a_step_is_complete_only_when_submitted_and_valid(self):
        journey = road_traffic()
        about = journey.step("about")
        assert not about.is_complete({})
        # Optional questions answered blank count, once the step was submitted.
        assert about.is_complete({"name": "Jo", "email": None, "phone": None})
        assert not about.is_complete({"name": "Jo", "email": None})  # phone never submitted
        assert not about.is_complete({"name": None, "email": None, "phone": None})
        assert not about.is_complete({"name": "Jo", "email": "not an email", "phone": None})
        kind = journey.step("kind")
        assert kind.is_complete({"kind": "other"})
        assert not kind.is_complete({"kind": "tank"})  # not an option (any more)

    def test_stale_answers_off_the_path_do_not_drive_conditions(self):
        journey = make_journey(
            step("start", yes_no("witness")),
            step("witness-name", short_text("witness-name"), when=rule("witness", "is_yes")),
            step("anyone", short_text("anyone"), when=rule("witness-name", "not_answered")),
        )
        # "witness-name" was answered before "witness" changed to no: it is no longer asked.
        answers = {"witness": False, "witness-name": "Sam", "anyone": "x"}
        assert ids(journey.path(answers)) == ["start", "anyone"]
        assert journey.prune(answers) == {"witness": False, "anyone": "x"}

    def test_a_journey_that_ends_at_an_exit_with_no_condition(self):
        journey = make_journey(
            step("first", yes_no("a")),
            exit_step("closed", title="Call 101"),
            step("never", yes_no("b")),
        )
        answers = {"a": True}
        assert journey.next_step(answers).id == "closed"
        assert journey.step_after("first", answers).id == "closed"
        assert journey.prune({"a": True, "b": True}) == {"a": True}


class TestChangingAnAnswer:
    def test_drops_answers_no_longer_on_the_path_and_asks_newly_needed_steps(self):
        journey = road_traffic()
        answers = complete_answers()
        assert journey.next_step(answers) is None
        # The reporter changes "what happened" from a collision to something else.
        changed = journey.prune({**answers, "kind": "other"})
        assert "damaged" not in changed  # the damage step no longer applies
        assert changed["dashcam"] == DASHCAM  # later steps that still apply keep their answers
        assert changed["name"] == "Jo Bloggs"
        assert journey.next_step(changed).id == "other"  # newly needed, so asked next
        finished = {**changed, "other-kind": "A dog ran out"}
        assert journey.next_step(finished) is None
        assert [row["question_id"] for row in journey.summary(finished)] == [
            "in-danger",
            "incident-date",
            "injured",
            "vehicles",
            "kind",
            "other-kind",
            "dashcam",
            "name",
            "email",
            "phone",
        ]

    def test_changing_back_asks_again(self):
        journey = road_traffic()
        answers = journey.prune(complete_answers(injured=True, **{"injury-details": "Bruising"}))
        assert answers["injury-details"] == "Bruising"
        answers = journey.prune({**answers, "injured": False})
        assert "injury-details" not in answers
        answers = journey.prune({**answers, "injured": True})
        assert journey.next_step(answers).id == "injury-details"

    def test_an_emergency_answer_drops_everything_after_it(self):
        journey = road_traffic()
        assert journey.prune(complete_answers(**{"in-danger": True})) == {"in-danger": True}

    def test_prune_drops_unknown_keys(self):
        journey = road_traffic()
        assert journey.prune({"in-danger": False, "made-up": "x"}) == {"in-danger": False}


# --- what a report holds -------------------------------------------------------------------------


class TestSummary:
    def test_rows_follow_the_contract(self):
        journey = road_traffic()
        rows = journey.summary(complete_answers())
        by_id = {row["question_id"]: row for row in rows}
        assert set(rows[0]) == {"step_id", "question_id", "label", "type", "value", "display"}
        assert by_id["incident-date"] == {
            "step_id": "when",
            "question_id": "incident-date",
            "label": "When did it happen?",
            "type": "date",
            "value": "2026-11-20",
            "display": "20 November 2026",
        }
        assert by_id["injured"]["value"] is False
        assert by_id["injured"]["display"] == "No"
        assert by_id["kind"]["display"] == "Collision"
        assert by_id["damaged"]["value"] == ["vehicle"]
        assert by_id["damaged"]["display"] == "A vehicle"
        assert by_id["phone"]["value"] == "+447700900982"
        assert by_id["phone"]["display"] == "07700 900982"
        assert by_id["dashcam"]["value"] == DASHCAM
        assert by_id["dashcam"]["display"] == "front.mp4 (2MB)"
        assert by_id["dashcam"]["type"] == "evidence"

    def test_a_group_holds_a_list_of_rows_per_item(self):
        journey = road_traffic()
        answers = complete_answers(vehicles=[{"reg": "AB12 CDE"}, {"reg": "A123 BCD"}])
        (row,) = [r for r in journey.summary(answers) if r["question_id"] == "vehicles"]
        assert row["type"] == "group"
        assert row["value"] == [
            [
                {
                    "step_id": "vehicles",
                    "question_id": "reg",
                    "label": "Registration",
                    "type": "registration",
                    "value": "AB12 CDE",
                    "display": "AB12 CDE",
                }
            ],
            [
                {
                    "step_id": "vehicles",
                    "question_id": "reg",
                    "label": "Registration",
                    "type": "registration",
                    "value": "A123 BCD",
                    "display": "A123 BCD",
                }
            ],
        ]
        assert (
            row["display"]
            == "Vehicle 1\nRegistration: AB12 CDE\n\nVehicle 2\nRegistration: A123 BCD"
        )

    def test_optional_questions_left_blank(self):
        journey = road_traffic()
        rows = journey.summary(complete_answers(email=None, dashcam=[]))
        by_id = {row["question_id"]: row for row in rows}
        assert by_id["email"]["value"] is None
        assert by_id["email"]["display"] == "Not answered"
        assert by_id["dashcam"]["value"] == []

    def test_only_the_path_taken(self):
        journey = road_traffic()
        answers = complete_answers(**{"injury-details": "stale", "other-kind": "stale"})
        question_ids = [row["question_id"] for row in journey.summary(answers)]
        assert "injury-details" not in question_ids
        assert "other-kind" not in question_ids

    def test_json_serialisable(self):
        journey = road_traffic()
        json.dumps(journey.summary(complete_answers()))


class TestContactDetails:
    def test_from_questions_flagged_as_contact(self):
        journey = road_traffic()
        assert journey.contact_details(complete_answers()) == {
            "name": "Jo Bloggs",
            "email": "jo@example.com",
            "phone": "+447700900982",
        }

    def test_absent_keys_are_left_out(self):
        journey = road_traffic()
        assert journey.contact_details(complete_answers(email=None, phone=None)) == {
            "name": "Jo Bloggs"
        }

    def test_unflagged_and_off_path_questions_are_not_contact_details(self):
        journey = make_journey(
            step("first", yes_no("witness")),
            step(
                "witness",
                email("witness-email", is_contact=False),
                group("people", short_text("person-name", is_contact=True)),
                when=rule("witness", "is_yes"),
            ),
            step("you", email("email", is_contact=True, required=False)),
        )
        answers = {
            "witness": True,
            "witness-email": "sam@example.com",
            "people": [{"person-name": "Sam"}],
            "email": None,
        }
        assert journey.contact_details(answers) == {}
        assert journey.contact_details({"witness": False, "email": "jo@example.com"}) == {
            "email": "jo@example.com"
        }


class TestEvidenceIds:
    def test_on_the_path_and_everywhere(self):
        journey = make_journey(
            step("first", yes_no("upload")),
            step("files", evidence("files"), when=rule("upload", "is_yes")),
        )
        answers = {"upload": False, "files": [{"evidence_id": "e1"}, {"evidence_id": "e2"}]}
        assert journey.evidence_ids(answers) == []
        assert journey.evidence_ids(answers, on_path=False) == ["e1", "e2"]
        assert journey.evidence_ids({**answers, "upload": True}) == ["e1", "e2"]


# --- step forms against the journey --------------------------------------------------------------


class TestStepForms:
    def test_a_changed_answer_makes_a_later_step_incomplete_again(self):
        journey = make_journey(
            step("count", number("people", min_value=1, max_value=5)),
            step("ages", short_text("ages")),
        )
        answers = {"people": 3, "ages": "30s"}
        assert journey.next_step(answers) is None
        # A journey edit cannot reach a pinned draft, but a stored value can be out of bounds:
        assert journey.next_step({"people": 9, "ages": "30s"}).id == "count"

    def test_forms_of_one_shared_journey_do_not_affect_each_other(self):
        journey = make_journey(step("v", group("vehicles", registration("reg"), max_items=3)))
        shown = journey.step("v").form(data={"vehicles-count": "1", "action": "add:vehicles"})
        other = journey.step("v").form()
        assert shown.group_items("vehicles") == 2
        assert other.group_items("vehicles") == 1

    def test_answers_round_trip_through_the_form(self):
        journey = road_traffic()
        about = journey.step("about")
        form = about.form(
            data={"name": " Jo  Bloggs ", "email": "JO@EXAMPLE.COM", "phone": "07700 900982"}
        )
        assert form.is_valid()
        answers = form.answers()
        assert answers == {"name": "Jo Bloggs", "email": "JO@example.com", "phone": "+447700900982"}
        assert about.is_complete(answers)


# --- revisions -----------------------------------------------------------------------------------


STEPS = journey_steps(
    *emergency_steps(),
    step("when", date("incident-date")),
    step("about", short_text("name", is_contact=True)),
)


class TestFromRevisionContent:
    def test_steps_as_a_list(self):
        journey = Journey.from_revision_content({"steps": STEPS})
        assert ids(journey.steps) == ["emergency", "call-999", "when", "about"]
        assert journey.step("call-999").is_exit
        assert journey.questions["name"].contact_role == "name"

    def test_steps_as_a_json_string(self):
        journey = Journey.from_revision_content({"steps": json.dumps(STEPS)})
        assert ids(journey.steps) == ["emergency", "call-999", "when", "about"]
        assert journey.next_step({"in-danger": True}).id == "call-999"

    def test_no_steps(self):
        assert Journey.from_revision_content({"steps": ""}).steps == []
        assert Journey.from_revision_content({}).steps == []

    def test_unknown_block_types_are_ignored(self):
        content = {"steps": [*STEPS, {"type": "retired_block", "value": {}, "id": "x"}]}
        assert len(Journey.from_revision_content(content).steps) == 4

    def test_from_stream(self):
        stream = JourneyStepsBlock().to_python(STEPS)
        assert ids(Journey.from_stream(stream).steps) == ["emergency", "call-999", "when", "about"]

    @pytest.mark.django_db
    def test_a_saved_revision_is_the_journey_it_was(self, forces):
        home = forces["thames-valley"].site.root_page
        hub = ReportHubPage.objects.child_of(home).first()
        page = ReportJourneyPage(
            title="Report a road traffic incident",
            slug="rti-revision-test",
            code="RTI",
            summary="Test",
            steps=STEPS,
        )
        hub.add_child(instance=page)
        first = page.save_revision()
        page.steps = journey_steps(step("only", short_text("changed")))
        page.save_revision()

        journey = Journey.from_revision_content(first.content)
        assert ids(journey.steps) == ["emergency", "call-999", "when", "about"]
        assert ids(Journey.from_stream(page.steps).steps) == ["only"]
