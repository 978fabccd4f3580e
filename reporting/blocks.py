"""The blocks editors build reporting journeys from: steps, questions and conditions.

A journey (``ReportJourneyPage.steps``) is a ``JourneyStepsBlock``: question steps and exit steps.
Each question has a stable ``question_id``; conditions and stored answers refer to ids, never to
labels, so editing a label never breaks a condition or a report already made. The public
behaviour of every block lives in ``reporting.journey``; these blocks only define and check what
editors enter. ``JourneyStepsBlock.clean`` checks the journey as a whole (duplicate ids,
conditions on missing or later questions, condition values that are not options) and attaches
each error to the step, question or rule at fault.
"""

import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from .validators import EVIDENCE_KINDS

ID_PATTERN = r"^[a-z][a-z0-9_-]*$"
ID_RE = re.compile(ID_PATTERN)
ID_MAX_LENGTH = 48
OPTION_VALUE_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
INTRO_FEATURES = ["h2", "h3", "bold", "link", "ol", "ul"]
DECLARATION_FEATURES = ["bold", "link", "ol", "ul"]

# Names the public form uses for its own buttons and fields; a question id must not take them.
RESERVED_IDS = {"action", "remove-evidence", "csrfmiddlewaretoken", "language", "next", "website"}

# The value of a checkboxes question's exclusive "None of these" option.
NONE_OPTION_VALUE = "none"

# Condition operators.
EQUALS, ONE_OF, ANSWERED, NOT_ANSWERED, IS_YES, IS_NO = (
    "equals",
    "one_of",
    "answered",
    "not_answered",
    "is_yes",
    "is_no",
)
OPERATOR_CHOICES = [
    (EQUALS, _("is")),
    (ONE_OF, _("is one of")),
    (ANSWERED, _("is answered")),
    (NOT_ANSWERED, _("is not answered")),
    (IS_YES, _("is yes")),
    (IS_NO, _("is no")),
]

# Question types whose answers are options chosen from a list.
CHOICE_TYPES = {"radios", "checkboxes", "select"}
# Question types a condition can only test for being answered.
UNCOMPARABLE_TYPES = {"evidence", "group", "declaration"}

AUTOCOMPLETE_CHOICES = [
    ("", _("None (the browser decides)")),
    ("off", _("Off (never fill this in)")),
    ("name", _("The reporter's full name")),
    ("given-name", _("The reporter's first name")),
    ("family-name", _("The reporter's last name")),
    ("email", _("The reporter's email address")),
    ("tel", _("The reporter's telephone number")),
    ("street-address", _("The reporter's street address")),
    ("address-level2", _("The reporter's town or city")),
    ("postal-code", _("The reporter's postcode")),
    ("organization", _("The reporter's organisation")),
    ("bday", _("The reporter's date of birth")),
]

STABLE_ID_HELP = _(
    "A short id, like ‘incident-date’: lower-case letters, numbers and hyphens. Conditions and "
    "every report refer to it, and forces' systems read it. Never change it once the journey is "
    "published, even when you change the wording."
)


def split_values(text):
    """The values of a ‘one of’ rule: separated by commas or new lines, trimmed, blanks dropped."""
    return [part.strip() for part in re.split(r"[,\n]", str(text or "")) if part.strip()]


def stable_id_block(label, help_text=STABLE_ID_HELP):
    return blocks.RegexBlock(
        regex=ID_PATTERN,
        max_length=ID_MAX_LENGTH,
        label=label,
        help_text=help_text,
        error_messages={
            "invalid": _(
                "Use lower-case letters, numbers and hyphens, starting with a letter, "
                "like ‘incident-date’."
            )
        },
    )


# --- Options -----------------------------------------------------------------------------------


class OptionBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), max_length=200)
    value = blocks.RegexBlock(
        regex=OPTION_VALUE_PATTERN,
        max_length=ID_MAX_LENGTH,
        required=False,
        label=_("Value"),
        help_text=_(
            "What reports and conditions record, like ‘car’: lower-case letters, numbers and "
            "hyphens. Left blank, it is made from the label when you save. Never change it once "
            "published."
        ),
        error_messages={"invalid": _("Use lower-case letters, numbers and hyphens, like ‘car’.")},
    )
    hint = blocks.CharBlock(label=_("Hint"), required=False, max_length=250)

    class Meta:
        icon = "list-ul"
        label = _("Option")

    def clean(self, value):
        value = super().clean(value)
        if not value.get("value"):
            # Made once, when saved, and stored: later label changes leave it alone.
            value["value"] = slugify(value.get("label") or "")[:ID_MAX_LENGTH].strip("-")
            if not value["value"] and not self.is_deferred_validation:
                raise StructBlockValidationError(
                    block_errors={
                        "value": ValidationError(
                            _("Enter a value, like ‘car’: lower-case letters, numbers and hyphens.")
                        )
                    }
                )
        return value


