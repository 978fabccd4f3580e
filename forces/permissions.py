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


def _role_permissions(role):
    """``(model-level, managed model-level, page, media)`` permissions of ``role``, read with
    one query."""
    model_level = [("wagtailadmin", "access_admin"), *role.extra_permissions]
    page = [("wagtailcore", codename) for codename in role.page_permissions]
    media = role.media_codenames()
    parts = [model_level, list(EXTRA_PERMISSIONS), page, media]
    found = dict(zip(_unique(parts), _permissions(_unique(parts)), strict=True))
    return [[found[pair] for pair in part] for part in parts]


def _unique(parts):
    return list(dict.fromkeys(pair for part in parts for pair in part))


def ensure_role_group(role_name, *, force=None, root_page, collection):
    """Create or update the group holding ``role_name`` (for ``force``, if force-scoped).

    Its page permissions apply to ``root_page`` and its subtree (and to its translations, with
    theirs), its media permissions to ``collection``. Returns ``(group, changed)``.
    """
    role = ROLES[role_name]
    name = f"{force.name}: {role.label}" if force else str(role.label)
    changed = False
    mapping = RoleGroup.objects.filter(role=role_name, force=force).select_related("group").first()
    new_group = False
    if mapping is None:
        group = Group.objects.filter(name=name).first()
        if group is None:
            group, new_group = Group.objects.create(name=name), True
        RoleGroup.objects.create(group=group, role=role_name, force=force)
        changed = True
    else:
        group = mapping.group
        if group.name != name:
            group.name = name
            group.save(update_fields=["name"])
            changed = True

    wanted, managed, page_permissions, media_permissions = _role_permissions(role)
    # A group made a moment ago holds nothing yet: no need to read what it holds.
    held = (
        set()
        if new_group
        else set(group.permissions.filter(pk__in=[p.pk for p in wanted + managed]))
    )
    if missing := [permission for permission in wanted if permission not in held]:
        group.permissions.add(*missing)
        changed = True
    if stale := [permission for permission in held if permission not in wanted]:
        group.permissions.remove(*stale)
        changed = True

    changed |= _sync_page_permissions(group, page_permissions, root_page, new_group)
    changed |= _sync_media_permissions(group, media_permissions, collection, new_group)
    return group, changed


def _sync_media_permissions(group, permissions, collection, new_group=False):
    """Give ``group`` ``permissions`` on ``collection`` (none without one), and no others."""
    wanted = {permission.pk for permission in permissions} if collection is not None else set()
    existing = {}
    stale = []
    rows = [] if new_group else GroupCollectionPermission.objects.filter(group=group)
    for row in rows:
        if row.permission_id in wanted and row.permission_id not in existing:
            existing[row.permission_id] = row
        else:
            stale.append(row.pk)
    # On another collection: stale (even a wanted permission is made again on this one).
    stale += [row.pk for row in existing.values() if row.collection_id != collection.pk]
    kept = {pk for pk, row in existing.items() if row.pk not in stale}
    if stale:
        GroupCollectionPermission.objects.filter(pk__in=stale).delete()
    GroupCollectionPermission.objects.bulk_create(
        GroupCollectionPermission(group=group, collection=collection, permission_id=pk)
        for pk in sorted(wanted - kept)
    )
    return bool(stale) or bool(wanted - kept)


def _sync_page_permissions(group, permissions, root_page, new_group=False):
    """Give ``group`` the page ``permissions`` at ``root_page`` and at each of its
    translations (a bilingual site's Welsh tree is a tree of its own), and no others."""
    roots = list(root_page.get_translations(inclusive=True)) if root_page is not None else []
    wanted = {(page.pk, permission.pk) for page in roots for permission in permissions}
    rows = [] if new_group else GroupPagePermission.objects.filter(group=group)
    existing = {(row.page_id, row.permission_id): row.pk for row in rows}
    stale = [pk for key, pk in existing.items() if key not in wanted]
    if stale:
        GroupPagePermission.objects.filter(pk__in=stale).delete()
    GroupPagePermission.objects.bulk_create(
        GroupPagePermission(group=group, page_id=page_id, permission_id=permission_id)
        for page_id, permission_id in sorted(wanted - existing.keys())
    )
    return bool(stale) or bool(wanted - existing.keys())


def role_group(role_name, force=None):
    """The group that holds ``role_name`` (for ``force``), or ``None`` if not set up."""
    mapping = RoleGroup.objects.filter(role=role_name, force=force).select_related("group").first()
    return mapping.group if mapping else None
