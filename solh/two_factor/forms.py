"""The one field of each two-factor page."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SetUpForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("The 6-digit code the app shows for this account."),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": ""}
        ),
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        help_text=_(
            "The 6-digit code from your authenticator app. If you do not have your phone, enter "
            "one of your recovery codes."
        ),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": ""}),
    )
