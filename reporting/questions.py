"""The question types of a reporting journey: how each is asked, checked, stored and shown.

A ``Question`` is built from a question block's value (``build_question``). It knows its form
field, its GOV.UK-style error messages, how to clean what people type into the stored JSON
value (ISO dates, "14:30", E.164 phone numbers, normalised postcodes and registrations), whether
a stored value is still valid, and how to display it. ``reporting.journey`` puts questions
together into steps and forms.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.loader import get_template
from django.utils import dateformat, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .blocks import NONE_OPTION_VALUE, QUESTION_TYPES
from .validators import (
    EVIDENCE_KINDS,
    EVIDENCE_TYPES,
    accepted_types,
    check_evidence_file,
    describe_types,
    format_file_size,
    format_phone,
    format_time,
    normalise_email,
    normalise_phone,
    normalise_postcode,
    normalise_registration,
    parse_day,
    parse_month,
    parse_time,
)


def is_answered(value):
    """Whether a stored answer holds something ("No" to a yes/no question does)."""
    return value not in (None, "", [], {})


# --- Form fields -------------------------------------------------------------------------------


class DateInputWidget(forms.MultiWidget):
    """GOV.UK's date input: day, month and year boxes named ``<name>-day`` and so on."""

    parts = ("day", "month", "year")

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)
        self.widgets_names = [f"-{part}" for part in self.parts]

    def decompress(self, value):
        if isinstance(value, list | tuple):
            return list(value)
        try:
            date = datetime.date.fromisoformat(str(value))
        except ValueError:
            return ["", "", ""]
        return [str(date.day), str(date.month), str(date.year)]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class QuestionField(forms.Field):
    """A form field that hands cleaning to its question (which knows the GOV.UK messages)."""

    def __init__(self, question, **kwargs):
        self.question = question
        super().__init__(required=question.required, widget=question.widget(), **kwargs)

    def clean(self, value):
        return self.question.clean(value, required=self.required, field=self)


class EvidenceField(forms.Field):
    """Several evidence files: each checked by content and size, and no more than allowed.

    ``kept`` is how many files the reporter uploaded before (and has not removed): they
    satisfy "required" and count towards the limit. Cleans to the list of new uploads.
    """

    def __init__(self, question, kept=0, **kwargs):
        self.question = question
        self.kept = kept
        super().__init__(required=question.required, widget=MultipleFileInput(), **kwargs)

    def clean(self, value):
        uploads = [upload for upload in value or [] if isinstance(upload, UploadedFile)]
        question = self.question
        if self.required and not uploads and not self.kept:
            raise ValidationError(question.message("required"), code="required")
        limit = question.max_files
        if self.kept + len(uploads) > limit:
            left = limit - self.kept
            if not self.kept:
                message = ngettext(
                    "You can only upload %(count)s file",
                    "You can only upload up to %(count)s files",
                    limit,
                ) % {"count": limit}
            elif left > 0:
                message = ngettext(
                    "You can only upload %(count)s more file",
                    "You can only upload %(count)s more files",
                    left,
                ) % {"count": left}
            else:
                message = _("You have uploaded as many files as you can. Remove one to add another")
            raise ValidationError(message, code="too_many")
        errors = []
        for number, upload in enumerate(uploads, start=1):
            subject = (
                _("The selected file")
                if len(uploads) == 1
                else _("Selected file %(number)s of %(count)s")
                % {"number": number, "count": len(uploads)}
            )
            try:
                content_type, extension = check_evidence_file(
                    upload, kinds=question.accepted_kinds, subject=subject
                )
            except ValidationError as error:
                errors.append(error)
                continue
            # From here on the type is the one found in the file, not the one the browser sent.
            upload.content_type = content_type
            upload.evidence_extension = extension
        if errors:
            raise ValidationError(errors)
        return uploads


# --- Questions ---------------------------------------------------------------------------------


