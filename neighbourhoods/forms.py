"""The neighbourhood page's editor form: postcode areas checked, normalised and unclaimed."""

from django import forms
from django.utils.translation import gettext as _

from wagtail.admin.forms import WagtailAdminPageForm

from .postcodes import parse_areas


class NeighbourhoodPageForm(WagtailAdminPageForm):
    def clean_postcode_areas(self):
        from .areas import claimed_elsewhere, force_of

        areas = parse_areas(self.cleaned_data.get("postcode_areas", ""))
        if not areas:
            raise forms.ValidationError(
                _("Enter the postcode sectors or districts this team covers, like RG1 1, RG1 2.")
            )
        force = force_of(self.parent_page)
        if force is not None:
            taken = claimed_elsewhere(force, areas, self.instance)
            if taken:
                raise forms.ValidationError(
                    [
                        _("%(area)s is already covered by %(neighbourhood)s.")
                        % {"area": area, "neighbourhood": page.title}
                        for area, page in taken
                    ]
                )
        return ", ".join(areas)
