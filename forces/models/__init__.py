"""Models of the forces app: forces and roles, national governance, and syndication."""

from .force import Country, Force, ForceQuerySet, RoleGroup
from .governance import NationalApproval, NationalApprovalTask, NationalApprovalTaskState
from .syndication import LocalisedPage

__all__ = [
    "Country",
    "Force",
    "ForceQuerySet",
    "LocalisedPage",
    "NationalApproval",
    "NationalApprovalTask",
    "NationalApprovalTaskState",
    "RoleGroup",
]