class Question:
    """One question of a step, built from its block value.

    ``type`` is the block's name ("date", "postcode", "group"…); ``settings`` holds the
    type-specific settings. Subclasses know their field, their messages, how to clean what
    people type into the stored JSON value, and how to show a stored value.
    """

    type = ""
    # Error messages by code: (with the editor's "name in error messages", without it).
    messages = {
        "required": (gettext_lazy("Enter %(name)s"), gettext_lazy("Enter an answer")),
    }
    COMMON = ("question_id", "label", "hint", "error_label", "required")

    def __init__(self, value):
        self.id = value.get("question_id")
        self.label = value.get("label") or ""
        self.hint = value.get("hint") or ""
        self.error_label = value.get("error_label") or ""
        self.required = bool(value.get("required", True))
        self.settings = {key: item for key, item in value.items() if key not in self.COMMON}

    def __repr__(self):
        return f"<{type(self).__name__} {self.id}>"

    @property
    def template_name(self):
        """``reporting/questions/<type>.html``, which ``{% include %}`` can also render."""
        return QuestionTemplate(f"reporting/questions/{self.type}.html", self)

    contact_role = None

    # -- messages --

    # Whether a label that is not a question ("Date of the incident") can name the answer in
    # messages. Not for yes/no questions or declarations, whose messages need a clause.
    label_names_answer = True

    @property
    def error_name(self):
        """What messages call the answer: the editor's name for it, else the label when it is
        not a question (first letter lower-cased, unless it starts with an acronym), else ""."""
        if self.error_label:
            return self.error_label
        label = self.label.strip().rstrip(".:")
        if not self.label_names_answer or not label or label.endswith("?"):
            return ""
        if label[:2].isupper():
            return label
        return label[:1].lower() + label[1:]

    def message(self, code, **params):
        """The GOV.UK-style message for ``code``, naming the answer when it can."""
        named, generic = self.messages[code]
        name = self.error_name
        if name:
            return str(named) % {"name": name, "Name": name[:1].upper() + name[1:], **params}
        return str(generic) % params

    def error(self, code, **params):
        return ValidationError(self.message(code, **params), code=code)

    # -- forms --

    def widget(self):
        return forms.TextInput()

    def clean(self, value, required, field=None):
        """Clean what was typed into the stored value; raise ``ValidationError`` if wrong."""
        text = str(value or "").strip()
        if not text:
            if required:
                raise self.error("required")
            return None
        return self.clean_text(text)

    def clean_text(self, text):
        return text

    def initial(self, answer):
        """A stored answer as the form shows it again."""
        return "" if answer is None else answer

    def input_value(self, value):
        """The form's current value (typed or initial) in the shape the template wants."""
        return "" if value is None else str(value)

    def template_context(self, value, name):
        return {}

    # -- stored answers --

    def is_valid_answer(self, answer):
        """Whether a stored answer still satisfies the question (for ``Step.is_complete``)."""
        if not is_answered(answer):
            return not self.required
        try:
            return self.clean_text(str(answer)) == answer
        except ValidationError:
            return False

    def display(self, value):
        """A stored answer as people read it (check your answers, emails, CSV)."""
        if not is_answered(value):
            return ""
        return str(value)

    def render(self, form, single=False, caption=""):
        """This question's HTML in ``form`` (a ``StepForm`` of its step)."""
        return form.render_question(self, single=single, caption=caption)


class QuestionTemplate(str):
    """A question's template name that ``{% include %}`` can render directly.

    Django's ``include`` renders any object with a ``render(context)`` method. This one renders
    its question with the ``form`` (a ``StepForm``) in the context, so
    ``{% include question.template_name with form=form single=True %}`` is
    ``question.render(form, single=True)``. Anywhere else it is just the name.
    """

    def __new__(cls, name, question):
        template = super().__new__(cls, name)
        template.question = question
        return template

    def render(self, context):
        form = context.get("form")
        if not hasattr(form, "render_question"):
            return get_template(str(self)).render(context.flatten())
        return form.render_question(
            self.question, single=bool(context.get("single")), caption=context.get("caption") or ""
        )


