"""Who sees which force's insight and feedback in the admin.

The national team (superusers and holders of a national role) sees every force; anyone holding
a force-scoped role sees their forces only. A force that is not the user's is "not found".
"""

from forces.models import Force, RoleGroup


def is_national_team(user):
    """Superusers and users holding a national role (national editor or approver)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return RoleGroup.objects.filter(force__isnull=True, group__user=user).exists()


def visible_forces(user):
    """The forces whose insight ``user`` may see (every force for the national team)."""
    if not user.is_authenticated:
        return Force.objects.none()
    if is_national_team(user):
        return Force.objects.all()
    return Force.objects.for_user(user)
