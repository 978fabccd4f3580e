"""The admin form for a promoted search result, limited to what its editor may promote."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from forces.national.syndication import is_national

from .permissions import promotes_nationally, promoting_forces


class PromotedResultForm(WagtailAdminModelForm):
    """Offers only the user's own forces (and "every site" to national editors); the page must
    be one the chosen site shows: a national page, or one of that force's own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        field = self.fields["force"]
        field.queryset = promoting_forces(user).order_by("name") if user else field.queryset.none()
        field.empty_label = _("Every site (national)")
        self.national_allowed = user is not None and promotes_nationally(user)
        if not self.national_allowed:
            field.required = True
            field.empty_label = None if field.queryset.count() == 1 else "---------"

    def clean_force(self):
        force = self.cleaned_data.get("force")
        if force is None and not self.national_allowed:
            raise forms.ValidationError(_("Choose your force."), code="required")
        return force

    def clean(self):
        cleaned_data = super().clean()
        page = cleaned_data.get("page")
        url = cleaned_data.get("external_link_url")
        if page is None and not url and "external_link_url" not in self.errors:
            raise forms.ValidationError(_("Choose a page or enter an external link."))
        if page is not None and url:
            raise forms.ValidationError(_("Choose a page or enter an external link, not both."))
        if url and not cleaned_data.get("external_link_text"):
            self.add_error("external_link_text", _("Enter the text of the link."))
        if page is not None and "force" in cleaned_data:
            force = cleaned_data["force"]
            on_site = force is not None and page.path.startswith(force.site.root_page.path)
            if not (on_site or is_national(page)):
                self.add_error(
                    "page",
                    _("Choose a national page or a page of this force's own site.")
                    if force is not None
                    else _("A national promotion can only recommend a national page."),
                )
        return cleaned_data