def options_block():
    return blocks.ListBlock(OptionBlock(), min_num=2, label=_("Options"))


def check_options(value, errors, reserved=()):
    """Add an error for every option whose value repeats an earlier one (or a reserved value)."""
    seen = set(reserved)
    option_errors = {}
    for index, option in enumerate(value.get("options") or []):
        if option["value"] in seen:
            message = (
                _("‘%(value)s’ is kept for the ‘None of these’ option. Use another value.")
                if option["value"] in reserved
                else _("Another option already has the value ‘%(value)s’. Each must be different.")
            )
            option_errors[index] = StructBlockValidationError(
                block_errors={"value": ValidationError(message % {"value": option["value"]})}
            )
        seen.add(option["value"])
    if option_errors:
        errors["options"] = ListBlockValidationError(block_errors=option_errors)


# --- Questions ---------------------------------------------------------------------------------


class QuestionStructValue(blocks.StructValue):
    """A question block's value, as the journey engine sees it."""

    @property
    def question_type(self):
        return self.block.question_type


class QuestionBlock(blocks.StructBlock):
    """What every question has: a stable id, a label, a hint and whether it must be answered.

    Subclasses set ``question_type`` (the slug stored in every answer row) and add their
    settings. The block renders the question as the public sees it (for previews).
    """

    question_type = ""

    question_id = stable_id_block(_("Question id"))
    label = blocks.CharBlock(
        label=_("Question"),
        max_length=250,
        help_text=_("What the public see, like ‘When did it happen?’"),
    )
    hint = blocks.TextBlock(
        label=_("Hint"),
        required=False,
        max_length=500,
        help_text=_("Help with answering, shown under the question in grey."),
    )
    error_label = blocks.CharBlock(
        label=_("Name in error messages"),
        required=False,
        max_length=120,
        help_text=_(
            "How error messages name this answer, like ‘the date of the incident’ (giving "
            "‘Enter the date of the incident’). Leave blank for general messages."
        ),
    )
    required = blocks.BooleanBlock(
        label=_("The public must answer this"), required=False, default=True
    )

    class Meta:
        value_class = QuestionStructValue
        form_classname = "struct-block question-block"

    def get_context(self, value, parent_context=None):
        # Previews show the real public markup: a one-question form built from this block.
        from .journey import question_preview_context

        context = super().get_context(value, parent_context=parent_context)
        context.update(question_preview_context(self.question_type, value))
        return context

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        self.check_value(value, errors)
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def check_value(self, value, errors):
        """Cross-field checks: add ``{child name: ValidationError}`` to ``errors``."""
        if value.get("question_id") in RESERVED_IDS:
            errors["question_id"] = ValidationError(
                _("‘%(id)s’ is used by the form itself. Choose another id.")
                % {"id": value["question_id"]}
            )


class ShortTextQuestionBlock(QuestionBlock):
    question_type = "short_text"

    max_length = blocks.IntegerBlock(
        label=_("Most characters allowed"), default=200, min_value=1, max_value=500
    )
    autocomplete = blocks.ChoiceBlock(
        label=_("Browser autofill"),
        choices=AUTOCOMPLETE_CHOICES,
        required=False,
        default="",
        help_text=_(
            "Only when the answer is about the person reporting. Lets phones fill it in "
            "(and is required for accessibility)."
        ),
    )

    class Meta:
        template = "reporting/questions/short_text.html"
        icon = "edit"
        label = _("Short answer")
        description = _("A single line of text, like a name or a make of car.")
        preview_value = {
            "question_id": "make",
            "label": "Make of vehicle",
            "hint": "For example, Ford",
        }


class ContactShortTextQuestionBlock(ShortTextQuestionBlock):
    is_contact = blocks.BooleanBlock(
        label=_("This is the reporter's name"),
        required=False,
        help_text=_(
            "Reports show it as the person to contact, and the confirmation email uses it."
        ),
    )


class LongTextQuestionBlock(QuestionBlock):
    question_type = "long_text"

    max_characters = blocks.IntegerBlock(
        label=_("Most characters allowed"),
        default=1200,
        min_value=10,
        max_value=10000,
        help_text=_("The public see how many characters they have left."),
    )

    class Meta:
        template = "reporting/questions/long_text.html"
        icon = "pilcrow"
        label = _("Long answer")
        description = _(
            "Several lines of text with a character count, like a description of what happened."
        )
        preview_value = {
            "question_id": "what-happened",
            "label": "What happened?",
            "hint": "Describe the incident in your own words",
            "max_characters": 1200,
        }


class LocationQuestionBlock(QuestionBlock):
    question_type = "location"

    hint = blocks.TextBlock(
        label=_("Hint"),
        required=False,
        max_length=500,
        default=_(
            "Give the road name, the nearest junction or house number, and any landmarks, like "
            "a shop, pub or bus stop."
        ),
    )
    max_characters = blocks.IntegerBlock(
        label=_("Most characters allowed"), default=500, min_value=50, max_value=2000
    )

    class Meta:
        template = "reporting/questions/location.html"
        icon = "site"
        label = _("Location description")
        description = _("Where something happened, described in words (with landmarks).")
        preview_value = {"question_id": "where", "label": "Where did it happen?"}


