"""The blocks of a neighbourhood page: its officers, its priorities and its meetings."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock


class OfficerBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"), max_length=120)
    role = blocks.CharBlock(
        label=_("Role"),
        max_length=120,
        help_text=_("Like ‘Police Constable’, ‘PCSO’ or ‘Neighbourhood Sergeant’."),
    )
    photo = ImageChooserBlock(
        label=_("Photo"),
        required=False,
        help_text=_("A head-and-shoulders photo, with the officer's agreement. Optional."),
    )

    class Meta:
        icon = "user"
        template = "neighbourhoods/blocks/officer.html"
        description = _("A member of the neighbourhood team and their role.")
        preview_value = {"name": "Sam Okafor", "role": _("Police Constable")}


class PriorityBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Priority"), max_length=160)
    description = blocks.TextBlock(
        label=_("What we are doing about it"), required=False, max_length=1000
    )
    set_on = blocks.DateBlock(label=_("Set on"))
    review_on = blocks.DateBlock(label=_("To be reviewed on"), required=False)

    class Meta:
        icon = "flag"
        template = "neighbourhoods/blocks/priority.html"
        description = _("An issue the team has agreed with the community to tackle.")
        preview_value = {
            "title": _("Antisocial behaviour in the town centre"),
            "set_on": datetime.date(2026, 1, 12),
        }

    def clean(self, value):
        value = super().clean(value)
        if value.get("review_on") and value["review_on"] < value["set_on"]:
            raise StructBlockValidationError(
                block_errors={"review_on": [_("The review date must be after the date set.")]}
            )
        return value


class MeetingStructValue(blocks.StructValue):
    def is_upcoming(self):
        return self.get("date") is not None and self.get("date") >= timezone.localdate()


class MeetingBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Meeting"), max_length=160)
    date = blocks.DateBlock(label=_("Date"))
    start_time = blocks.TimeBlock(label=_("Starts at"))
    end_time = blocks.TimeBlock(label=_("Ends at"), required=False)
    place = blocks.CharBlock(label=_("Place"), max_length=160)
    address = blocks.TextBlock(label=_("Address"), required=False, max_length=500)

    class Meta:
        icon = "date"
        template = "neighbourhoods/blocks/meeting.html"
        value_class = MeetingStructValue
        description = _("A community meeting or street surgery where people can meet the team.")
        preview_value = {
            "title": _("Community meeting"),
            "date": datetime.date(2026, 2, 3),
            "start_time": datetime.time(18, 30),
            "place": "Oxford Road Community Centre",
        }

    def clean(self, value):
        value = super().clean(value)
        if value.get("end_time") and value["end_time"] <= value["start_time"]:
            raise StructBlockValidationError(
                block_errors={"end_time": [_("The meeting must end after it starts.")]}
            )
        return value


class OfficersStreamBlock(blocks.StreamBlock):
    officer = OfficerBlock()


class PrioritiesStreamBlock(blocks.StreamBlock):
    priority = PriorityBlock()


class MeetingsStreamBlock(blocks.StreamBlock):
    meeting = MeetingBlock()
