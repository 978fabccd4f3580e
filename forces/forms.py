"""The force settings form: the force's own settings, and report delivery for platform admins.

The webhook secret is write-only: the form never shows it, only whether one is set. Left blank,
the current secret stays; "Remove the secret" clears it.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from .validators import WEBHOOK_SECRET_MIN_LENGTH, validate_webhook_secret

# Names of the secret's form fields (not secrets).
NEW_SECRET = "new_webhook_secret"  # noqa: S105
REMOVE_SECRET = "remove_webhook_secret"  # noqa: S105


class ForceSettingsForm(WagtailAdminModelForm):
    new_webhook_secret = forms.CharField(
        label=_("New webhook secret"),
        required=False,
        strip=False,
        validators=[validate_webhook_secret],
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    remove_webhook_secret = forms.BooleanField(
        label=_("Remove the secret"),
        required=False,
        help_text=_("Only once the force's back office no longer takes reports by webhook."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if NEW_SECRET in self.fields:
            if self.instance.has_webhook_secret:
                help_text = _("A secret is set. Leave this blank to keep it.")
            else:
                help_text = _("No secret is set. At least %(min)s characters.") % {
                    "min": WEBHOOK_SECRET_MIN_LENGTH
                }
            self.fields[NEW_SECRET].help_text = help_text

    def clean(self):
        cleaned_data = super().clean()
        if NEW_SECRET not in self.fields:  # not a platform admin: no delivery settings
            return cleaned_data
        new_secret = cleaned_data.get(NEW_SECRET)
        remove = cleaned_data.get(REMOVE_SECRET)
        if new_secret and remove:
            self.add_error(
                REMOVE_SECRET, _("Either enter a new secret or remove the secret, not both.")
            )
        will_have_secret = bool(new_secret) or (self.instance.has_webhook_secret and not remove)
        if (
            cleaned_data.get("webhook_url")
            and not will_have_secret
            and NEW_SECRET not in self.errors
        ):
            self.add_error(
                NEW_SECRET,
                _(
                    "A webhook needs a secret of at least %(min)s characters, to sign the "
                    "reports sent to it."
                )
                % {"min": WEBHOOK_SECRET_MIN_LENGTH},
            )
        return cleaned_data

    def save(self, commit=True):
        if NEW_SECRET in self.fields:
            if self.cleaned_data.get(REMOVE_SECRET):
                self.instance.set_webhook_secret("")
            elif self.cleaned_data.get(NEW_SECRET):
                self.instance.set_webhook_secret(self.cleaned_data[NEW_SECRET])
        return super().save(commit=commit)
