"""A reporting journey as the public go through it: steps, conditions and the form of each step.

Built from a page's ``steps`` (``Journey.from_stream(page.steps)``) or from the revision a draft
is pinned to (``Journey.from_revision_content(revision.content)``). Answers are a plain dict,
``{question id: JSON value}``, kept in the draft between requests. The question types
themselves (fields, messages, stored values, display) are in ``reporting.questions``.

How a view uses it::

    step = journey.next_step(answers)          # None: everything answered → check your answers
    form = step.form(request.POST, request.FILES, answers=answers)   # or step.form(answers=…)
    if form.removed_evidence():                # a "Remove" button beside an uploaded file
        ...delete those files, drop them from answers, show the step again
    elif form.action == "continue" and form.is_valid():
        answers = {**answers, **form.answers()}
        for question_id in form.evidence_ids:  # save form.new_files(question_id), then store
            answers[question_id] = kept + [{"evidence_id", "filename", "content_type", "size"}…]
        answers = journey.prune(answers)       # drops answers to steps that no longer apply
        next = journey.step_after(step.id, answers)   # or next_step(answers) after a change
    else:                                      # "add:<group>" or "remove:<group>:<n>"
        ...render the step again with this (bound) form: it shows no errors

Rendering a step: ``{{ form.render_questions }}`` renders every question; or, question by
question, ``{% include question.template_name with question=question form=form single=… %}``
(``template_name`` is the name of ``reporting/questions/<type>.html`` and also renders the
question of ``form`` when included) or ``question.render(form, single)``. ``single`` (see
``step.label_is_heading``: one question and no introduction) makes the question's label or
legend the page's ``<h1>``, as GOV.UK asks; pass ``caption`` to put a caption inside it. When it
is false, print the step title as the ``<h1>``. Field ids are field names, so the links of
``form.error_summary()`` (``#incident-date-day``) land on the first input of each question, and
``#<question id>`` finds every question on its page (for check-your-answers "Change" links).
``step.title`` is safe for the page ``<title>``: it never holds an answer.
"""

import contextlib
import json
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .blocks import (
    ANSWERED,
    EQUALS,
    IS_NO,
    IS_YES,
    NOT_ANSWERED,
    ONE_OF,
    JourneyStepsBlock,
    split_values,
)
from .questions import (
    EvidenceField,
    QuestionField,
    answer_row,
    build_question,
    is_answered,
)
from .validators import format_file_size

CONTINUE = "continue"
REMOVE_EVIDENCE = "remove-evidence"


def _fold(value):
    return re.sub(r"\s+", " ", str(value)).strip().casefold()


# --- Conditions --------------------------------------------------------------------------------


class Rule:
    """One test on an earlier answer, by question id."""

    def __init__(self, question_id, operator, values=()):
        self.question_id = question_id
        self.operator = operator
        self.values = list(values)

    @classmethod
    def from_value(cls, value):
        operator = value.get("operator")
        raw = value.get("values") or ""
        # "is" compares with the whole text; "is one of" with each of a list.
        values = split_values(raw) if operator != EQUALS else [raw.strip()] * bool(raw.strip())
        return cls(value.get("question_id"), operator, values)

    def holds(self, answers):
        """Whether the rule holds for ``answers`` (only answers on the path taken so far).

        A question never asked fails every test except "not answered".
        """
        asked = self.question_id in answers
        answer = answers.get(self.question_id)
        if self.operator == NOT_ANSWERED:
            return not is_answered(answer)
        if not asked:
            return False
        if self.operator == ANSWERED:
            return is_answered(answer)
        if self.operator == IS_YES:
            return answer is True
        if self.operator == IS_NO:
            return answer is False
        if self.operator in (EQUALS, ONE_OF):
            return any(_matches(item, self.values) for item in _as_list(answer))
        return False


def _as_list(answer):
    # A checkboxes answer matches when any ticked option does.
    return answer if isinstance(answer, list) else [answer]


