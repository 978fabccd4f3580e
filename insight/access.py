"""Who sees which force's insight and feedback in the admin.

The national team (superusers and holders of a national role) sees every force; anyone holding
a force-scoped role sees their forces only. A force that is not the user's is "not found".
"""

from forces.models import Force, RoleGroup


def _role_forces(user):
    """The force ids of the roles ``user`` holds (``None`` for a national role), read once per
    user object: the admin asks several times a request (menu items, then the view)."""
    found = getattr(user, "_solh_role_forces", None)
    if found is None:
        found = set(RoleGroup.objects.filter(group__user=user).values_list("force_id", flat=True))
        user._solh_role_forces = found
    return found


def is_national_team(user):
    """Superusers and users holding a national role (national editor or approver)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return None in _role_forces(user)


def sees_any_force(user):
    """Whether ``user`` sees some force's insight or feedback (for the admin menu)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(_role_forces(user))


def visible_forces(user):
    """The forces whose insight ``user`` may see (every force for the national team)."""
    if not user.is_authenticated:
        return Force.objects.none()
    if is_national_team(user):
        return Force.objects.all()
    return Force.objects.for_user(user)