class NumberQuestionBlock(QuestionBlock):
    question_type = "number"

    min_value = blocks.DecimalBlock(label=_("Smallest number allowed"), required=False)
    max_value = blocks.DecimalBlock(label=_("Largest number allowed"), required=False)
    whole_numbers = blocks.BooleanBlock(label=_("Whole numbers only"), required=False, default=True)
    prefix = blocks.CharBlock(
        label=_("Before the box"), required=False, max_length=5, help_text=_("Like £.")
    )
    suffix = blocks.CharBlock(
        label=_("After the box"), required=False, max_length=20, help_text=_("Like ‘people’.")
    )

    class Meta:
        template = "reporting/questions/number.html"
        icon = "decimal"
        label = _("Number")
        description = _("A number, like how many people were involved, with optional limits.")
        preview_value = {
            "question_id": "people-involved",
            "label": "How many people were involved?",
            "min_value": 1,
            "max_value": 50,
            "whole_numbers": True,
        }

    def check_value(self, value, errors):
        super().check_value(value, errors)
        low, high = value.get("min_value"), value.get("max_value")
        if low is not None and high is not None and low > high:
            errors["max_value"] = ValidationError(
                _("The largest number must be the same as or more than the smallest.")
            )
        if value.get("whole_numbers"):
            for name in ("min_value", "max_value"):
                if value.get(name) is not None and value[name] != int(value[name]):
                    errors[name] = ValidationError(
                        _("Use a whole number, or untick ‘Whole numbers only’.")
                    )


class DateQuestionBlock(QuestionBlock):
    question_type = "date"

    not_in_future = blocks.BooleanBlock(
        label=_("This is when something happened (it cannot be in the future)"),
        required=False,
        default=True,
    )
    max_years_ago = blocks.IntegerBlock(
        label=_("Not more than this many years ago"),
        required=False,
        min_value=1,
        max_value=120,
        help_text=_("Leave blank for no limit."),
    )

    class Meta:
        template = "reporting/questions/date.html"
        icon = "date"
        label = _("Date")
        description = _("A date as day, month and year, like when something happened.")
        preview_value = {
            "question_id": "incident-date",
            "label": "When did it happen?",
            "hint": "For example, 27 3 2026",
            "error_label": "the date of the incident",
            "not_in_future": True,
        }


class TimeQuestionBlock(QuestionBlock):
    question_type = "time"

    hint = blocks.TextBlock(
        label=_("Hint"),
        required=False,
        max_length=500,
        default=_("For example, 9:15am, 14:30 or midday"),
    )

    class Meta:
        template = "reporting/questions/time.html"
        icon = "time"
        label = _("Time")
        description = _("A time of day, typed the way people say it: 14:30, 2:30pm or midday.")
        preview_value = {"question_id": "incident-time", "label": "What time did it happen?"}


class YesNoQuestionBlock(QuestionBlock):
    question_type = "yes_no"

    error_label = blocks.CharBlock(
        label=_("What ‘yes’ means, for error messages"),
        required=False,
        max_length=120,
        help_text=_(
            "Like ‘anyone was injured’ (giving ‘Select yes if anyone was injured’). Leave blank "
            "for ‘Select yes or no’."
        ),
    )

    class Meta:
        template = "reporting/questions/yes_no.html"
        icon = "tick-inverse"
        label = _("Yes or no")
        description = _("A question with the answers yes and no, side by side.")
        preview_value = {
            "question_id": "injured",
            "label": "Was anyone injured?",
            "error_label": "anyone was injured",
        }


class RadiosQuestionBlock(QuestionBlock):
    question_type = "radios"

    options = options_block()

    class Meta:
        template = "reporting/questions/radios.html"
        icon = "radio-full"
        label = _("One of several options (radios)")
        description = _("Choose one from a short list. Best for up to about 10 options.")
        preview_value = {
            "question_id": "vehicle-type",
            "label": "What type of vehicle was it?",
            "options": [
                {"label": "Car", "value": "car"},
                {"label": "Van or lorry", "value": "van"},
                {"label": "Motorbike", "value": "motorbike"},
            ],
        }

    def check_value(self, value, errors):
        super().check_value(value, errors)
        check_options(value, errors)


