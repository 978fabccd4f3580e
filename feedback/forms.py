"""Forms of the feedback pages. Every message is a GOV.UK-style error in plain words."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Rating

COMMENT_MAX = 1200


def error_summary(form):
    """``(href, message)`` for each error, linking to its field."""
    summary = []
    for name in form.fields:
        first = f"{name}-1" if name == "rating" else name
        summary.extend((f"#{first}", str(message)) for message in form.errors.get(name, []))
    return summary


class UsefulForm(forms.Form):
    """The "Is this page useful?" buttons."""

    page = forms.IntegerField()
    useful = forms.ChoiceField(choices=[("yes", "yes"), ("no", "no")])


class ProblemForm(forms.Form):
    """What was wrong with a page ("Report a problem with this page")."""

    page = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("What went wrong?"),
        max_length=COMMENT_MAX,
        error_messages={
            "required": _("Enter what went wrong"),
            "max_length": _("What went wrong must be %(limit_value)s characters or fewer"),
        },
    )


class SatisfactionForm(forms.Form):
    """The satisfaction question on a report's confirmation page."""

    journey = forms.IntegerField(widget=forms.HiddenInput)
    rating = forms.TypedChoiceField(
        label=_("Overall, how did you feel about reporting online?"),
        choices=Rating.choices,
        coerce=int,
        error_messages={
            "required": _("Select how you felt about reporting online"),
            "invalid_choice": _("Select how you felt about reporting online"),
        },
    )
    comment = forms.CharField(
        label=_("How could we improve this service? (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        error_messages={
            "max_length": _("Your answer must be %(limit_value)s characters or fewer"),
        },
    )


class SiteFeedbackForm(forms.Form):
    """General feedback on a site (the phase banner's link)."""

    comment = forms.CharField(
        label=_("What do you think of this website?"),
        max_length=COMMENT_MAX,
        error_messages={
            "required": _("Enter your feedback"),
            "max_length": _("Your feedback must be %(limit_value)s characters or fewer"),
        },
    )