class ShortTextQuestion(Question):
    type = "short_text"
    messages = {
        **Question.messages,
        "too_long": (
            gettext_lazy("%(Name)s must be %(max)s characters or less"),
            gettext_lazy("Your answer must be %(max)s characters or less"),
        ),
    }

    @property
    def max_length(self):
        return self.settings.get("max_length") or 200

    @property
    def contact_role(self):
        return "name" if self.settings.get("is_contact") else None

    @property
    def autocomplete(self):
        return self.settings.get("autocomplete") or ("name" if self.contact_role else "")

    def clean_text(self, text):
        text = re.sub(r"\s+", " ", text)
        if len(text) > self.max_length:
            raise self.error("too_long", max=self.max_length)
        return text

    def template_context(self, value, name):
        return {
            "input_type": "text",
            "autocomplete": self.autocomplete,
            "width_class": _width_class(self.max_length),
            "spellcheck": "false" if self.autocomplete in ("name", "email") else "",
        }


def _width_class(max_length):
    for width in (2, 3, 4, 5, 10, 20):
        if max_length <= width:
            return f"govuk-input--width-{width}"
    return ""


class LongTextQuestion(Question):
    type = "long_text"
    messages = ShortTextQuestion.messages
    default_max = 1200

    @property
    def max_characters(self):
        return self.settings.get("max_characters") or self.default_max

    def widget(self):
        return forms.Textarea()

    def clean(self, value, required, field=None):
        # Browsers send new lines as CR LF; count (and keep) them as one character each.
        text = str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
        if not text:
            if required:
                raise self.error("required")
            return None
        return self.clean_text(text)

    def clean_text(self, text):
        if len(text) > self.max_characters:
            raise self.error("too_long", max=self.max_characters)
        return text

    def template_context(self, value, name):
        return {
            "max_characters": self.max_characters,
            "rows": 5 if self.max_characters > 500 else 3,
        }


class LocationQuestion(LongTextQuestion):
    type = "location"
    default_max = 500
    messages = {
        **LongTextQuestion.messages,
        "required": (gettext_lazy("Enter %(name)s"), gettext_lazy("Enter where it happened")),
    }


# The largest number any question takes, whatever its editor allows: a back office reading the
# JSON as doubles keeps every digit of it, and a stored answer never has thousands of digits.
LARGEST_NUMBER = Decimal(10**15 - 1)


class NumberQuestion(Question):
    type = "number"
    messages = {
        "required": (gettext_lazy("Enter %(name)s"), gettext_lazy("Enter a number")),
        "invalid": (
            gettext_lazy("%(Name)s must be a number"),
            gettext_lazy("Your answer must be a number"),
        ),
        "whole": (
            gettext_lazy("%(Name)s must be a whole number"),
            gettext_lazy("Your answer must be a whole number"),
        ),
        "min": (
            gettext_lazy("%(Name)s must be %(min)s or more"),
            gettext_lazy("Your answer must be %(min)s or more"),
        ),
        "max": (
            gettext_lazy("%(Name)s must be %(max)s or less"),
            gettext_lazy("Your answer must be %(max)s or less"),
        ),
        "range": (
            gettext_lazy("%(Name)s must be between %(min)s and %(max)s"),
            gettext_lazy("Your answer must be between %(min)s and %(max)s"),
        ),
    }

    @cached_property
    def bounds(self):
        low, high = self.settings.get("min_value"), self.settings.get("max_value")
        return (
            None if low is None else Decimal(str(low)),
            None if high is None else Decimal(str(high)),
        )

    @property
    def whole_numbers(self):
        return bool(self.settings.get("whole_numbers", True))

    def clean_text(self, text):
        prefix = (self.settings.get("prefix") or "").strip()
        compact = re.sub(r"[\s,]", "", text)
        if prefix and compact.startswith(prefix):
            compact = compact[len(prefix) :]
        try:
            number = Decimal(compact)
        except InvalidOperation:
            raise self.error("invalid") from None
        if not number.is_finite() or "e" in compact.lower():
            raise self.error("invalid")
        if self.whole_numbers and number != number.to_integral_value():
            raise self.error("whole")
        low, high = self.bounds
        if (low is not None and number < low) or (high is not None and number > high):
            if low is not None and high is not None:
                raise self.error("range", min=_number(low), max=_number(high))
            if low is not None:
                raise self.error("min", min=_number(low))
            raise self.error("max", max=_number(high))
        # Compared, never computed with: arithmetic on a number of thousands of digits
        # overflows the decimal context.
        if number > LARGEST_NUMBER:
            raise self.error("max", max=_number(LARGEST_NUMBER))
        if number < -LARGEST_NUMBER:
            raise self.error("min", min=_number(-LARGEST_NUMBER))
        if number == number.to_integral_value():
            return int(number)
        return float(number)

    def is_valid_answer(self, answer):
        if not is_answered(answer):
            return not self.required
        if isinstance(answer, bool) or not isinstance(answer, int | float):
            return False
        try:
            return self.clean_text(str(answer)) == answer
        except ValidationError:
            return False

    def display(self, value):
        if not is_answered(value):
            return ""
        text = _number(Decimal(str(value)))
        prefix = self.settings.get("prefix") or ""
        suffix = self.settings.get("suffix") or ""
        return f"{prefix}{text}" + (f" {suffix}" if suffix else "")

    def template_context(self, value, name):
        return {
            "input_type": "text",
            "inputmode": "numeric" if self.whole_numbers else "decimal",
            "spellcheck": "false",
            "width_class": "govuk-input--width-5",
            "prefix": self.settings.get("prefix") or "",
            "suffix": self.settings.get("suffix") or "",
        }


