"""Who must sign in with a second factor."""

from django.conf import settings

from django_otp import user_has_device

from forces.models import RoleGroup
from forces.roles import (
    FORCE_ADMIN,
    NATIONAL_APPROVER_FORCES,
    NATIONAL_APPROVER_MPS,
    REPORT_HANDLER,
)

# Roles that publish national content or can read victims' reports: never a password alone.
REQUIRED_ROLES = (NATIONAL_APPROVER_MPS, NATIONAL_APPROVER_FORCES, FORCE_ADMIN, REPORT_HANDLER)


def two_factor_required(user):
    """Whether ``user`` must set up and use a second factor to use the admin.

    Superusers and holders of ``REQUIRED_ROLES`` always; everyone else when
    ``TWO_FACTOR_REQUIRED_FOR_EDITORS`` is on.
    """
    if not user.is_authenticated:
        return False
    if user.is_superuser or settings.TWO_FACTOR_REQUIRED_FOR_EDITORS:
        return True
    return RoleGroup.objects.filter(group__user=user, role__in=REQUIRED_ROLES).exists()


def second_factor_expected(user):
    """Whether a session of ``user`` must give a code: it is required, or they set one up."""
    return two_factor_required(user) or user_has_device(user, confirmed=True)