def _matches(answer, expected):
    if answer is None or isinstance(answer, dict):
        return False
    if isinstance(answer, bool):
        return ("yes" if answer else "no") in {_fold(value) for value in expected}
    if isinstance(answer, int | float):
        for value in expected:
            try:
                if Decimal(str(answer)) == Decimal(value.replace(",", "")):
                    return True
            except InvalidOperation:
                continue
        return False
    return _fold(answer) in {_fold(value) for value in expected}


class Condition:
    """When a step applies: rules combined with "all" or "any". No rules: always."""

    def __init__(self, match="all", rules=()):
        self.match = match
        self.rules = list(rules)

    @classmethod
    def from_value(cls, value):
        if not value:
            return cls()
        return cls(
            value.get("match") or "all", [Rule.from_value(r) for r in value.get("rules") or []]
        )

    @property
    def is_always(self):
        return not self.rules

    def holds(self, answers):
        if not self.rules:
            return True
        results = (rule.holds(answers) for rule in self.rules)
        return any(results) if self.match == "any" else all(results)


# --- Steps -------------------------------------------------------------------------------------


class Step:
    """One page of the journey: questions, or (``is_exit``) guidance that ends the journey."""

    def __init__(self, value, is_exit=False):
        self.id = value.get("step_id")
        self.title = value.get("title") or ""
        self.intro = value.get("intro") or ""
        self.body = value.get("body") or ""
        self.is_exit = is_exit
        self.call_to_action_label = value.get("call_to_action_label") or ""
        self.call_to_action_url = value.get("call_to_action_url") or ""
        self.questions = (
            []
            if is_exit
            else [
                build_question(child.block_type, child.value)
                for child in value.get("questions") or []
            ]
        )
        self.condition = Condition.from_value(value.get("condition"))

    def __repr__(self):
        return f"<Step {self.id}>"

    @property
    def label_is_heading(self):
        """Whether the only question's label is the page heading (GOV.UK's one-question page)."""
        return len(self.questions) == 1 and not str(self.intro or "").strip()

    def applies(self, answers):
        """Whether this step's condition holds for ``answers``."""
        return self.condition.holds(answers)

    def is_complete(self, answers):
        """Whether every question has been answered and each answer is still valid.

        A question counts as answered once its step was submitted, even if left blank when
        optional. An exit step is never complete: it ends the journey.
        """
        if self.is_exit:
            return False
        return all(
            question.id in answers and question.is_valid_answer(answers[question.id])
            for question in self.questions
        )

    def form(self, data=None, files=None, answers=None):
        """A ``StepForm`` for this step, showing ``answers`` already given."""
        return StepForm(self, data=data, files=files, answers=answers)


# --- The form of a step ------------------------------------------------------------------------