def _number(decimal):
    """A number as people write it: 1,200 or 12.5."""
    if decimal == decimal.to_integral_value():
        return f"{int(decimal):,}"
    return f"{decimal.normalize():,f}"


class DateQuestion(Question):
    type = "date"
    messages = {
        "required": (gettext_lazy("Enter %(name)s"), gettext_lazy("Enter a date")),
        "missing_day": (
            gettext_lazy("%(Name)s must include a day"),
            gettext_lazy("The date must include a day"),
        ),
        "missing_month": (
            gettext_lazy("%(Name)s must include a month"),
            gettext_lazy("The date must include a month"),
        ),
        "missing_year": (
            gettext_lazy("%(Name)s must include a year"),
            gettext_lazy("The date must include a year"),
        ),
        "missing_day_month": (
            gettext_lazy("%(Name)s must include a day and month"),
            gettext_lazy("The date must include a day and month"),
        ),
        "missing_day_year": (
            gettext_lazy("%(Name)s must include a day and year"),
            gettext_lazy("The date must include a day and year"),
        ),
        "missing_month_year": (
            gettext_lazy("%(Name)s must include a month and year"),
            gettext_lazy("The date must include a month and year"),
        ),
        "year_digits": (
            gettext_lazy("The year must include 4 numbers"),
            gettext_lazy("The year must include 4 numbers"),
        ),
        "not_real": (
            gettext_lazy("%(Name)s must be a real date"),
            gettext_lazy("The date must be a real date"),
        ),
        "future": (
            gettext_lazy("%(Name)s must be today or in the past"),
            gettext_lazy("The date must be today or in the past"),
        ),
        "too_old": (
            gettext_lazy("%(Name)s must be the same as or after %(date)s"),
            gettext_lazy("The date must be the same as or after %(date)s"),
        ),
    }

    def widget(self):
        return DateInputWidget()

    @property
    def not_in_future(self):
        return bool(self.settings.get("not_in_future"))

    def earliest(self, today):
        years = self.settings.get("max_years_ago")
        if not years:
            return None
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - years, day=28)

    def clean(self, value, required, field=None):
        parts = [str(part or "").strip() for part in (value or ["", "", ""])][:3]
        parts += [""] * (3 - len(parts))

        def fail(code, bad_parts, **params):
            if field is not None:
                field.error_parts = bad_parts
            return self.error(code, **params)

        if not any(parts):
            if required:
                raise fail("required", ["day", "month", "year"])
            return None
        missing = [
            name for name, part in zip(DateInputWidget.parts, parts, strict=True) if not part
        ]
        if missing:
            raise fail("missing_" + "_".join(missing), missing)
        day, month = parse_day(parts[0]), parse_month(parts[1])
        if not re.fullmatch(r"[0-9]{4}", parts[2]):
            if re.fullmatch(r"[0-9]{1,3}|[0-9]{5,}", parts[2]):
                raise fail("year_digits", ["year"])
            raise fail("not_real", ["year"])
        bad = [name for name, number in (("day", day), ("month", month)) if number is None]
        if bad:
            raise fail("not_real", bad)
        try:
            date = datetime.date(int(parts[2]), month, day)
        except ValueError:
            wrong = ["month"] if not 1 <= month <= 12 else (["day"] if day > 31 else None)
            raise fail("not_real", wrong or ["day", "month", "year"]) from None
        return self._check(date, fail)

    def _check(self, date, fail):
        today = timezone.localdate()
        if self.not_in_future and date > today:
            raise fail("future", ["day", "month", "year"])
        earliest = self.earliest(today)
        if earliest and date < earliest:
            raise fail("too_old", ["day", "month", "year"], date=_format_date(earliest))
        return date.isoformat()

    def is_valid_answer(self, answer):
        if not is_answered(answer):
            return not self.required
        try:
            date = datetime.date.fromisoformat(str(answer))
            return self._check(date, lambda code, parts, **params: ValidationError(code)) == answer
        except (ValueError, ValidationError):
            return False

    def initial(self, answer):
        return DateInputWidget().decompress(answer) if answer else ["", "", ""]

    def input_value(self, value):
        if isinstance(value, list | tuple):
            return [str(part or "") for part in value]
        return DateInputWidget().decompress(value) if value else ["", "", ""]

    def display(self, value):
        if not is_answered(value):
            return ""
        try:
            return _format_date(datetime.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)

    def template_context(self, value, name):
        labels = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
        widths = {"day": 2, "month": 2, "year": 4}
        return {
            "parts": [
                {
                    "part": part,
                    "name": f"{name}-{part}",
                    "label": labels[part],
                    "value": value[index],
                    "width": widths[part],
                }
                for index, part in enumerate(DateInputWidget.parts)
            ]
        }


