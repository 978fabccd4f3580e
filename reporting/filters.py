"""Filters for the report handlers' admin: the reports listing (and its CSV export) and the
access records. Every choice offered comes from the user's own forces, so a filter can never
name, or hint at, another force's reports."""

from django import forms
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

import django_filters

from forces.models import Force

from .models import AccessAction, DeliveryStatus, ReportAccessRecord, Submission


def handled_forces(request):
    """The forces whose reports the requesting user handles, by name; looked up once a request."""
    if not hasattr(request, "_handled_forces"):
        request._handled_forces = list(Force.objects.handled_by(request.user).order_by("name"))
    return request._handled_forces


class ForceFilter(django_filters.ChoiceFilter):
    """One of the user's forces, by slug (filtered on the id: no join)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Force"))
        kwargs.setdefault("empty_label", _("All"))
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        force_id = next(force.pk for force in self.parent.forces if force.slug == value)
        return queryset.filter(force_id=force_id)


class ForceScopedFilterSet(WagtailFilterSet):
    """Offers the force filter only to someone who handles more than one force."""

    force = ForceFilter()

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.forces = handled_forces(request)
        if len(self.forces) > 1:
            self.filters["force"].extra["choices"] = [
                (force.slug, force.name) for force in self.forces
            ]
        else:
            del self.filters["force"]


class ReportFilterSet(ForceScopedFilterSet):
    journey = django_filters.ChoiceFilter(
        label=_("Journey"), field_name="journey_slug", empty_label=_("All")
    )
    submitted = django_filters.DateFromToRangeFilter(
        label=_("Submitted"), field_name="submitted_at", widget=DateRangePickerWidget
    )
    delivery_status = django_filters.ChoiceFilter(
        label=_("Delivery"),
        choices=DeliveryStatus.choices,
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )

    class Meta:
        model = Submission
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        # The journeys the user's forces have had reports on (a journey's title may have
        # changed between revisions: one entry per journey, under its latest title).
        journeys = (
            Submission.objects.for_user(request.user)
            .order_by()
            .values_list("journey_slug")
            .annotate(title=Max("journey_title"))
            .order_by("title")
        )
        self.filters["journey"].extra["choices"] = list(journeys)


class AccessRecordFilterSet(ForceScopedFilterSet):
    reference = django_filters.CharFilter(
        label=_("Reference"), method="filter_reference", help_text=_("For example TVP-RTI-7KX2MQ")
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=AccessAction.choices, empty_label=_("All")
    )

    class Meta:
        model = ReportAccessRecord
        fields = []

    def filter_reference(self, queryset, name, value):
        # References are printed in capitals; people type them in any case, with stray spaces.
        return queryset.filter(reference=value.strip().upper())