class StepForm(forms.Form):
    """The form of one step. Fields are named by question id; a group's fields
    ``<group id>-<n>-<question id>`` (n from 1), with ``<group id>-count`` items.

    ``action`` is the button pressed: "continue", "add:<group id>", "remove:<group id>:<n>"
    or "remove-evidence". Only "continue" validates every answer
    (``is_valid()`` is False for the others, and no errors are shown, except for refused
    files); the view then re-renders the step.
    """

    def __init__(self, step, data=None, files=None, answers=None):
        self.step = step
        self.existing = dict(answers or {})
        self.action = self._parse_action(data)
        self._removed = self._parse_removed(data)
        self._group_counts = {}
        self._skipped_items = {}
        self._removed_item = None
        if data is not None and self.action.startswith("remove:"):
            data = self._without_item(data)
        super().__init__(data=data, files=files, auto_id="%s", label_suffix="")
        for question in step.questions:
            if question.type == "group":
                self._add_group_fields(question)
            elif question.type == "evidence":
                self.fields[question.id] = EvidenceField(
                    question, kept=len(self.kept_evidence(question.id))
                )
            else:
                self.fields[question.id] = QuestionField(question)
                if question.id in self.existing:
                    self.initial[question.id] = question.initial(self.existing[question.id])

    # -- actions --

    @cached_property
    def _groups(self):
        return {q.id: q for q in self.step.questions if q.type == "group"}

    @cached_property
    def evidence_ids(self):
        """The ids of this step's evidence questions."""
        return [q.id for q in self.step.questions if q.type == "evidence"]

    def _parse_action(self, data):
        if data is None:
            return CONTINUE
        if data.get(REMOVE_EVIDENCE):
            return REMOVE_EVIDENCE
        action = str(data.get("action") or CONTINUE)
        kind, _sep, rest = action.partition(":")
        if kind == "add" and rest in self._groups:
            return action
        if kind == "remove":
            group_id, _sep, number = rest.rpartition(":")
            # ASCII digits only ("²" is a digit to str.isdigit, not to int), and few of them.
            if group_id in self._groups and re.fullmatch(r"[0-9]{1,6}", number):
                return action
        return CONTINUE

    def _parse_removed(self, data):
        if data is None:
            return set()
        getlist = getattr(data, "getlist", None)
        asked = getlist(REMOVE_EVIDENCE) if getlist else [data.get(REMOVE_EVIDENCE)]
        known = {
            item.get("evidence_id")
            for qid in self.evidence_ids
            for item in self.existing.get(qid) or []
        }
        return {str(value) for value in asked if value and str(value) in known}

    def removed_evidence(self):
        """Ids of uploaded evidence the reporter asked to remove (a "Remove" button)."""
        return sorted(self._removed)

    def kept_evidence(self, question_id):
        """The evidence already uploaded for a question, less any being removed."""
        return [
            item
            for item in self.existing.get(question_id) or []
            if item.get("evidence_id") not in self._removed
        ]

    def new_files(self, question_id):
        """The files just uploaded for an evidence question, checked (after ``is_valid()``).

        Each file's ``content_type`` is the type found in its contents, and
        ``evidence_extension`` its canonical extension ("jpg", "mp4"…).
        """
        if question_id in self.errors:
            return []
        return list(self.cleaned_data.get(question_id) or [])

    # -- repeating groups --

    def group_items(self, group_id):
        """How many items the group shows now (after any add or remove)."""
        return self._group_counts.get(group_id, 0)

    def _requested_count(self, group):
        existing = len(self.existing.get(group.id) or [])
        count = max(group.min_items, existing, 1)
        if self.data is not None and self.is_bound:
            with contextlib.suppress(TypeError, ValueError):
                count = int(self.data.get(f"{group.id}-count", count))
        if self.action == f"add:{group.id}":
            count += 1
        elif self._removed_item and self._removed_item[0] == group.id:
            count -= 1
        return max(group.min_items, min(count, group.max_items))

    def _without_item(self, data):
        """The POST data with one group item taken out and the later ones moved up."""
        group_id, _sep, number = self.action.removeprefix("remove:").rpartition(":")
        group = self._groups[group_id]
        number = int(number)
        try:
            count = int(data.get(f"{group_id}-count", 0))
        except (TypeError, ValueError):
            count = 0
        if not 1 <= number <= count or count <= group.min_items:
            return data  # Nothing to remove: the step is shown again as it was.
        self._removed_item = (group_id, number)
        copy = data.copy()
        getlist = getattr(copy, "getlist", None)
        for current in range(number, count + 1):
            prefix, following = f"{group_id}-{current}-", f"{group_id}-{current + 1}-"
            for key in [key for key in list(copy.keys()) if key.startswith(prefix)]:
                del copy[key]
            for key in [key for key in list(copy.keys()) if key.startswith(following)]:
                target = prefix + key[len(following) :]
                if getlist:
                    copy.setlist(target, copy.getlist(key))
                else:
                    copy[target] = copy[key]
                del copy[key]
        return copy

    def _add_group_fields(self, group):
        count = self._requested_count(group)
        self._group_counts[group.id] = count
        self._skipped_items[group.id] = set()
        items = self.existing.get(group.id) or []
        for number in range(1, count + 1):
            names = {}
            for question in group.questions:
                name = f"{group.id}-{number}-{question.id}"
                field = QuestionField(question)
                self.fields[name] = field
                names[name] = field
                if number <= len(items) and question.id in items[number - 1]:
                    self.initial[name] = question.initial(items[number - 1][question.id])
            # Items beyond the fewest allowed may be left blank: they are dropped, not refused.
            if number > group.min_items and self.is_bound and self._all_blank(names):
                self._skipped_items[group.id].add(number)
                for field in names.values():
                    field.required = False

    def _all_blank(self, fields):
        for name, field in fields.items():
            value = field.widget.value_from_datadict(self.data, self.files, name)
            values = value if isinstance(value, list | tuple) else [value]
            if any(str(item or "").strip() for item in values):
                return False
        return True

    # -- validation --

    def full_clean(self):
        if self.action == CONTINUE:
            return super().full_clean()
        # Add or remove: only files are checked (so refused files are reported);
        # nothing else is validated until the reporter continues.
        self._errors = ErrorDict()
        self.cleaned_data = {}
        if not self.is_bound:
            return
        for question_id in self.evidence_ids:
            field = self.fields[question_id]
            field.required = False
            try:
                self.cleaned_data[question_id] = field.clean(self[question_id].data)
            except ValidationError as error:
                self.add_error(question_id, error)

    def is_valid(self):
        return self.action == CONTINUE and super().is_valid()

    def answers(self, new_evidence=None):
        """This step's answers as stored: ``{question id: JSON value}`` (after ``is_valid()``).

        An evidence question's value is the evidence kept plus ``new_evidence[question id]``
        (the metadata of the files the view saved: ``evidence_id``, ``filename``,
        ``content_type``, ``size``). A group's value is a list of items, each
        ``{question id: value}``; blank optional items are left out.
        """
        new_evidence = new_evidence or {}
        result = {}
        for question in self.step.questions:
            if question.type == "group":
                skipped = self._skipped_items.get(question.id, set())
                result[question.id] = [
                    {
                        sub.id: self.cleaned_data.get(f"{question.id}-{number}-{sub.id}")
                        for sub in question.questions
                    }
                    for number in range(1, self.group_items(question.id) + 1)
                    if number not in skipped
                ]
            elif question.type == "evidence":
                result[question.id] = self.kept_evidence(question.id) + list(
                    new_evidence.get(question.id) or []
                )
            else:
                result[question.id] = self.cleaned_data.get(question.id)
        return result

    # -- errors --

    def _field_errors(self, name):
        if not self.is_bound or name not in self.errors:
            return []
        return [str(message) for message in self.errors[name]]

    def _first_input_id(self, question, name):
        if question.type == "date":
            parts = getattr(self.fields[name], "error_parts", None) or ["day"]
            return f"{name}-{parts[0]}"
        return name

    def error_summary(self):
        """``(href, message)`` for each error, in page order, linking to the first input."""
        summary = []
        for question in self.step.questions:
            if question.type == "group":
                for number in range(1, self.group_items(question.id) + 1):
                    heading = question.item_heading(number)
                    for sub in question.questions:
                        name = f"{question.id}-{number}-{sub.id}"
                        for message in self._field_errors(name):
                            summary.append(
                                (
                                    f"#{self._first_input_id(sub, name)}",
                                    _("%(item)s: %(message)s")
                                    % {"item": heading, "message": message},
                                )
                            )
                continue
            for message in self._field_errors(question.id):
                summary.append((f"#{self._first_input_id(question, question.id)}", message))
        return summary

    # -- rendering --

    def question_context(self, question, name=None, single=False, nested=False):
        """The template context of one question (``name``: its field name, for group items)."""
        name = name or question.id
        # A group has no field of its own: its items' questions have theirs.
        bound = self[name] if name in self.fields else None
        errors = self._field_errors(name)
        value = question.input_value(bound.value()) if bound is not None else None
        hint_id = f"{name}-hint" if question.hint else ""
        error_id = f"{name}-error" if errors else ""
        context = {
            "question": question,
            "field": bound,
            "form": self,
            "single": single,
            "nested": nested,
            "name": name,
            "id": name,
            "value": value,
            "errors": errors,
            "error_id": error_id,
            "hint_id": hint_id,
            "describedby": " ".join(filter(None, [hint_id, error_id])),
            # The only question: a large heading; one of several: small and bold; a question
            # inside a group item (whose legend is the heading): plain.
            "label_class": "govuk-label--l" if single else ("" if nested else "govuk-label--s"),
            "legend_class": (
                "govuk-fieldset__legend--l"
                if single
                else ("" if nested else "govuk-fieldset__legend--s")
            ),
            "error_parts": getattr(getattr(bound, "field", None), "error_parts", None) or [],
        }
        context.update(question.template_context(value, name))
        if question.type == "date" and errors:
            marked = context["error_parts"] or [part["part"] for part in context["parts"]]
            for part in context["parts"]:
                part["error"] = part["part"] in marked
        if question.type == "evidence":
            context["uploaded"] = [
                {**item, "size_display": format_file_size(int(item.get("size") or 0))}
                for item in self.kept_evidence(question.id)
            ]
        if question.type == "group":
            context.update(self._group_context(question, single))
        return context

    def _group_context(self, group, single):
        count = self.group_items(group.id)
        items = []
        for number in range(1, count + 1):
            html = [
                render_to_string(
                    sub.template_name,
                    self.question_context(sub, name=f"{group.id}-{number}-{sub.id}", nested=True),
                )
                for sub in group.questions
            ]
            items.append(
                {
                    "number": number,
                    "heading": group.item_heading(number),
                    "id": f"{group.id}-{number}",
                    "questions_html": mark_safe("".join(html)),  # noqa: S308 (our templates)
                    "remove_value": f"remove:{group.id}:{number}",
                }
            )
        label = group.item_label
        return {
            "items": items,
            "count_name": f"{group.id}-count",
            "count": count,
            "can_add": count < group.max_items,
            "can_remove": count > group.min_items,
            "add_value": f"add:{group.id}",
            "add_label": _add_label(label, count),
        }

    def render_question(self, question, single=False, caption=""):
        """One question's HTML; ``single`` makes its label the page heading (with ``caption``)."""
        context = self.question_context(question, single=single)
        context["caption"] = caption if single else ""
        return render_to_string(question.template_name, context)

    def render_questions(self, caption=""):
        """Every question of the step (the label is the heading on a one-question page)."""
        single = self.step.label_is_heading
        return mark_safe(  # noqa: S308 (each part is escaped by its template)
            "".join(
                self.render_question(question, single=single, caption=caption)
                for question in self.step.questions
            )
        )