def _format_date(date):
    """A date as GOV.UK writes it: 25 November 2026 (month names translated)."""
    return dateformat.format(date, "j F Y")


class TimeQuestion(Question):
    type = "time"
    messages = {
        "required": (gettext_lazy("Enter %(name)s"), gettext_lazy("Enter a time")),
        "invalid": (
            gettext_lazy("Enter a real time, like 9:15am, 14:30 or midday"),
            gettext_lazy("Enter a real time, like 9:15am, 14:30 or midday"),
        ),
    }

    def clean_text(self, text):
        time = parse_time(text)
        if time is None:
            raise self.error("invalid")
        return time.strftime("%H:%M")

    def initial(self, answer):
        return format_time(answer) if answer else ""

    def display(self, value):
        return format_time(value) if is_answered(value) else ""

    def template_context(self, value, name):
        return {"input_type": "text", "width_class": "govuk-input--width-5", "spellcheck": "false"}


class ChoiceQuestion(Question):
    """A question answered by choosing from the editor's options (stored by option value)."""

    messages = {
        "required": (gettext_lazy("Select %(name)s"), gettext_lazy("Select an option")),
    }

    @cached_property
    def options(self):
        return [
            {"value": option["value"], "label": option["label"], "hint": option.get("hint") or ""}
            for option in self.settings.get("options") or []
        ]

    @cached_property
    def option_labels(self):
        return {option["value"]: option["label"] for option in self.options}

    def clean(self, value, required, field=None):
        value = str(value or "").strip()
        if not value:
            if required:
                raise self.error("required")
            return None
        if value not in self.option_labels:
            raise self.error("required")
        return value

    def is_valid_answer(self, answer):
        if not is_answered(answer):
            return not self.required
        return answer in self.option_labels

    def display(self, value):
        if not is_answered(value):
            return ""
        return self.option_labels.get(value, str(value))

    def template_context(self, value, name):
        return {"options": _option_items(self.options, name, lambda option: option == value)}


def _option_items(options, name, is_checked):
    """Options with GOV.UK ids: the first is the field's own id (errors link to it)."""
    items = []
    for index, option in enumerate(options):
        option_id = name if index == 0 else f"{name}-{index + 1}"
        items.append(
            {
                **option,
                "id": option_id,
                "hint_id": f"{option_id}-item-hint" if option.get("hint") else "",
                "checked": is_checked(option["value"]),
            }
        )
    return items


