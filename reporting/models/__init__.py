from .audit import AccessAction, ReportAccessRecord, SpamCount
from .drafts import Draft
from .pages import ReportHubPage, ReportJourneyPage
from .saved import SavedDraftLink
from .submissions import (
    ITEM_CHANNELS,
    Delivery,
    DeliveryAttempt,
    DeliveryChannel,
    DeliveryStatus,
    Evidence,
    Submission,
)

__all__ = [
    "ITEM_CHANNELS",
    "AccessAction",
    "Delivery",
    "DeliveryAttempt",
    "DeliveryChannel",
    "DeliveryStatus",
    "Draft",
    "Evidence",
    "ReportAccessRecord",
    "ReportHubPage",
    "ReportJourneyPage",
    "SavedDraftLink",
    "SpamCount",
    "Submission",
]