class CheckboxesQuestionBlock(QuestionBlock):
    question_type = "checkboxes"

    options = options_block()
    none_option_label = blocks.CharBlock(
        label=_("‘None of these’ option"),
        required=False,
        max_length=120,
        help_text=_(
            "Like ‘None of these’: an extra option, after ‘or’, that cannot be ticked with the "
            "others. Its value is ‘none’. Leave blank for no such option."
        ),
    )

    class Meta:
        template = "reporting/questions/checkboxes.html"
        icon = "tasks"
        label = _("Several options (checkboxes)")
        description = _("Tick all that apply from a short list.")
        preview_value = {
            "question_id": "damage",
            "label": "What was damaged?",
            "hint": "Select all that apply",
            "options": [
                {"label": "A vehicle", "value": "vehicle"},
                {"label": "A building", "value": "building"},
                {"label": "Street furniture", "value": "street-furniture"},
            ],
        }

    def check_value(self, value, errors):
        super().check_value(value, errors)
        check_options(value, errors, reserved={NONE_OPTION_VALUE})


class SelectQuestionBlock(QuestionBlock):
    question_type = "select"

    options = options_block()

    class Meta:
        template = "reporting/questions/select.html"
        icon = "list-ol"
        label = _("One option from a drop-down list")
        description = _(
            "Choose one from a list. Use radios instead unless the list is long and familiar."
        )
        preview_value = {
            "question_id": "colour",
            "label": "What colour was the vehicle?",
            "options": [
                {"label": "Black", "value": "black"},
                {"label": "White", "value": "white"},
                {"label": "Silver", "value": "silver"},
            ],
        }

    def check_value(self, value, errors):
        super().check_value(value, errors)
        check_options(value, errors)


class EmailQuestionBlock(QuestionBlock):
    question_type = "email"

    class Meta:
        template = "reporting/questions/email.html"
        icon = "mail"
        label = _("Email address")
        description = _("An email address, checked for the right format.")
        preview_value = {"question_id": "email", "label": "Email address"}


class ContactEmailQuestionBlock(EmailQuestionBlock):
    is_contact = blocks.BooleanBlock(
        label=_("Send the reporter a confirmation to this address"),
        required=False,
        default=True,
        help_text=_(
            "Untick when the address is someone else's, like a witness's. Ticked, browsers may "
            "fill it in."
        ),
    )


class PhoneQuestionBlock(QuestionBlock):
    question_type = "phone"

    class Meta:
        template = "reporting/questions/phone.html"
        icon = "mobile-alt"
        label = _("Telephone number")
        description = _("A UK or international telephone number, checked and stored in one format.")
        preview_value = {
            "question_id": "phone",
            "label": "Telephone number",
            "hint": "For international numbers include the country code",
        }


class ContactPhoneQuestionBlock(PhoneQuestionBlock):
    is_contact = blocks.BooleanBlock(
        label=_("This is the reporter's number"),
        required=False,
        default=True,
        help_text=_("Reports show it as the number to call. Ticked, browsers may fill it in."),
    )


class PostcodeQuestionBlock(QuestionBlock):
    question_type = "postcode"

    class Meta:
        template = "reporting/questions/postcode.html"
        icon = "home"
        label = _("UK postcode")
        description = _("A UK postcode, checked and written the standard way (RG1 1AA).")
        preview_value = {"question_id": "postcode", "label": "Postcode"}


class ContactPostcodeQuestionBlock(PostcodeQuestionBlock):
    is_reporter_address = blocks.BooleanBlock(
        label=_("This is the reporter's own postcode"),
        required=False,
        help_text=_("Lets browsers fill it in. Leave unticked for where something happened."),
    )


class RegistrationQuestionBlock(QuestionBlock):
    question_type = "registration"

    class Meta:
        template = "reporting/questions/registration.html"
        icon = "form"
        label = _("Vehicle registration")
        description = _("A UK number plate in any format, written the standard way (AB12 CDE).")
        preview_value = {"question_id": "registration", "label": "Registration number"}


class EvidenceQuestionBlock(QuestionBlock):
    question_type = "evidence"

    accepted_kinds = blocks.MultipleChoiceBlock(
        label=_("Files accepted"),
        choices=[
            ("images", _("Photos (JPG, PNG, HEIC)")),
            ("video", _("Videos (MP4, MOV)")),
            ("documents", _("Documents (PDF)")),
        ],
        default=list(EVIDENCE_KINDS),
        widget=forms.CheckboxSelectMultiple,
    )
    max_files = blocks.IntegerBlock(
        label=_("Most files allowed"),
        default=5,
        min_value=1,
        max_value=20,
        help_text=_("The platform's own limit applies too."),
    )

    class Meta:
        template = "reporting/questions/evidence.html"
        icon = "doc-full"
        label = _("Evidence upload")
        description = _(
            "Photos, videos or documents, several at a time, checked by content and size."
        )
        preview_value = {
            "question_id": "dashcam",
            "label": "Upload dashcam footage or photos",
            "required": False,
            "accepted_kinds": ["images", "video"],
            "max_files": 5,
        }

    def check_value(self, value, errors):
        super().check_value(value, errors)
        if not value.get("accepted_kinds"):
            errors["accepted_kinds"] = ValidationError(_("Choose at least one kind of file."))