class RadiosQuestion(ChoiceQuestion):
    type = "radios"

    def widget(self):
        return forms.RadioSelect()


class SelectQuestion(ChoiceQuestion):
    type = "select"

    def widget(self):
        return forms.Select()


class CheckboxesQuestion(ChoiceQuestion):
    type = "checkboxes"
    messages = {
        "required": (
            gettext_lazy("Select %(name)s"),
            gettext_lazy("Select at least one option"),
        ),
        "exclusive": (
            gettext_lazy("Select %(name)s, or select ‘%(none)s’"),
            gettext_lazy("Select the options that apply, or select ‘%(none)s’"),
        ),
    }

    def widget(self):
        return forms.CheckboxSelectMultiple()

    @property
    def none_label(self):
        return self.settings.get("none_option_label") or ""

    @cached_property
    def option_labels(self):
        labels = {option["value"]: option["label"] for option in self.options}
        if self.none_label:
            labels[NONE_OPTION_VALUE] = self.none_label
        return labels

    def clean(self, value, required, field=None):
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        chosen = [item for item in dict.fromkeys(str(v).strip() for v in values) if item]
        if not chosen:
            if required:
                raise self.error("required")
            return []
        if any(item not in self.option_labels for item in chosen):
            raise self.error("required")
        if NONE_OPTION_VALUE in chosen and len(chosen) > 1 and self.none_label:
            raise self.error("exclusive", none=self.none_label)
        # Stored in the order of the options, whatever order the browser sent them in.
        return [item for item in self.option_labels if item in chosen]

    def is_valid_answer(self, answer):
        if not isinstance(answer, list):
            return False
        if not answer:
            return not self.required
        try:
            return self.clean(answer, required=self.required) == answer
        except ValidationError:
            return False

    def initial(self, answer):
        return list(answer or [])

    def input_value(self, value):
        if value in (None, ""):
            return []
        return [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)]

    def display(self, value):
        return "\n".join(self.option_labels.get(item, str(item)) for item in value or [])

    def template_context(self, value, name):
        options = list(self.options)
        items = _option_items(options, name, lambda option: option in value)
        none = None
        if self.none_label:
            none_id = f"{name}-{len(options) + 1}"
            none = {
                "value": NONE_OPTION_VALUE,
                "label": self.none_label,
                "id": none_id,
                "checked": NONE_OPTION_VALUE in value,
            }
        return {"options": items, "none_option": none}


class YesNoQuestion(Question):
    type = "yes_no"
    label_names_answer = False
    messages = {
        "required": (gettext_lazy("Select yes if %(name)s"), gettext_lazy("Select yes or no")),
    }

    def widget(self):
        return forms.RadioSelect()

    def clean(self, value, required, field=None):
        value = str(value or "").strip().lower()
        if value not in ("yes", "no"):
            if required or value:
                raise self.error("required")
            return None
        return value == "yes"

    def is_valid_answer(self, answer):
        if answer is None:
            return not self.required
        return isinstance(answer, bool)

    def initial(self, answer):
        return {True: "yes", False: "no"}.get(answer, "")

    def input_value(self, value):
        if isinstance(value, bool):
            return "yes" if value else "no"
        return "" if value is None else str(value)

    def display(self, value):
        return {True: _("Yes"), False: _("No")}.get(value, "")

    def template_context(self, value, name):
        options = [
            {"value": "yes", "label": _("Yes"), "hint": ""},
            {"value": "no", "label": _("No"), "hint": ""},
        ]
        return {"options": _option_items(options, name, lambda option: option == value)}


class EmailQuestion(Question):
    type = "email"
    messages = {
        "required": (gettext_lazy("Enter %(name)s"), gettext_lazy("Enter an email address")),
        "invalid": (
            gettext_lazy("Enter an email address in the correct format, like name@example.com"),
            gettext_lazy("Enter an email address in the correct format, like name@example.com"),
        ),
    }

    @property
    def contact_role(self):
        return "email" if self.settings.get("is_contact") else None

    def clean_text(self, text):
        address = normalise_email(text)
        if address is None:
            raise self.error("invalid")
        return address

    def template_context(self, value, name):
        return {
            "input_type": "email",
            "autocomplete": "email" if self.contact_role else "off",
            "spellcheck": "false",
        }


