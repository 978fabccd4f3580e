"""Editors' side of journeys: question blocks check their settings, the journey is checked as a
whole with each error on the block at fault, and every block previews as the public see it."""

import html
import json
import re

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

import pytest

from reporting import blocks
from reporting.blocks import JourneyStepsBlock, QuestionsBlock
from reporting.models import ReportHubPage, ReportJourneyPage
from tests.reporting.journeys import (
    checkboxes,
    condition,
    declaration,
    emergency_steps,
    evidence,
    exit_step,
    group,
    journey_steps,
    number,
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


def clean_block(block, raw):
    return block.clean(block.to_python(raw))


def errors_of(block, raw):
    with pytest.raises(ValidationError) as raised:
        clean_block(block, raw)
    return raised.value


def messages_at(error, *path):
    """The messages of the error nested at ``path`` (stream/list indexes and child names)."""
    for key in path:
        error = error.block_errors[key]
    return error.messages


def question_value(helper, *args, **kwargs):
    return helper(*args, **kwargs)["value"]


# --- question blocks -----------------------------------------------------------------------------


class TestQuestionBlocks:
    def test_a_sound_question_is_clean(self):
        value = clean_block(blocks.NumberQuestionBlock(), question_value(number, "people"))
        assert value["question_id"] == "people"
        assert value.question_type == "number"

    @pytest.mark.parametrize("question_id", ["Incident Date", "1st", "date!", "-x", ""])
    def test_ids_are_lower_case_slugs(self, question_id):
        error = errors_of(blocks.NumberQuestionBlock(), question_value(number, question_id))
        assert messages_at(error, "question_id")

    def test_ids_the_form_uses_are_reserved(self):
        error = errors_of(blocks.NumberQuestionBlock(), question_value(number, "action"))
        assert messages_at(error, "question_id") == [
            "‘action’ is used by the form itself. Choose another id."
        ]

    def test_number_limits_the_right_way_round(self):
        raw = question_value(number, "people", min_value=10, max_value=2)
        error = errors_of(blocks.NumberQuestionBlock(), raw)
        assert messages_at(error, "max_value") == [
            "The largest number must be the same as or more than the smallest."
        ]

    def test_whole_number_limits(self):
        raw = question_value(number, "people", min_value="1.5", whole_numbers=True)
        error = errors_of(blocks.NumberQuestionBlock(), raw)
        assert messages_at(error, "min_value") == [
            "Use a whole number, or untick ‘Whole numbers only’."
        ]

    def test_option_values_must_differ(self):
        raw = question_value(radios, "kind", [("car", "Car"), ("car", "Van"), ("bike", "Bike")])
        error = errors_of(blocks.RadiosQuestionBlock(), raw)
        assert messages_at(error, "options", 1, "value") == [
            "Another option already has the value ‘car’. Each must be different."
        ]

    def test_an_option_value_left_blank_is_made_from_the_label_once(self):
        raw = question_value(radios, "kind", [("", "Van or lorry"), ("car", "Car")])
        value = clean_block(blocks.RadiosQuestionBlock(), raw)
        assert [option["value"] for option in value["options"]] == ["van-or-lorry", "car"]
        stored = blocks.RadiosQuestionBlock().get_prep_value(value)
        assert stored["options"][0]["value"]["value"] == "van-or-lorry"

    def test_none_is_kept_for_the_none_of_these_option(self):
        raw = question_value(checkboxes, "kind", [("car", "Car"), ("none", "Nothing")])
        error = errors_of(blocks.CheckboxesQuestionBlock(), raw)
        assert messages_at(error, "options", 1, "value") == [
            "‘none’ is kept for the ‘None of these’ option. Use another value."
        ]

    def test_choices_need_two_options(self):
        raw = question_value(radios, "kind", [("car", "Car")])
        assert errors_of(blocks.RadiosQuestionBlock(), raw)

    def test_evidence_needs_a_kind_of_file(self):
        raw = question_value(evidence, "files", accepted_kinds=[])
        error = errors_of(blocks.EvidenceQuestionBlock(), raw)
        assert messages_at(error, "accepted_kinds")

    def test_group_limits_and_ids(self):
        raw = question_value(
            group, "vehicles", registration("reg"), registration("reg"), min_items=3, max_items=2
        )
        error = errors_of(blocks.GroupQuestionBlock(), raw)
        assert messages_at(error, "max_items") == [
            "The most items must be the same as or more than the fewest."
        ]
        assert messages_at(error, "questions", 1, "question_id") == [
            "Another question in this group has the id ‘reg’."
        ]

    def test_groups_hold_only_simple_questions(self):
        group_types = set(blocks.GroupQuestionsBlock().child_blocks)
        assert "evidence" not in group_types
        assert "group" not in group_types
        assert "declaration" not in group_types
        assert "is_contact" not in blocks.GroupQuestionsBlock().child_blocks["email"].child_blocks

    def test_every_question_type_is_offered(self):
        assert set(QuestionsBlock().child_blocks) == {
            "short_text",
            "long_text",
            "number",
            "date",
            "time",
            "yes_no",
            "radios",
            "checkboxes",
            "select",
            "email",
            "phone",
            "postcode",
            "registration",
            "location",
            "evidence",
            "declaration",
            "group",
        }

    def test_exit_button_needs_text_and_link(self):
        raw = exit_step("call", call_to_action_label="Call 999")["value"]
        error = errors_of(blocks.ExitStepBlock(), raw)
        assert messages_at(error, "call_to_action_url") == [
            "A button needs both its text and a link."
        ]

    def test_rule_values(self):
        block = blocks.RuleBlock()
        error = errors_of(block, rule("kind", "equals", ""))
        assert messages_at(error, "values") == ["Enter the value to compare with."]
        error = errors_of(block, rule("kind", "one_of", " ,\n "))
        assert messages_at(error, "values") == ["Enter the values to compare with, one a line."]
        assert clean_block(block, rule("kind", "one_of", "a, b\nc")).value_list() == ["a", "b", "c"]
        assert clean_block(block, rule("kind", "answered")).value_list() == []


# --- the journey as a whole ----------------------------------------------------------------------


def check(*steps, deferred=False):
    block = JourneyStepsBlock()
    value = block.to_python(journey_steps(*steps))
    if deferred:
        block.defer_required_validation()
    try:
        return block.clean(value)
    finally:
        if deferred:
            block.restore_deferred_validation()


def journey_error(*steps):
    with pytest.raises(StreamBlockValidationError) as raised:
        check(*steps)
    return raised.value


KINDS = [("car", "Car"), ("van", "Van")]


class TestJourneyChecks:
    def test_a_sound_journey(self):
        value = check(
            *emergency_steps(),
            step("kind", radios("kind", KINDS), yes_no("injured")),
            step("van", short_text("van-size"), when=rule("kind", "equals", "van")),
            step(
                "either",
                short_text("either"),
                when=condition(rule("kind", "one_of", "car,van"), rule("injured", "is_no")),
            ),
            step("end", declaration()),
        )
        assert len(value) == 6

    def test_duplicate_step_ids(self):
        error = journey_error(step("same", yes_no("a")), step("same", yes_no("b")))
        assert messages_at(error, 1, "step_id") == [
            "Step 1 already has the id ‘same’. Each step needs its own id."
        ]
        assert 0 not in error.block_errors

    def test_duplicate_question_ids_across_steps(self):
        error = journey_error(step("one", yes_no("a")), step("two", short_text("b"), yes_no("a")))
        assert messages_at(error, 1, "questions", 1, "question_id") == [
            "A question in step 1 already has the id ‘a’. Every question in the journey needs its "
            "own id, including questions in groups."
        ]

    def test_duplicate_ids_inside_groups_count(self):
        error = journey_error(
            step("one", short_text("reg")),
            step("two", group("vehicles", registration("reg"))),
        )
        assert messages_at(error, 1, "questions", 0, "questions", 0, "question_id")

    def test_a_condition_on_a_question_that_does_not_exist(self):
        error = journey_error(
            step("one", yes_no("a")), step("two", yes_no("b"), when=rule("typo", "is_yes"))
        )
        assert messages_at(error, 1, "condition", "rules", 0, "question_id") == [
            "No question in this journey has the id ‘typo’. Check the ids of the questions in "
            "earlier steps."
        ]

    def test_a_condition_on_a_later_question(self):
        error = journey_error(
            step("one", yes_no("a"), when=rule("b", "is_yes")), step("two", yes_no("b"))
        )
        assert messages_at(error, 0, "condition", "rules", 0, "question_id") == [
            "‘b’ is asked later, in step 2. A condition can only use answers given before its step."
        ]

    def test_a_condition_on_a_question_in_the_same_step(self):
        error = journey_error(step("one", yes_no("a"), when=rule("a", "is_yes")))
        assert messages_at(error, 0, "condition", "rules", 0, "question_id") == [
            "‘a’ is asked in this step, so its answer is not known when the condition is tested. "
            "Use a question from an earlier step."
        ]

    def test_an_exit_condition_is_checked_too(self):
        error = journey_error(
            step("one", yes_no("a")), exit_step("out", when=rule("nope", "is_yes"))
        )
        assert messages_at(error, 1, "condition", "rules", 0, "question_id")

    def test_a_value_that_is_not_an_option(self):
        error = journey_error(
            step("one", radios("kind", KINDS)),
            step("two", yes_no("b"), when=rule("kind", "one_of", ["car", "Lorry"])),
        )
        assert messages_at(error, 1, "condition", "rules", 0, "values") == [
            "‘Lorry’ is not a value of that question. Use the option values: car, van."
        ]

    def test_labels_are_not_values(self):
        error = journey_error(
            step("one", radios("kind", KINDS)),
            step("two", yes_no("b"), when=rule("kind", "equals", "Car")),
        )
        assert messages_at(error, 1, "condition", "rules", 0, "values")

    def test_checkboxes_none_value_when_offered(self):
        check(
            step("one", checkboxes("kind", KINDS, none_option_label="None of these")),
            step("two", yes_no("b"), when=rule("kind", "equals", "none")),
        )
        error = journey_error(
            step("one", checkboxes("kind", KINDS)),
            step("two", yes_no("b"), when=rule("kind", "equals", "none")),
        )
        assert messages_at(error, 1, "condition", "rules", 0, "values")

    def test_yes_no_values(self):
        check(step("one", yes_no("a")), step("two", yes_no("b"), when=rule("a", "equals", "yes")))
        error = journey_error(
            step("one", yes_no("a")), step("two", yes_no("b"), when=rule("a", "equals", "maybe"))
        )
        assert messages_at(error, 1, "condition", "rules", 0, "values")

    def test_is_yes_only_for_yes_no_questions(self):
        error = journey_error(
            step("one", radios("kind", KINDS)),
            step("two", yes_no("b"), when=rule("kind", "is_yes")),
        )
        assert messages_at(error, 1, "condition", "rules", 0, "operator") == [
            "‘is yes’ and ‘is no’ only work with yes or no questions. Use ‘is’ instead."
        ]

    def test_files_and_groups_can_only_be_tested_for_an_answer(self):
        check(
            step("one", evidence("files", required=False)),
            step("two", yes_no("b"), when=rule("files", "answered")),
        )
        error = journey_error(
            step("one", evidence("files")),
            step("two", yes_no("b"), when=rule("files", "equals", "x")),
        )
        assert messages_at(error, 1, "condition", "rules", 0, "operator")

    def test_a_question_inside_a_group_cannot_be_tested(self):
        error = journey_error(
            step("one", group("vehicles", registration("reg"))),
            step("two", yes_no("b"), when=rule("reg", "answered")),
        )
        assert "repeating group" in messages_at(error, 1, "condition", "rules", 0, "question_id")[0]

    def test_free_text_can_be_compared(self):
        check(step("one", short_text("a")), step("two", yes_no("b"), when=rule("a", "equals", "x")))

    def test_an_id_that_looks_like_a_group_field(self):
        error = journey_error(
            step("one", group("vehicles", registration("reg"))),
            step("two", short_text("vehicles-1-reg")),
        )
        assert error.non_block_errors.as_data()[0].messages == [
            "The question id ‘vehicles-1-reg’ starts with the group id ‘vehicles’ and a hyphen, "
            "which the form needs for the group. Choose another id."
        ]

    def test_a_journey_needs_a_question_step(self):
        error = journey_error(exit_step("closed", title="Call 101"))
        assert error.non_block_errors.as_data()[0].messages == [
            "Add at least one question step. A journey of only exit steps makes no report."
        ]

    def test_a_draft_may_leave_ids_blank_for_now(self):
        value = check(
            step("one", yes_no("")),
            step("two", yes_no(""), when=rule("", "is_yes")),
            deferred=True,
        )
        assert len(value) == 2

    def test_a_draft_may_have_no_question_steps_yet(self):
        assert len(check(exit_step("closed", title="Call 101"), deferred=True)) == 1

    def test_errors_are_json_for_the_editor(self):
        error = journey_error(step("one", yes_no("a")), step("two", yes_no("a")))
        data = error.as_json_data()
        nested = data["blockErrors"][1]["blockErrors"]["questions"]["blockErrors"][0]
        assert nested["blockErrors"]["question_id"]["messages"]


# --- previews ------------------------------------------------------------------------------------


class TestPreviews:
    @pytest.mark.parametrize("name", list(QuestionsBlock().child_blocks))
    def test_every_question_block_previews_as_the_public_see_it(self, name):
        block = QuestionsBlock().child_blocks[name]
        assert block.meta.template == f"reporting/questions/{name}.html"
        assert block.meta.icon and block.meta.description and block.meta.label
        value = block.to_python(block.meta.preview_value)
        html = block.render(value)
        assert "govuk-form-group" in html
        assert str(value["label"]) in html.replace("&#x27;", "'")

    def test_steps_preview(self):
        steps = JourneyStepsBlock()
        for name in ("step", "exit_step"):
            block = steps.child_blocks[name]
            html = block.render(block.to_python(block.meta.preview_value))
            assert "govuk-heading-l" in html or "govuk-fieldset__heading" in html


# --- through the page editor ---------------------------------------------------------------------


def journey_form(title, steps):
    return nested_form_data(
        {
            "title": title,
            "slug": "editor-journey",
            "code": "TST",
            "summary": "Testing",
            "before_you_start": rich_text(""),
            "what_happens_next": rich_text(""),
            "steps": streamfield(steps),
        }
    )


def yes_no_form(question_id, label):
    return ("yes_no", {"question_id": question_id, "label": label, "hint": "", "required": "on"})


def step_form(step_id, questions, rules=()):
    return {
        "step_id": step_id,
        "title": step_id.title(),
        "intro": rich_text(""),
        "questions": streamfield(questions),
        "condition": {
            "match": "all",
            "rules": {
                "count": len(rules),
                **{
                    str(index): {"value": value, "deleted": "", "order": index, "id": ""}
                    for index, value in enumerate(rules)
                },
            },
        },
    }


def streamfield_errors(page_html):
    """The block errors Wagtail's editor was given for the page's StreamField."""
    arguments = re.search(r'data-w-block-arguments-value="([^"]*)"', page_html).group(1)
    _value, errors = json.loads(html.unescape(arguments))
    return errors["blockErrors"]


@pytest.mark.django_db
class TestPageEditor:
    @pytest.fixture
    def add_url(self, forces, client, django_user_model):
        client.force_login(
            django_user_model.objects.create_superuser("editor", "e@example.com", "pw")
        )
        hub = ReportHubPage.objects.child_of(forces["hampshire"].site.root_page).first()
        return reverse("wagtailadmin_pages:add", args=["reporting", "reportjourneypage", hub.pk])

    def test_an_editor_sees_the_error_on_the_condition_at_fault(self, client, add_url):
        steps = [
            ("step", step_form("first", [yes_no_form("injured", "Was anyone injured?")])),
            (
                "step",
                step_form(
                    "second",
                    [yes_no_form("ambulance", "Did an ambulance come?")],
                    rules=[{"question_id": "injurd", "operator": "is_yes", "values": ""}],
                ),
            ),
        ]
        response = client.post(add_url, journey_form("Bad journey", steps))
        assert response.status_code == 200
        assert not ReportJourneyPage.objects.filter(title="Bad journey").exists()
        # The editor shows the error on the rule's "question id" field of the second step.
        errors = streamfield_errors(response.content.decode())
        rule_errors = errors["1"]["blockErrors"]["condition"]["blockErrors"]["rules"]
        assert rule_errors["blockErrors"]["0"]["blockErrors"]["question_id"]["messages"] == [
            "No question in this journey has the id ‘injurd’. Check the ids of the questions in "
            "earlier steps."
        ]

    def test_a_sound_journey_is_saved(self, client, add_url):
        steps = [
            ("step", step_form("first", [yes_no_form("injured", "Was anyone injured?")])),
            (
                "step",
                step_form(
                    "second",
                    [yes_no_form("ambulance", "Did an ambulance come?")],
                    rules=[{"question_id": "injured", "operator": "is_yes", "values": ""}],
                ),
            ),
        ]
        response = client.post(add_url, journey_form("Good journey", steps))
        assert response.status_code == 302, response.content.decode()[:3000]
        page = ReportJourneyPage.objects.get(title="Good journey")
        assert [child.value["step_id"] for child in page.steps] == ["first", "second"]
