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


def ensure_role_group(role_name, *, force=None, root_page, collection):
    """Create or update the group holding ``role_name`` (for ``force``, if force-scoped).

    Its page permissions apply to ``root_page`` and its subtree (and to its translations, with
    theirs), its media permissions to ``collection``. Returns ``(group, changed)``.
    """
    return ensure_role_groups([role_name], force=force, root_page=root_page, collection=collection)[
        role_name
    ]


def ensure_role_groups(role_names, *, force=None, root_page, collection):
    """``ensure_role_group`` for several roles at once, with a few queries for them all (about
    six when nothing changes). Returns ``{role name: (group, changed)}``."""
    roles = [ROLES[name] for name in role_names]
    groups, changed = _groups(roles, force)
    group_ids = [group.pk for group in groups.values()]

    model_level = {
        role.name: [("wagtailadmin", "access_admin"), *role.extra_permissions] for role in roles
    }
    page_level = {
        role.name: [("wagtailcore", codename) for codename in role.page_permissions]
        for role in roles
    }
    media_level = {role.name: role.media_codenames() for role in roles}
    pairs = list(
        dict.fromkeys(
            pair
            for part in (model_level, page_level, media_level)
            for role_pairs in part.values()
            for pair in role_pairs
        )
    )
    pairs += [pair for pair in EXTRA_PERMISSIONS if pair not in pairs]
    found = dict(zip(pairs, _permissions(pairs), strict=True))
    managed = {found[pair].pk for pair in pairs if pair in EXTRA_PERMISSIONS}
    managed |= {found[pair].pk for role_pairs in model_level.values() for pair in role_pairs}

    # Model-level permissions: the role's, and none of the others any role may hold.
    through = Group.permissions.through
    held = set(
        through.objects.filter(group_id__in=group_ids, permission_id__in=managed).values_list(
            "group_id", "permission_id"
        )
    )
    wanted = {
        (groups[role.name].pk, found[pair].pk) for role in roles for pair in model_level[role.name]
    }
    if stale := held - wanted:
        through.objects.filter(
            reduce(or_, (Q(group_id=g, permission_id=p) for g, p in stale))
        ).delete()
    through.objects.bulk_create(
        through(group_id=g, permission_id=p) for g, p in sorted(wanted - held)
    )
    _mark(changed, groups, {g for g, _p in stale | (wanted - held)})

    # Page permissions at the root page and each of its translations (a bilingual site's Welsh
    # tree is a tree of its own), and no others.
    roots = list(root_page.get_translations(inclusive=True)) if root_page is not None else []
    wanted = {
        (groups[role.name].pk, page.pk, found[pair].pk)
        for role in roles
        for page in roots
        for pair in page_level[role.name]
    }
    existing = {
        (row.group_id, row.page_id, row.permission_id): row.pk
        for row in GroupPagePermission.objects.filter(group_id__in=group_ids)
    }
    stale = [pk for key, pk in existing.items() if key not in wanted]
    if stale:
        GroupPagePermission.objects.filter(pk__in=stale).delete()
    missing = sorted(wanted - existing.keys())
    GroupPagePermission.objects.bulk_create(
        GroupPagePermission(group_id=g, page_id=page, permission_id=p) for g, page, p in missing
    )
    _mark(changed, groups, {key[0] for key in existing if key not in wanted})
    _mark(changed, groups, {g for g, _page, _p in missing})

    # Media permissions on the collection (none without one), and no others.
    wanted = set()
    if collection is not None:
        wanted = {
            (groups[role.name].pk, collection.pk, found[pair].pk)
            for role in roles
            for pair in media_level[role.name]
        }
    existing = {}
    stale = []
    for row in GroupCollectionPermission.objects.filter(group_id__in=group_ids):
        key = (row.group_id, row.collection_id, row.permission_id)
        if key in wanted and key not in existing:
            existing[key] = row.pk
        else:
            stale.append((row.group_id, row.pk))
    if stale:
        GroupCollectionPermission.objects.filter(pk__in=[pk for _g, pk in stale]).delete()
    missing = sorted(wanted - existing.keys())
    GroupCollectionPermission.objects.bulk_create(
        GroupCollectionPermission(group_id=g, collection_id=c, permission_id=p)
        for g, c, p in missing
    )
    _mark(changed, groups, {g for g, _pk in stale} | {g for g, _c, _p in missing})
    return {role.name: (groups[role.name], changed[role.name]) for role in roles}


def _groups(roles, force):
    """``({role name: group}, {role name: changed})``: each role's group (for ``force``), made
    (or an existing group of its name taken) if it has none, renamed if its name is out of date."""
    names = {
        role.name: f"{force.name}: {role.label}" if force else str(role.label) for role in roles
    }
    mappings = {
        mapping.role: mapping
        for mapping in RoleGroup.objects.filter(role__in=names, force=force).select_related("group")
    }
    groups, changed = {}, dict.fromkeys(names, False)
    for name, mapping in mappings.items():
        group = groups[name] = mapping.group
        if group.name != names[name]:
            group.name = names[name]
            group.save(update_fields=["name"])
            changed[name] = True
    unmapped = [name for name in names if name not in mappings]
    if unmapped:
        by_name = {
            group.name: group
            for group in Group.objects.filter(name__in=[names[name] for name in unmapped])
        }
        new = [Group(name=names[name]) for name in unmapped if names[name] not in by_name]
        by_name.update((group.name, group) for group in Group.objects.bulk_create(new))
        RoleGroup.objects.bulk_create(
            RoleGroup(group=by_name[names[name]], role=name, force=force) for name in unmapped
        )
        for name in unmapped:
            groups[name] = by_name[names[name]]
            changed[name] = True
    return groups, changed


def _mark(changed, groups, group_ids):
    """Mark the roles whose groups are among ``group_ids`` as changed."""
    for name, group in groups.items():
        if group.pk in group_ids:
            changed[name] = True


def role_group(role_name, force=None):
    """The group that holds ``role_name`` (for ``force``), or ``None`` if not set up."""
    mapping = RoleGroup.objects.filter(role=role_name, force=force).select_related("group").first()
    return mapping.group if mapping else None