class PhoneQuestion(Question):
    type = "phone"
    messages = {
        "required": (gettext_lazy("Enter %(name)s"), gettext_lazy("Enter a telephone number")),
        "invalid": (
            gettext_lazy(
                "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
            ),
            gettext_lazy(
                "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
            ),
        ),
    }

    @property
    def contact_role(self):
        return "phone" if self.settings.get("is_contact") else None

    def clean_text(self, text):
        number = normalise_phone(text)
        if number is None:
            raise self.error("invalid")
        return number

    def initial(self, answer):
        return format_phone(answer) if answer else ""

    def display(self, value):
        return format_phone(value) if is_answered(value) else ""

    def template_context(self, value, name):
        return {
            "input_type": "tel",
            "autocomplete": "tel" if self.contact_role else "off",
            "width_class": "govuk-input--width-20",
        }


class PostcodeQuestion(Question):
    type = "postcode"
    messages = {
        "required": (gettext_lazy("Enter %(name)s"), gettext_lazy("Enter a postcode")),
        "invalid": (
            gettext_lazy("Enter a real postcode, like RG1 1AA"),
            gettext_lazy("Enter a real postcode, like RG1 1AA"),
        ),
    }

    def clean_text(self, text):
        postcode = normalise_postcode(text)
        if postcode is None:
            raise self.error("invalid")
        return postcode

    def template_context(self, value, name):
        return {
            "input_type": "text",
            "autocomplete": "postal-code" if self.settings.get("is_reporter_address") else "off",
            "spellcheck": "false",
            "width_class": "govuk-input--width-10",
        }


class RegistrationQuestion(Question):
    type = "registration"
    messages = {
        "required": (gettext_lazy("Enter %(name)s"), gettext_lazy("Enter a vehicle registration")),
        "invalid": (
            gettext_lazy("Enter a vehicle registration, like AB12 CDE"),
            gettext_lazy("Enter a vehicle registration, like AB12 CDE"),
        ),
    }

    def clean_text(self, text):
        registration = normalise_registration(text)
        if registration is None:
            raise self.error("invalid")
        return registration

    def template_context(self, value, name):
        return {
            "input_type": "text",
            "autocomplete": "off",
            "spellcheck": "false",
            "width_class": "govuk-input--width-10",
            "extra_class": "govuk-input--extra-letter-spacing",
        }


class DeclarationQuestion(Question):
    type = "declaration"
    label_names_answer = False
    messages = {
        "required": (
            gettext_lazy("Confirm %(name)s"),
            gettext_lazy("Select the box to confirm the declaration"),
        ),
    }

    def widget(self):
        return forms.CheckboxInput()

    @property
    def confirm_label(self):
        return self.settings.get("confirm_label") or _(
            "I confirm that the information I have given is true"
        )

    def clean(self, value, required, field=None):
        confirmed = value is True or str(value).lower() in ("yes", "on", "true", "1")
        if not confirmed:
            if required:
                raise self.error("required")
            return None
        return True

    def is_valid_answer(self, answer):
        return answer is True or (answer is None and not self.required)

    def initial(self, answer):
        return bool(answer)

    def input_value(self, value):
        return value is True or str(value).lower() in ("yes", "on", "true", "1")

    def display(self, value):
        return self.confirm_label if value is True else ""

    def template_context(self, value, name):
        return {"text": self.settings.get("text") or "", "confirm_label": self.confirm_label}


