"""Who may manage promoted search results: national editors the national ones (shown on every
site), a force's editors, moderators and administrators that force's own; superusers all.

Granted by role, like the force settings, so no model permission needs handing out: whoever
holds the role through ``grant_role`` (or onboarding's groups) can promote.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from wagtail.permission_policies.base import BasePermissionPolicy

from forces.models import Force, RoleGroup
from forces.roles import FORCE_ADMIN, FORCE_EDITOR, FORCE_MODERATOR, NATIONAL_EDITOR

FORCE_PROMOTER_ROLES = (FORCE_EDITOR, FORCE_MODERATOR, FORCE_ADMIN)
ACTIONS = frozenset({"add", "change", "delete", "view"})


def user_roles(user):
    """The ``(role, force id)`` pairs ``user`` holds (force id ``None`` for national roles).

    One query, then kept on the user object for the request: the admin menu asks on every
    page, for the promotions screen and the search report.
    """
    roles = getattr(user, "_search_roles", None)
    if roles is None:
        roles = frozenset(
            RoleGroup.objects.filter(group__user=user).values_list("role", "force_id")
        )
        user._search_roles = roles
    return roles


def _promoter_roles(user):
    """``(national, force ids)``: whether ``user`` holds the national editor role, and the
    forces where they hold a promoting role."""
    roles = user_roles(user)
    national = (NATIONAL_EDITOR, None) in roles
    force_ids = frozenset(
        force_id for role, force_id in roles if role in FORCE_PROMOTER_ROLES and force_id
    )
    return national, force_ids


def promoting_forces(user):
    """The forces whose promotions ``user`` manages (every force for superusers)."""
    if user.is_superuser:
        return Force.objects.all()
    return Force.objects.filter(pk__in=_promoter_roles(user)[1])


def promotes_nationally(user):
    """Whether ``user`` manages the national promotions (those shown on every site)."""
    return user.is_superuser or _promoter_roles(user)[0]


class PromotedResultPermissionPolicy(BasePermissionPolicy):
    def _active(self, user):
        return user.is_active and user.is_authenticated

    def _scope(self, user):
        """A filter on promotions for those ``user`` manages."""
        if user.is_superuser:
            return Q()
        national, force_ids = _promoter_roles(user)
        scope = Q(force_id__in=force_ids)
        if national:
            scope |= Q(force__isnull=True)
        return scope

    def user_has_permission(self, user, action):
        if not self._active(user) or action not in ACTIONS:
            return False
        if user.is_superuser:
            return True
        national, force_ids = _promoter_roles(user)
        return national or bool(force_ids)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self._active(user) or action not in ACTIONS:
            return False
        if user.is_superuser:
            return True
        national, force_ids = _promoter_roles(user)
        return national if instance.force_id is None else instance.force_id in force_ids

    def instances_user_has_any_permission_for(self, user, actions):
        manager = self.model._default_manager
        if not self._active(user) or not ACTIONS.intersection(actions):
            return manager.none()
        return manager.filter(self._scope(user))

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if not ACTIONS.intersection(actions):
            return users.none()
        return users.filter(
            Q(is_superuser=True)
            | Q(groups__role__role=NATIONAL_EDITOR, groups__role__force__isnull=True)
            | Q(groups__role__role__in=FORCE_PROMOTER_ROLES)
        ).distinct()

    def users_with_any_permission_for_instance(self, actions, instance):
        users = get_user_model().objects.filter(is_active=True)
        if not ACTIONS.intersection(actions):
            return users.none()
        if instance.force_id is None:
            holders = Q(groups__role__role=NATIONAL_EDITOR, groups__role__force__isnull=True)
        else:
            holders = Q(
                groups__role__role__in=FORCE_PROMOTER_ROLES,
                groups__role__force_id=instance.force_id,
            )
        return users.filter(Q(is_superuser=True) | holders).distinct()