class DeclarationQuestionBlock(QuestionBlock):
    question_type = "declaration"

    label = blocks.CharBlock(label=_("Heading"), max_length=250, default=_("Declaration"))
    text = blocks.RichTextBlock(
        label=_("Statement"),
        features=DECLARATION_FEATURES,
        help_text=_("What the reporter confirms, like a statement of truth."),
    )
    confirm_label = blocks.CharBlock(
        label=_("Checkbox label"),
        max_length=250,
        default=_("I confirm that the information I have given is true"),
    )

    class Meta:
        template = "reporting/questions/declaration.html"
        icon = "success"
        label = _("Declaration")
        description = _(
            "A statement the reporter must confirm with a checkbox, like a statement of truth."
        )
        preview_value = {
            "question_id": "declaration",
            "label": "Declaration",
            "text": "<p>Knowingly making a false report is an offence.</p>",
            "confirm_label": "I confirm that the information I have given is true",
        }


class GroupQuestionsBlock(blocks.StreamBlock):
    """The questions asked about each item of a repeating group: the simple types of
    ``QUESTION_TYPES``, in its order."""

    def __init__(self, local_blocks=None, **kwargs):
        types = [(kind.name, kind.group_block()) for kind in QUESTION_TYPES if kind.group_block]
        super().__init__([*types, *(local_blocks or ())], **kwargs)

    class Meta:
        min_num = 1
        label = _("Questions about each item")


class GroupQuestionBlock(QuestionBlock):
    """A repeating group: the same questions about each of several things (‘vehicle 1, 2…’)."""

    question_type = "group"

    question_id = stable_id_block(_("Group id"))
    label = blocks.CharBlock(
        label=_("Heading"),
        max_length=250,
        help_text=_("Like ‘Vehicles involved’ or ‘Witnesses’."),
    )
    required = None
    item_label = blocks.CharBlock(
        label=_("What each item is"),
        max_length=40,
        help_text=_("A lower-case noun, like ‘vehicle’: gives ‘Vehicle 1’, ‘Add another vehicle’."),
    )
    min_items = blocks.IntegerBlock(
        label=_("Fewest items"),
        default=1,
        min_value=0,
        max_value=20,
        help_text=_("0 makes the group optional."),
    )
    max_items = blocks.IntegerBlock(label=_("Most items"), default=5, min_value=1, max_value=20)
    # ``questions`` (the last field) is added when the block is made: it is built from
    # ``QUESTION_TYPES``, which lists this block too.

    def __init__(self, local_blocks=None, **kwargs):
        super().__init__([*(local_blocks or ()), ("questions", GroupQuestionsBlock())], **kwargs)

    class Meta:
        template = "reporting/questions/group.html"
        icon = "group"
        label = _("Repeating group")
        description = _(
            "The same questions about each of several things, like vehicles or witnesses."
        )
        preview_value = {
            "question_id": "vehicles",
            "label": "Vehicles involved",
            "item_label": "vehicle",
            "min_items": 1,
            "max_items": 5,
            "questions": [
                {
                    "type": "registration",
                    "value": {"question_id": "registration", "label": "Registration number"},
                },
                {"type": "short_text", "value": {"question_id": "make", "label": "Make"}},
            ],
        }

    def check_value(self, value, errors):
        super().check_value(value, errors)
        if (value.get("min_items") or 0) > (value.get("max_items") or 0):
            errors["max_items"] = ValidationError(
                _("The most items must be the same as or more than the fewest.")
            )
        seen = set()
        sub_errors = {}
        for index, child in enumerate(value.get("questions") or []):
            sub_id = child.value["question_id"]
            if sub_id in seen:
                sub_errors[index] = StructBlockValidationError(
                    block_errors={
                        "question_id": ValidationError(
                            _("Another question in this group has the id ‘%(id)s’.")
                            % {"id": sub_id}
                        )
                    }
                )
            seen.add(sub_id)
        if sub_errors:
            errors["questions"] = StreamBlockValidationError(block_errors=sub_errors)


# --- The question types ------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionType:
    """One kind of question: the block an editor fills in on a step, and the block for it
    inside a repeating group (``None``: it cannot be asked there). Its name (the StreamField
    block's name, and the ``type`` of every answer row) is the block's ``question_type``; the
    reporter's side is the ``reporting.questions.Question`` of that ``type``."""

    block: type
    group_block: type | None = None

    @property
    def name(self):
        return self.block.question_type