class EvidenceQuestion(Question):
    type = "evidence"
    messages = {
        "required": (gettext_lazy("Select %(name)s"), gettext_lazy("Select a file")),
    }

    @property
    def accepted_kinds(self):
        return tuple(self.settings.get("accepted_kinds") or EVIDENCE_KINDS)

    @property
    def max_files(self):
        own = self.settings.get("max_files") or settings.REPORT_EVIDENCE_MAX_FILES
        return max(1, min(own, settings.REPORT_EVIDENCE_MAX_FILES))

    def widget(self):
        return MultipleFileInput()

    def is_valid_answer(self, answer):
        if not isinstance(answer, list):
            return False
        if not answer:
            return not self.required
        return len(answer) <= self.max_files and all(
            isinstance(item, dict) and item.get("evidence_id") for item in answer
        )

    def display(self, value):
        return "\n".join(
            f"{item.get('filename', '')} ({format_file_size(int(item.get('size') or 0))})"
            for item in value or []
        )

    def template_context(self, value, name):
        extensions = [
            f".{extension}"
            for ext in accepted_types(self.accepted_kinds)
            for extension in sorted(EVIDENCE_TYPES[ext][1])
        ]
        return {
            "accept": ",".join(extensions),
            "types": describe_types(self.accepted_kinds),
            "max_size": format_file_size(settings.REPORT_EVIDENCE_MAX_BYTES),
            "max_files": self.max_files,
        }


class GroupQuestion(Question):
    """A repeating group: the same questions about each of between ``min_items`` and
    ``max_items`` things. Stored as a list of items, each ``{question id: value}``."""

    type = "group"
    COMMON = ("question_id", "label", "hint", "error_label")

    def __init__(self, value):
        super().__init__(value)
        self.questions = [
            build_question(child.block_type, child.value, contact=False)
            for child in value.get("questions") or []
        ]
        self.min_items = int(value.get("min_items") or 0)
        self.max_items = max(int(value.get("max_items") or 1), self.min_items, 1)
        self.item_label = value.get("item_label") or _("item")
        self.required = self.min_items > 0

    def item_heading(self, number):
        """ "Vehicle 2": the heading of an item."""
        label = self.item_label
        return _("%(item)s %(number)s") % {"item": label[:1].upper() + label[1:], "number": number}

    def is_valid_answer(self, answer):
        if not isinstance(answer, list):
            return False
        if not self.min_items <= len(answer) <= self.max_items:
            return False
        return all(
            isinstance(item, dict)
            and all(q.id in item and q.is_valid_answer(item[q.id]) for q in self.questions)
            for item in answer
        )

    def rows(self, step_id, value):
        """The answer rows of each item (the answer-row contract, one list per item)."""
        return [
            [answer_row(step_id, question, item.get(question.id)) for question in self.questions]
            for item in value or []
        ]

    def display(self, value):
        blocks = []
        for number, item in enumerate(value or [], start=1):
            lines = [self.item_heading(number)]
            for question in self.questions:
                shown = question.display(item.get(question.id)) or _("Not answered")
                lines.append(f"{question.label}: {shown}".replace("\n", ", "))
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)


def _question_classes():
    """The ``Question`` of each of ``QUESTION_TYPES`` (``reporting.blocks``), by its ``type``."""
    by_type = {}
    pending = [Question]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.type:
            by_type[cls.type] = cls
    names = [kind.name for kind in QUESTION_TYPES]
    missing = [name for name in names if name not in by_type]
    unlisted = sorted(set(by_type) - set(names))
    if missing or unlisted:
        raise ImproperlyConfigured(
            f"Question types without a Question class: {missing}; "
            f"Question classes not in QUESTION_TYPES: {unlisted}."
        )
    return {name: by_type[name] for name in names}


QUESTION_CLASSES = _question_classes()


def build_question(question_type, value, contact=True):
    """The ``Question`` for a block of type ``question_type`` with ``value``.

    Questions inside a repeating group never provide the reporter's contact details.
    """
    question = QUESTION_CLASSES[question_type](value)
    if not contact:
        question.settings.pop("is_contact", None)
        question.settings.pop("is_reporter_address", None)
    return question


def answer_row(step_id, question, value):
    """One answer row (the contract in ``Submission.answers``)."""
    if question.type == "group":
        return {
            "step_id": step_id,
            "question_id": question.id,
            "label": question.label,
            "type": question.type,
            "value": question.rows(step_id, value),
            "display": question.display(value) or _("None"),
        }
    return {
        "step_id": step_id,
        "question_id": question.id,
        "label": question.label,
        "type": question.type,
        "value": value,
        "display": question.display(value) or _("Not answered"),
    }
