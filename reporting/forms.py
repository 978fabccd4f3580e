"""Forms of the journey's pages that are not question steps."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SaveForm(forms.Form):
    """The email address a "come back to your report" link is sent to."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
            "max_length": _("Email address must be 254 characters or fewer"),
        },
    )

    def error_summary(self):
        """``(href, message)`` for each error, linking to its field (GOV.UK's error summary)."""
        return [
            (f"#{name}", str(message))
            for name in self.fields
            for message in self.errors.get(name, [])
        ]