# Every question type, once, in the order editors are offered them. A new type is a block here,
# a ``Question`` in ``reporting.questions`` with the same ``type``, and a line in this list. (The
# names and order are the StreamField's: changing them is a data migration.)
QUESTION_TYPES = (
    QuestionType(ContactShortTextQuestionBlock, ShortTextQuestionBlock),
    QuestionType(LongTextQuestionBlock, LongTextQuestionBlock),
    QuestionType(NumberQuestionBlock, NumberQuestionBlock),
    QuestionType(DateQuestionBlock, DateQuestionBlock),
    QuestionType(TimeQuestionBlock, TimeQuestionBlock),
    QuestionType(YesNoQuestionBlock, YesNoQuestionBlock),
    QuestionType(RadiosQuestionBlock, RadiosQuestionBlock),
    QuestionType(CheckboxesQuestionBlock, CheckboxesQuestionBlock),
    QuestionType(SelectQuestionBlock, SelectQuestionBlock),
    QuestionType(ContactEmailQuestionBlock, EmailQuestionBlock),
    QuestionType(ContactPhoneQuestionBlock, PhoneQuestionBlock),
    QuestionType(ContactPostcodeQuestionBlock, PostcodeQuestionBlock),
    QuestionType(RegistrationQuestionBlock, RegistrationQuestionBlock),
    QuestionType(LocationQuestionBlock, LocationQuestionBlock),
    QuestionType(EvidenceQuestionBlock),
    QuestionType(DeclarationQuestionBlock),
    QuestionType(GroupQuestionBlock),
)


class QuestionsBlock(blocks.StreamBlock):
    """Every kind of question a step can ask: ``QUESTION_TYPES``, in its order."""

    def __init__(self, local_blocks=None, **kwargs):
        types = [(kind.name, kind.block()) for kind in QUESTION_TYPES]
        super().__init__([*types, *(local_blocks or ())], **kwargs)

    class Meta:
        min_num = 1
        label = _("Questions")
        help_text = _(
            "One question per step is usually best. Related questions (like name and email) "
            "can share a step."
        )


# --- Conditions --------------------------------------------------------------------------------


class RuleStructValue(blocks.StructValue):
    def value_list(self):
        """The values compared: one for ‘is’, several for ‘is one of’, none otherwise."""
        operator = self.get("operator")
        if operator == EQUALS:
            text = str(self.get("values") or "").strip()
            return [text] if text else []
        if operator == ONE_OF:
            return split_values(self.get("values"))
        return []


class RuleBlock(blocks.StructBlock):
    question_id = blocks.RegexBlock(
        regex=ID_PATTERN,
        max_length=ID_MAX_LENGTH,
        label=_("Question id"),
        help_text=_("The id of a question in an earlier step."),
        error_messages={"invalid": _("Enter a question id, like ‘injured’.")},
    )
    operator = blocks.ChoiceBlock(label=_("Test"), choices=OPERATOR_CHOICES, default=EQUALS)
    values = blocks.TextBlock(
        label=_("Value"),
        required=False,
        help_text=_(
            "For ‘is’, one value; for ‘is one of’, several, separated by commas or on separate "
            "lines. For options, use the option's value, not its label."
        ),
    )

    class Meta:
        icon = "cog"
        label = _("Rule")
        value_class = RuleStructValue

    def clean(self, value):
        value = super().clean(value)
        if self.is_deferred_validation:  # a draft may be saved half-written
            return value
        operator = value.get("operator")
        if operator == EQUALS and not value.value_list():
            raise StructBlockValidationError(
                block_errors={"values": ValidationError(_("Enter the value to compare with."))}
            )
        if operator == ONE_OF and not value.value_list():
            raise StructBlockValidationError(
                block_errors={
                    "values": ValidationError(_("Enter the values to compare with, one a line."))
                }
            )
        return value


class ConditionBlock(blocks.StructBlock):
    """When a step applies: rules on earlier answers, all or any of which must hold.

    No rules means always. A rule on a question that was never asked (it was on a step the
    reporter skipped) is false, except ‘is not answered’, which is true.
    """

    match = blocks.ChoiceBlock(
        label=_("Show this step when"),
        choices=[("all", _("all the rules are true")), ("any", _("any rule is true"))],
        default="all",
    )
    rules = blocks.ListBlock(
        RuleBlock(),
        label=_("Rules"),
        default=[],
        help_text=_("Leave empty to always show this step."),
    )

    class Meta:
        icon = "help"
        label = _("Condition")
        form_classname = "struct-block condition-block"


# --- Steps -------------------------------------------------------------------------------------


def step_id_block():
    return stable_id_block(
        _("Step id"),
        help_text=_(
            "A short id, like ‘when’: lower-case letters, numbers and hyphens. Never change it "
            "once published."
        ),
    )


class QuestionStepBlock(blocks.StructBlock):
    step_id = step_id_block()
    title = blocks.CharBlock(
        label=_("Title"),
        max_length=200,
        help_text=_(
            "The page title. When the step asks one question, the question itself is the "
            "heading; this names the page in the browser tab."
        ),
    )
    intro = blocks.RichTextBlock(
        label=_("Introduction"),
        features=INTRO_FEATURES,
        required=False,
        help_text=_("Shown before the questions. With an introduction, the title is the heading."),
    )
    questions = QuestionsBlock()
    condition = ConditionBlock(
        label=_("Only ask this step when"),
        help_text=_("Leave the rules empty to always ask it."),
    )

    class Meta:
        icon = "form"
        label = _("Question step")
        template = "reporting/questions/_step_block.html"
        description = _("A page of the journey with one or more questions.")
        preview_value = {
            "step_id": "when",
            "title": "When did it happen?",
            "questions": [
                {
                    "type": "date",
                    "value": {"question_id": "incident-date", "label": "When did it happen?"},
                }
            ],
        }


