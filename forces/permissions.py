"""Groups for the platform's roles, and keeping their Wagtail permissions exactly as defined."""

from functools import reduce
from operator import or_

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from wagtail.models import GroupCollectionPermission, GroupPagePermission

from .models import RoleGroup
from .roles import EXTRA_PERMISSIONS, ROLES


def _permissions(pairs):
    """The permissions named by ``(app label, codename)`` pairs, in their order, read with one
    query; raises ``DoesNotExist`` if one is missing, ``MultipleObjectsReturned`` if ambiguous."""
    pairs = list(pairs)
    if not pairs:
        return []
    wanted = reduce(
        or_, (Q(content_type__app_label=app, codename=codename) for app, codename in pairs)
    )
    found = {}
    for permission in Permission.objects.filter(wanted).select_related("content_type"):
        key = (permission.content_type.app_label, permission.codename)
        if key in found:
            raise Permission.MultipleObjectsReturned(f"More than one permission {key}.")
        found[key] = permission
    if missing := [pair for pair in pairs if pair not in found]:
        raise Permission.DoesNotExist(f"No permission {missing[0]}.")
    return [found[pair] for pair in pairs]


def _sync(existing_queryset, wanted_permissions, create):
    """Make ``existing_queryset`` hold exactly ``wanted_permissions``; return True if changed."""
    existing = {row.permission_id: row for row in existing_queryset}
    wanted = {permission.pk: permission for permission in wanted_permissions}
    stale = [row.pk for pk, row in existing.items() if pk not in wanted]
    missing = [permission for pk, permission in wanted.items() if pk not in existing]
    if stale:
        existing_queryset.model.objects.filter(pk__in=stale).delete()
    for permission in missing:
        create(permission)
    return bool(stale or missing)


def ensure_role_group(role_name, *, force=None, root_page, collection):
    """Create or update the group holding ``role_name`` (for ``force``, if force-scoped).

    Its page permissions apply to ``root_page`` and its subtree (and to its translations, with
    theirs), its media permissions to ``collection``. Returns ``(group, changed)``.
    """
    role = ROLES[role_name]
    name = f"{force.name}: {role.label}" if force else str(role.label)
    changed = False
    mapping = RoleGroup.objects.filter(role=role_name, force=force).select_related("group").first()
    if mapping is None:
        group, _created = Group.objects.get_or_create(name=name)
        RoleGroup.objects.create(group=group, role=role_name, force=force)
        changed = True
    else:
        group = mapping.group
        if group.name != name:
            group.name = name
            group.save(update_fields=["name"])
            changed = True

    wanted = _permissions([("wagtailadmin", "access_admin"), *role.extra_permissions])
    managed = _permissions(EXTRA_PERMISSIONS)
    held = set(group.permissions.filter(pk__in=[p.pk for p in wanted + managed]))
    if missing := [permission for permission in wanted if permission not in held]:
        group.permissions.add(*missing)
        changed = True
    if stale := [permission for permission in held if permission not in wanted]:
        group.permissions.remove(*stale)
        changed = True

    changed |= _sync_page_permissions(group, role, root_page)

    media_permissions = _permissions(role.media_codenames())
    changed |= _sync(
        GroupCollectionPermission.objects.filter(group=group),
        media_permissions if collection else [],
        lambda permission: GroupCollectionPermission.objects.create(
            group=group, collection=collection, permission=permission
        ),
    )
    if collection is not None:
        GroupCollectionPermission.objects.filter(group=group).exclude(
            collection=collection
        ).delete()
    return group, changed


def _sync_page_permissions(group, role, root_page):
    """Give ``group`` the role's page permissions at ``root_page`` and at each of its
    translations (a bilingual site's Welsh tree is a tree of its own), and no others."""
    roots = list(root_page.get_translations(inclusive=True)) if root_page is not None else []
    permissions = _permissions(("wagtailcore", codename) for codename in role.page_permissions)
    wanted = {(page.pk, permission.pk) for page in roots for permission in permissions}
    existing = {
        (row.page_id, row.permission_id): row.pk
        for row in GroupPagePermission.objects.filter(group=group)
    }
    stale = [pk for key, pk in existing.items() if key not in wanted]
    if stale:
        GroupPagePermission.objects.filter(pk__in=stale).delete()
    for page_id, permission_id in sorted(wanted - existing.keys()):
        GroupPagePermission.objects.create(
            group=group, page_id=page_id, permission_id=permission_id
        )
    return bool(stale) or bool(wanted - existing.keys())


def role_group(role_name, force=None):
    """The group that holds ``role_name`` (for ``force``), or ``None`` if not set up."""
    mapping = RoleGroup.objects.filter(role=role_name, force=force).select_related("group").first()
    return mapping.group if mapping else None
