"""Forms: a status update (from the back office's JSON or a handler in the admin), the "Track my
report" questions, the one-time code, and the information a reporter adds."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reporting.validators import normalise_email, normalise_phone

from .models import UpdateStatus

MESSAGE_MAX_LENGTH = 2000
OFFICER_REFERENCE_MAX_LENGTH = 64
FOLLOW_UP_MAX_LENGTH = 5000
CODE_LENGTH = 6


class UpdateForm(forms.Form):
    """The fields of a status update, as the API and the admin take them."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=UpdateStatus.choices,
        error_messages={
            "required": _("Give a status"),
            "invalid_choice": _(
                "Status must be one of: received, assigned, investigating, closed, "
                "needs-more-information"
            ),
        },
    )
    message_en = forms.CharField(
        label=_("Message to the reporter (English)"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown to the reporter on “Track my report”. Never emailed."),
        error_messages={"required": _("Give a message in English")},
    )
    message_cy = forms.CharField(
        label=_("Message to the reporter (Welsh)"),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. Shown instead of the English to someone who reported in Welsh."),
    )
    officer_reference = forms.CharField(
        label=_("Officer reference"),
        max_length=OFFICER_REFERENCE_MAX_LENGTH,
        required=False,
        help_text=_("Optional. Seen by the force's handlers only."),
    )

    API_FIELDS = ("status", "message_en", "message_cy", "officer_reference")

    @classmethod
    def clean_json(cls, payload):
        """``(cleaned data, None)`` for a valid JSON update, else ``(None, errors by field)``.

        The form's own fields and messages, without making a form (the API's hot path)."""
        if not isinstance(payload, dict):
            return None, {"__all__": ["The body must be a JSON object"]}
        unknown = sorted(set(payload) - set(cls.API_FIELDS))
        errors = {name: ["Unknown field"] for name in unknown}
        cleaned = {}
        for name in cls.API_FIELDS:
            value = payload.get(name)
            if value is not None and not isinstance(value, str):
                errors[name] = ["Must be a string"]
                continue
            try:
                cleaned[name] = cls.base_fields[name].clean(value or "")
            except ValidationError as error:
                errors[name] = [str(message) for message in error.messages]
        return (None, errors) if errors else (cleaned, None)


REFERENCE_RE = re.compile(r"^[A-Z0-9-]{4,32}$")


def normalise_reference(text):
    """A reference as typed ("tvp rti 7kx2mq", "TVP-RTI-7KX2MQ ") in its stored form, or None."""
    compact = re.sub(r"[\s.]+", "-", str(text or "").strip().upper()).replace("--", "-")
    return compact if REFERENCE_RE.match(compact) else None


class TrackForm(forms.Form):
    """The reference and the email address or phone number given in the report."""

    reference = forms.CharField(
        label=_("Reference number"),
        max_length=40,
        help_text=_("For example, TVP-RTI-7KX2MQ. It is in your confirmation email."),
        error_messages={"required": _("Enter your reference number")},
    )
    contact = forms.CharField(
        label=_("Email address or phone number"),
        max_length=254,
        help_text=_("The one you gave in your report. We will send a code to it."),
        error_messages={"required": _("Enter the email address or phone number you gave")},
    )

    def clean_reference(self):
        reference = normalise_reference(self.cleaned_data["reference"])
        if reference is None:
            raise ValidationError(
                _("Enter your reference number as it is written, like TVP-RTI-7KX2MQ")
            )
        return reference

    def clean_contact(self):
        text = self.cleaned_data["contact"].strip()
        if "@" in text:
            email = normalise_email(text)
            if email is None:
                raise ValidationError(
                    _("Enter an email address in the correct format, like name@example.com")
                )
            return ("email", email.lower())
        phone = normalise_phone(text)
        if phone is None:
            raise ValidationError(
                _("Enter an email address, or a phone number like 01632 960 001 or 07700 900 982")
            )
        return ("phone", phone)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The code is 6 digits."),
        error_messages={"required": _("Enter the code we sent you")},
    )

    def clean_code(self):
        code = re.sub(r"\s+", "", self.cleaned_data["code"])
        if not re.fullmatch(rf"[0-9]{{{CODE_LENGTH}}}", code):
            raise ValidationError(_("The code must be 6 digits"))
        return code


class FollowUpForm(forms.Form):
    text = forms.CharField(
        label=_("What do you want to add?"),
        max_length=FOLLOW_UP_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Enter the information you want to add"),
            "max_length": _("The information must be %(limit_value)s characters or fewer"),
        },
    )
    evidence = forms.FileField(
        label=_("Upload a file (optional)"),
        required=False,
        help_text=_("A photo, video or document, if you have one."),
    )

    def clean_evidence(self):
        from reporting.validators import check_evidence_file

        upload = self.cleaned_data.get("evidence")
        if not upload:
            return None
        content_type, _extension = check_evidence_file(upload)
        upload.content_type = content_type
        return upload