class ExitStepBlock(blocks.StructBlock):
    step_id = step_id_block()
    title = blocks.CharBlock(
        label=_("Heading"), max_length=200, help_text=_("Like ‘Call 999 now’.")
    )
    body = blocks.RichTextBlock(
        label=_("Guidance"),
        features=INTRO_FEATURES,
        help_text=_("What to do instead of reporting online."),
    )
    call_to_action_label = blocks.CharBlock(
        label=_("Button text"), required=False, max_length=80, help_text=_("Optional.")
    )
    call_to_action_url = blocks.URLBlock(label=_("Button link"), required=False)
    condition = ConditionBlock(
        label=_("End the journey here when"),
        help_text=_("Leave the rules empty to always end here."),
    )

    class Meta:
        icon = "warning"
        label = _("Exit step")
        template = "reporting/questions/_exit_block.html"
        description = _("Ends the journey with guidance instead of a report, like ‘Call 999 now’.")
        preview_value = {
            "step_id": "emergency",
            "title": "Call 999 now",
            "body": "<p>If anyone is in danger or a crime is happening now, call 999.</p>",
        }

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("call_to_action_label")) != bool(value.get("call_to_action_url")):
            missing = "call_to_action_label" if value.get("call_to_action_url") else None
            name = missing or "call_to_action_url"
            raise StructBlockValidationError(
                block_errors={name: ValidationError(_("A button needs both its text and a link."))}
            )
        return value


class JourneyStepsBlock(blocks.StreamBlock):
    """The steps of a journey, in order: question steps and exit steps."""

    step = QuestionStepBlock()
    exit_step = ExitStepBlock()

    class Meta:
        label = _("Steps")
        help_text = _(
            "The journey asks each step in turn, skipping steps whose condition is not met, and "
            "ends at the first exit step that applies."
        )

    def clean(self, value):
        value = super().clean(value)
        error = check_journey(value, require_questions=not self.is_deferred_validation)
        if error:
            raise error
        return value


# --- Checking a journey as a whole -------------------------------------------------------------

# The containers met going down from a step to a field, for each kind of error path:
# a question's own field, a group member's field, and a condition rule's field.
_STEP_CHILD_KINDS = {
    "questions": ("stream", "struct", "stream", "struct"),
    "condition": ("struct", "list", "struct"),
}


class JourneyErrors:
    """Errors found in a journey, each at a path from the step down to the field at fault.

    A path alternates stream or list indexes and struct child names, e.g.
    ``(2, "questions", 0, "question_id")`` or ``(3, "condition", "rules", 1, "values")``.
    ``error()`` nests them into Wagtail's block errors so each shows on its own field.
    """

    def __init__(self):
        self.tree = {}
        self.non_block = []

    def add(self, path, message):
        node = self.tree
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node.setdefault(path[-1], []).append(message)

    def __bool__(self):
        return bool(self.tree or self.non_block)

    @classmethod
    def _nest(cls, node, kinds):
        if isinstance(node, list):
            return ValidationError(node)
        kind, rest = kinds[0], kinds[1:]
        children = {key: cls._nest(child, rest) for key, child in node.items()}
        if kind == "stream":
            return StreamBlockValidationError(block_errors=children)
        if kind == "list":
            return ListBlockValidationError(block_errors=children)
        return StructBlockValidationError(block_errors=children)

    def error(self):
        steps = {}
        for index, step_node in self.tree.items():
            step_errors = {}
            for name, child in step_node.items():
                if name in _STEP_CHILD_KINDS:
                    step_errors[name] = self._nest(child, _STEP_CHILD_KINDS[name])
                else:
                    step_errors[name] = ValidationError(child)
            steps[index] = StructBlockValidationError(block_errors=step_errors)
        return StreamBlockValidationError(block_errors=steps, non_block_errors=self.non_block)


def check_journey(value, require_questions=True):
    """Check a journey's steps as a whole: a ``StreamBlockValidationError``, or None if sound.

    Step ids, and question ids across the whole journey (group questions included), must be
    unique; a condition may only test a question asked in an earlier step, with values that
    question can have; and (unless ``require_questions`` is false, as for drafts) the journey
    needs at least one question step.
    """
    errors = JourneyErrors()
    questions = _collect_ids(value, errors)
    for step_index, child in enumerate(value):
        _check_condition(child.value.get("condition"), step_index, questions, errors)
    _check_group_prefixes(questions, errors)
    if require_questions and not any(child.block_type == "step" for child in value):
        errors.non_block.append(
            ValidationError(
                _("Add at least one question step. A journey of only exit steps makes no report.")
            )
        )
    return errors.error() if errors else None


