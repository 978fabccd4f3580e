"""One list of question types (``reporting.blocks.QUESTION_TYPES``) builds the editor's blocks
and finds the reporter's questions: they cannot disagree."""

from django.core.exceptions import ImproperlyConfigured

import pytest

from reporting import blocks, questions
from reporting.blocks import QUESTION_TYPES, QuestionsBlock, QuestionType

NAMES = [kind.name for kind in QUESTION_TYPES]


def test_a_step_offers_every_type_in_the_registry_order():
    assert list(QuestionsBlock().child_blocks) == NAMES


def test_a_group_offers_the_types_that_have_a_group_block_in_the_same_order():
    in_groups = [kind.name for kind in QUESTION_TYPES if kind.group_block]
    assert list(blocks.GroupQuestionsBlock().child_blocks) == in_groups
    assert {"evidence", "declaration", "group"}.isdisjoint(in_groups)
    group = QuestionsBlock().child_blocks["group"]
    assert list(group.child_blocks)[-1] == "questions"
    assert list(group.child_blocks["questions"].child_blocks) == in_groups


def test_every_type_has_the_question_of_its_name():
    assert list(questions.QUESTION_CLASSES) == NAMES
    for kind in QUESTION_TYPES:
        question = questions.QUESTION_CLASSES[kind.name]
        assert question.type == kind.name
        assert kind.block().question_type == kind.name
        if kind.group_block:
            assert kind.group_block.question_type == kind.name


def test_a_type_without_a_question_class_is_refused_at_start_up(monkeypatch):
    class StarRatingQuestionBlock(blocks.QuestionBlock):
        question_type = "star_rating"

    monkeypatch.setattr(
        questions, "QUESTION_TYPES", (*QUESTION_TYPES, QuestionType(StarRatingQuestionBlock))
    )
    with pytest.raises(ImproperlyConfigured, match="star_rating"):
        questions._question_classes()


def test_a_question_class_not_in_the_registry_is_refused_at_start_up(monkeypatch):
    monkeypatch.setattr(questions, "QUESTION_TYPES", QUESTION_TYPES[:-1])
    with pytest.raises(ImproperlyConfigured, match="group"):
        questions._question_classes()