def _add_label(item_label, count):
    if count:
        return _("Add another %(item)s") % {"item": item_label}
    if item_label[:1].lower() in ("a", "e", "i", "o", "u"):
        return _("Add an %(item)s") % {"item": item_label}
    return _("Add a %(item)s") % {"item": item_label}


# --- The journey -------------------------------------------------------------------------------


class Journey:
    """The steps of one journey (one revision of a ``ReportJourneyPage``)."""

    def __init__(self, steps):
        self.steps = list(steps)
        self._steps = {step.id: step for step in self.steps}
        self._positions = {step.id: index for index, step in enumerate(self.steps)}

    @classmethod
    def from_stream(cls, stream_value):
        """The journey of a page's ``steps`` (a ``StreamValue``)."""
        return cls(
            Step(child.value, is_exit=child.block_type == "exit_step") for child in stream_value
        )

    @classmethod
    def from_revision_content(cls, content):
        """The journey of a revision's ``content``, whose "steps" is a JSON string or a list."""
        raw = content.get("steps") or []
        if isinstance(raw, str):
            raw = json.loads(raw) if raw.strip() else []
        return cls.from_stream(JourneyStepsBlock().to_python(raw))

    def step(self, step_id):
        return self._steps.get(step_id)

    @cached_property
    def questions(self):
        """Every top-level question, by id."""
        return {q.id: q for step in self.steps for q in step.questions}

    def _walk(self, answers, stop_at_incomplete):
        """The applicable steps in order, each condition tested on answers given on the way.

        Stops after an exit step, and (when asked) after the first incomplete step.
        """
        taken = []
        seen = {}
        for step in self.steps:
            if not step.applies(seen):
                continue
            taken.append(step)
            if step.is_exit or (stop_at_incomplete and not step.is_complete(answers)):
                break
            for question in step.questions:
                if question.id in answers:
                    seen[question.id] = answers[question.id]
        return taken

    def path(self, answers):
        """The steps on the reporter's path: every applicable step from the start, ending
        with the first that is incomplete or an exit (or with the last step)."""
        return self._walk(answers, stop_at_incomplete=True)

    def next_step(self, answers):
        """The step to ask next, or None when everything is answered (check your answers)."""
        path = self.path(answers)
        if path and (path[-1].is_exit or not path[-1].is_complete(answers)):
            return path[-1]
        return None

    def can_visit(self, step_id, answers):
        """Whether the reporter may be on ``step_id`` now (it is on their path)."""
        return any(step.id == step_id for step in self.path(answers))

    def step_after(self, step_id, answers):
        """The next applicable step after ``step_id`` (None: on to check your answers)."""
        position = self._positions.get(step_id)
        if position is None:
            return None
        for step in self._walk(answers, stop_at_incomplete=False):
            if self._positions[step.id] > position:
                return step
        return None

    def step_before(self, step_id, answers):
        """The applicable step before ``step_id``, for the back link (None: the start page)."""
        position = self._positions.get(step_id, len(self.steps))
        before = None
        for step in self._walk(answers, stop_at_incomplete=False):
            if self._positions[step.id] >= position:
                break
            before = step
        return before

    def prune(self, answers):
        """Only the answers to questions on steps that still apply.

        Applicability is tested through the whole journey (not only up to the first incomplete
        step), so answers further on survive a change that adds a step before them, unless
        their own step no longer applies.
        """
        kept = {}
        for step in self._walk(answers, stop_at_incomplete=False):
            for question in step.questions:
                if question.id in answers:
                    kept[question.id] = answers[question.id]
        return kept

    def _answered_on_path(self, answers):
        for step in self.path(answers):
            for question in step.questions:
                if question.id in answers:
                    yield step, question, answers[question.id]

    def summary(self, answers):
        """The answer rows of the path taken, in order (see the answer-row contract)."""
        return [
            answer_row(step.id, question, value)
            for step, question, value in self._answered_on_path(answers)
        ]

    def contact_details(self, answers):
        """``{"name", "email", "phone"}`` from questions flagged as the reporter's contact
        details, on the path taken; keys without an answer are left out."""
        contact = {}
        for _step, question, value in self._answered_on_path(answers):
            role = question.contact_role
            if role and is_answered(value) and role not in contact:
                contact[role] = value
        return contact

    def evidence_ids(self, answers, on_path=True):
        """The ids of evidence files in the answers (on the path taken, unless ``on_path`` is
        false: then every evidence answer, e.g. to find files a change left behind)."""
        if on_path:
            values = [v for _s, q, v in self._answered_on_path(answers) if q.type == "evidence"]
        else:
            values = [
                answers[q.id]
                for q in self.questions.values()
                if q.type == "evidence" and q.id in answers
            ]
        return [
            str(item["evidence_id"])
            for value in values
            for item in value or []
            if isinstance(item, dict) and item.get("evidence_id")
        ]


def question_preview_context(question_type, value):
    """The template context for previewing a question block in the admin: its public markup."""
    try:
        question = build_question(question_type, value)
    except (KeyError, TypeError, ValueError):
        return {}
    step = Step({"step_id": "preview", "title": question.label})
    step.questions = [question]
    form = step.form()
    return form.question_context(question)