def _collect_ids(value, errors):
    """Every question id → (step index, question value, type); duplicates reported."""
    step_ids = {}
    questions = {}

    def claim(question_id, path, step_index, question_value, question_type):
        if not question_id:  # blank: reported as required (or allowed in a draft)
            return
        if question_id in questions:
            errors.add(
                path,
                _(
                    "A question in step %(number)s already has the id ‘%(id)s’. Every question "
                    "in the journey needs its own id, including questions in groups."
                )
                % {"number": questions[question_id][0] + 1, "id": question_id},
            )
        else:
            questions[question_id] = (step_index, question_value, question_type)

    for step_index, child in enumerate(value):
        step_id = child.value.get("step_id")
        if step_id and step_id in step_ids:
            errors.add(
                (step_index, "step_id"),
                _("Step %(number)s already has the id ‘%(id)s’. Each step needs its own id.")
                % {"number": step_ids[step_id] + 1, "id": step_id},
            )
        else:
            step_ids[step_id] = step_index
        if child.block_type != "step":
            continue
        for question_index, question in enumerate(child.value.get("questions") or []):
            path = (step_index, "questions", question_index)
            claim(
                question.value.get("question_id"),
                (*path, "question_id"),
                step_index,
                question.value,
                question.block_type,
            )
            if question.block_type != "group":
                continue
            for sub_index, sub in enumerate(question.value.get("questions") or []):
                claim(
                    sub.value.get("question_id"),
                    (*path, "questions", sub_index, "question_id"),
                    step_index,
                    sub.value,
                    "group-member",
                )
    return questions


def _check_group_prefixes(questions, errors):
    # A group's fields are named "<group id>-<n>-<question id>"; an id starting "<group id>-"
    # could collide with them.
    groups = [qid for qid, (_step, _value, kind) in questions.items() if kind == "group"]
    for group_id in groups:
        for question_id in questions:
            if question_id.startswith(f"{group_id}-"):
                errors.non_block.append(
                    ValidationError(
                        _(
                            "The question id ‘%(id)s’ starts with the group id ‘%(group)s’ and a "
                            "hyphen, which the form needs for the group. Choose another id."
                        )
                        % {"id": question_id, "group": group_id}
                    )
                )


def _check_condition(condition, step_index, questions, errors):
    for rule_index, rule in enumerate((condition or {}).get("rules") or []):
        path = (step_index, "condition", "rules", rule_index)
        question_id = rule.get("question_id")
        if not question_id:
            continue
        if question_id not in questions:
            errors.add(
                (*path, "question_id"),
                _(
                    "No question in this journey has the id ‘%(id)s’. Check the ids of the "
                    "questions in earlier steps."
                )
                % {"id": question_id},
            )
            continue
        asked_in, question, question_type = questions[question_id]
        if asked_in >= step_index:
            message = (
                _(
                    "‘%(id)s’ is asked in this step, so its answer is not known when the "
                    "condition is tested. Use a question from an earlier step."
                )
                if asked_in == step_index
                else _(
                    "‘%(id)s’ is asked later, in step %(number)s. A condition can only use "
                    "answers given before its step."
                )
            )
            errors.add(
                (*path, "question_id"), message % {"id": question_id, "number": asked_in + 1}
            )
            continue
        if question_type == "group-member":
            errors.add(
                (*path, "question_id"),
                _(
                    "‘%(id)s’ is asked about each item of a repeating group, so a condition "
                    "cannot use it. Test the group's own id with ‘is answered’ instead."
                )
                % {"id": question_id},
            )
            continue
        _check_rule_values(rule, question, question_type, path, errors)


def _check_rule_values(rule, question, question_type, path, errors):
    operator = rule.get("operator")
    if operator in (IS_YES, IS_NO):
        if question_type != "yes_no":
            errors.add(
                (*path, "operator"),
                _("‘is yes’ and ‘is no’ only work with yes or no questions. Use ‘is’ instead."),
            )
        return
    if operator not in (EQUALS, ONE_OF):
        return
    if question_type in UNCOMPARABLE_TYPES:
        errors.add(
            (*path, "operator"),
            _("This question can only be tested with ‘is answered’ or ‘is not answered’."),
        )
        return
    if question_type == "yes_no":
        allowed = {"yes", "no"}
    elif question_type in CHOICE_TYPES:
        allowed = {option["value"] for option in question.get("options") or []}
        if question_type == "checkboxes" and question.get("none_option_label"):
            allowed.add(NONE_OPTION_VALUE)
    else:
        return
    wrong = [value for value in rule.value_list() if value not in allowed]
    if wrong:
        errors.add(
            (*path, "values"),
            _("‘%(values)s’ is not a value of that question. Use the option values: %(allowed)s.")
            % {"values": ", ".join(wrong), "allowed": ", ".join(sorted(allowed))},
        )
