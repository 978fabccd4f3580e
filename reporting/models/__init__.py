from .audit import AccessAction, ReportAccessRecord, SpamCount
from .drafts import Draft
from .pages import ReportHubPage, ReportJourneyPage
from .saved import SavedDraftLink
from .submissions import (
    Delivery,
    DeliveryAttempt,
    DeliveryChannel,
    DeliveryStatus,
    Evidence,
    ITEM_CHANNELS,
    Submission,
)

__all__ = [
    "AccessAction",
    "Delivery",
    "DeliveryAttempt",
    "DeliveryChannel",
    "DeliveryStatus",
    "Draft",
    "Evidence",
    "ITEM_CHANNELS",
    "ReportAccessRecord",
    "ReportHubPage",
    "ReportJourneyPage",
    "SavedDraftLink",
    "SpamCount",
    "Submission",
]
