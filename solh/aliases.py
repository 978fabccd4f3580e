"""Aliases made and kept in step in bulk: what Wagtail does one page at a time, per batch.

Wagtail creates an alias with ``CreatePageAliasAction``: a full ``save`` (tree insert, parent
update, ``url_path``, slug check, signals), a log entry and a view restriction check per page,
then a second save of each page that has children. Publishing a page then re-saves every alias
(``Page.update_aliases``): rebuilding it from the revision's JSON, one save and one
``page_published`` per alias, aliases made a moment earlier from the same content included. With
43 forces (and their Welsh trees) that is most of the time a national publication takes.

``create_aliases`` makes many aliases (with their subtrees) at once: the same rows, log
entries and signals as Wagtail's action, but tree positions and free slugs worked out in one
query per batch, rows written with one ``INSERT`` per table and per batch, and parents' child
counts with one ``UPDATE``. ``AliasesMixin.update_aliases`` writes the new content to every
alias of a page with one ``UPDATE`` per table, sends the same ``post_save`` and
``page_published`` signals per alias, and skips the rows of aliases made from the revision
being published (``mark_fresh``: the fan-out of a new page): they are up to date already, so
they only get their signal. The page cache purges of a batch go out as one (``solh.purge.batched``).

Pages of a type with child objects or many-to-many fields of its own, or with view
restrictions, are left to Wagtail's own code, which copies those.
"""

import uuid
from collections import defaultdict
from contextvars import ContextVar
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db import router, transaction
from django.db.models import F, Max, OneToOneField, Q
from django.db.models.functions import Substr
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from wagtail.actions.create_alias import CreatePageAliasAction
from wagtail.log_actions import get_active_log_context
from wagtail.models import (
    COMMENTS_RELATION_NAME,
    Comment,
    Page,
    PageLogEntry,
    PageViewRestriction,
)
from wagtail.signals import page_published

from . import tasks_backend, versions

CREATE_ALIAS_ACTION = "wagtail.create_alias"

# As Wagtail's action: an alias has no revisions, no tree fields of its original, no index rows.
EXCLUDED_FIELDS = [
    "id",
    "path",
    "depth",
    "numchild",
    "url_path",
    "index_entries",
    "postgres_index_entries",
    "latest_revision",
]

# Fields an alias keeps as its own when its original's content is written to it.
OWN_FIELDS = {
    "id",
    "page_ptr",
    "path",
    "depth",
    "numchild",
    "url_path",
    "slug",
    "content_type",
    "translation_key",
    "locale",
    "alias_of",
    "owner",
    "locked",
    "locked_by",
    "locked_at",
    "latest_revision",
    "live_revision",
    "first_published_at",
    "index_entries",
    "postgres_index_entries",
}

# Aliases made from a known revision of the page they copy, by that page (``mark_fresh``):
# ``{original id: {alias id: revision id}}``, and under None how many aliases that records.
_fresh = ContextVar("solh_fresh_aliases", default=None)
FRESH_LIMIT = 50_000


def bulk_copyable(model):
    """Whether aliases of ``model`` pages can be written in bulk: a page type whose only child
    objects are comments (never copied to an alias), with no many-to-many fields, and only
    ``Page`` as a concrete parent."""
    relations = {relation.name for relation in get_all_child_relations(model)}
    return (
        relations <= {COMMENTS_RELATION_NAME}
        and not get_all_child_m2m_relations(model)
        and not model._meta.many_to_many
        and model._meta.get_parent_list() == [Page]
    )


# --- Aliases made from the content being published -------------------------------------------


def mark_fresh(original_id, alias_ids, revision_id=None):
    """Record that the aliases ``alias_ids`` of page ``original_id`` were made from its
    content at its live revision ``revision_id`` (``None`` for aliases of an alias: as up to
    date as the alias they copy). When that revision is published (fan-out happens while it
    is), ``update_aliases`` sends their signals without writing them again.

    An alias changes only when its original is published, so a record stays true until then;
    the records are dropped when that publication reads them, or all at once past
    ``FRESH_LIMIT`` (they only save work)."""
    fresh = _fresh.get()
    # Under the key None: how many aliases are recorded (not counted again at every call).
    if fresh is None or fresh[None] > FRESH_LIMIT:
        fresh = {None: 0}
        _fresh.set(fresh)
    found = fresh.setdefault(original_id, {})
    before = len(found)
    found.update(dict.fromkeys(alias_ids, revision_id))
    fresh[None] += len(found) - before


def _take_fresh(original_id):
    """``{alias id: revision id}`` recorded for ``original_id`` (see ``mark_fresh``)."""
    fresh = _fresh.get()
    if not fresh or original_id is None:
        return {}
    found = fresh.pop(original_id, {})
    fresh[None] -= len(found)
    return found


# --- Making aliases ---------------------------------------------------------------------------


class AliasRequest:
    """One alias to make: of ``page`` (and, with ``recursive``, its subtree) under ``parent``,
    with ``slug`` (``None``: a free slug there, ``like``'s if it is free, else ``like-1``, ...;
    ``like`` is the original's slug unless given). ``locale`` and ``translation_key``, if
    given, are the alias's own (an alias standing in for a page in another language, as
    Wagtail's ``CreatePageAliasAction`` with ``update_locale`` makes it); otherwise it has its
    original's locale and a new translation key."""

    def __init__(
        self,
        page,
        parent,
        slug=None,
        recursive=True,
        like=None,
        locale=None,
        translation_key=None,
    ):
        self.page = page
        self.parent = parent
        self.slug = slug
        self.recursive = recursive
        self.like = like or page.slug
        self.locale = locale
        self.translation_key = translation_key
        self.alias = None


def free_slugs(requests):
    """Give each request without a slug the first free one under its parent (the original's,
    else ``slug-1``, ``slug-2``, ...), as ``wagtail.coreutils.find_available_slug`` does, with
    one query for them all."""
    pending = [request for request in requests if request.slug is None]
    if not pending:
        return
    wanted = reduce(
        or_,
        (
            Q(path__startswith=request.parent.path, depth=request.parent.depth + 1)
            & Q(slug__startswith=request.like)
            for request in pending
        ),
    )
    taken = defaultdict(set)
    steplen = Page.steplen
    for path, slug in Page.objects.filter(wanted).values_list("path", "slug"):
        taken[path[:-steplen]].add(slug)
    for request in pending:
        used = taken[request.parent.path]
        slug, number = request.like, 1
        while slug in used:
            slug = f"{request.like}-{number}"
            number += 1
        used.add(slug)  # two requests under one parent take different slugs
        request.slug = slug


def _last_child_paths(parents):
    """``{parent path: path of its last child}`` for the parents that have children."""
    by_depth = defaultdict(set)
    for parent in parents:
        by_depth[parent.depth].add(parent.path)
    last = {}
    for depth, paths in by_depth.items():
        length = len(next(iter(paths)))
        rows = (
            Page.objects.filter(depth=depth + 1)
            .filter(reduce(or_, (Q(path__startswith=path) for path in paths)))
            .annotate(parent_path=Substr("path", 1, length))
            .values("parent_path")
            .annotate(last=Max("path"))
            .values_list("parent_path", "last")
        )
        last.update(rows)
    return last


def _subtrees(requests):
    """``{request: [original page, ...]}``: each request's page and (if recursive) its
    descendants, specific, in tree order, read with one query per page type."""
    roots = [request.page for request in requests if request.recursive]
    found = defaultdict(list)
    if roots:
        below = reduce(or_, (Q(path__startswith=page.path) for page in roots))
        for page in Page.objects.filter(below).order_by("path").specific():
            found[page.path].append(page)
    subtrees = {}
    for request in requests:
        if not request.recursive:
            subtrees[request] = [request.page.specific]
            continue
        subtrees[request] = [
            page
            for path, pages in found.items()
            if path.startswith(request.page.path)
            for page in pages
        ]
    return subtrees


def _needs_wagtail(pages):
    """Whether some of ``pages`` have what only Wagtail's own code copies to an alias: child
    objects or many-to-many fields, view restrictions, comments."""
    if any(not bulk_copyable(page.specific_class) for page in pages):
        return True
    ids = [page.pk for page in pages]
    return (
        PageViewRestriction.objects.filter(page__in=ids).exists()
        or Comment.objects.filter(page__in=ids).exists()
    )


def create_aliases(requests, user=None):
    """Make the aliases ``requests`` ask for (``AliasRequest``), as Wagtail's recursive
    ``CreatePageAliasAction`` would, in bulk; set each request's ``alias`` and return them.

    Each alias is appended as the last child of its parent; the aliases of a subtree keep their
    originals' order. Every alias is logged (``wagtail.create_alias``) and gets its
    ``pre_save``/``post_save`` signals, and is recorded as fresh (``mark_fresh``).
    """
    requests = list(requests)
    if not requests:
        return []
    free_slugs(requests)
    subtrees = _subtrees(requests)
    all_pages = [page for pages in subtrees.values() for page in pages]
    if _needs_wagtail(all_pages):
        return [_create_with_wagtail(request, user) for request in requests]

    last_paths = _last_child_paths(
        {request.parent.path: request.parent for request in requests}.values()
    )
    steplen = Page.steplen
    made = []  # (alias, original, parent), in tree order per request
    child_counts = defaultdict(int)
    for request in requests:
        parent = request.parent
        last = last_paths.get(parent.path)
        position = Page._str2int(last[-steplen:]) + 1 if last else 1
        root_path = Page._get_path(parent.path, parent.depth + 1, position)
        last_paths[parent.path] = root_path
        child_counts[parent.pk] += 1
        aliases_by_path = {}
        for page in subtrees[request]:
            is_root = page.pk == request.page.pk
            alias = _alias_of(page, request.slug if is_root else None, user)
            if request.locale is not None:
                alias.locale_id = request.locale.pk
            if is_root and request.translation_key is not None:
                alias.translation_key = request.translation_key
            alias.path = root_path + page.path[len(request.page.path) :]
            alias.depth = parent.depth + 1 + (page.depth - request.page.depth)
            alias.numchild = page.numchild if request.recursive else 0
            alias_parent = parent if is_root else aliases_by_path[alias.path[:-steplen]]
            alias.set_url_path(alias_parent)
            aliases_by_path[alias.path] = alias
            made.append((alias, page, alias_parent))
        request.alias = aliases_by_path[root_path]

    with tasks_backend.batched(), versions.coalesced():
        insert_pages([alias for alias, _page, _parent in made])
    for count in set(child_counts.values()):
        parents = [pk for pk, n in child_counts.items() if n == count]
        Page.objects.filter(pk__in=parents).update(numchild=F("numchild") + count)
    for request in requests:
        request.parent.numchild += child_counts.get(request.parent.pk, 0)
        child_counts.pop(request.parent.pk, None)
    _log_created(made, user)
    for alias, page, _parent in made:
        mark_fresh(page.pk, {alias.pk}, page.live_revision_id)
    return [request.alias for request in requests]


def _alias_of(page, slug, user):
    """An unsaved alias of ``page``: its field values as Wagtail's action copies them (every
    concrete field but the tree's, the id and the revision), then the alias's own."""
    model = page.specific_class
    alias = model()
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in EXCLUDED_FIELDS:
            continue
        if isinstance(field, OneToOneField) and field.remote_field.parent_link:
            continue
        setattr(alias, field.attname, getattr(page, field.attname))
    alias.alias_of_id = page.pk
    alias.draft_title = page.title
    alias.has_unpublished_changes = not page.live
    alias.translation_key = uuid.uuid4()
    if slug:
        alias.slug = slug
    if user:
        alias.owner = user
    return alias


def insert_pages(pages):
    """Write new pages whose tree fields (``path``, ``depth``, ``numchild``, ``url_path``) are
    set: ``Page`` rows in one ``INSERT`` (ids returned), then each page type's rows in one
    ``INSERT`` per type, with the signals ``Model.save`` sends around them. Their parents'
    child counts are the caller's to update. Used for aliases, and for a new force's starter
    pages (``forces.onboarding``)."""
    using = router.db_for_write(Page)
    for page in pages:
        pre_save.send(
            sender=page.__class__, instance=page, raw=False, using=using, update_fields=None
        )
    base_fields = [field for field in Page._meta.local_concrete_fields if not field.primary_key]
    # A private API, as bulk_create uses: bulk_create refuses multi-table models.
    rows = Page._base_manager.using(using)._insert(
        pages,
        fields=base_fields,
        returning_fields=Page._meta.db_returning_fields,
        using=using,
    )
    by_type = defaultdict(list)
    for page, returned in zip(pages, rows, strict=True):
        page.id = returned[0]
        by_type[page.__class__].append(page)
    for model, objects in by_type.items():
        if model is Page:
            continue
        link = model._meta.parents[Page]
        for page in objects:
            setattr(page, link.attname, page.id)
        model._base_manager.using(using)._insert(
            objects, fields=model._meta.local_concrete_fields, using=using
        )
    for page in pages:
        page._state.adding = False
        page._state.db = using
        post_save.send(
            sender=page.__class__,
            instance=page,
            created=True,
            update_fields=None,
            raw=False,
            using=using,
        )


def _log_created(made, user):
    """One ``wagtail.create_alias`` log entry per alias, with the data Wagtail records, in one
    ``INSERT``."""
    context = get_active_log_context()
    user = user or context.user
    now = timezone.now()
    entries = []
    originals = {original.path: original for _alias, original, _parent in made}
    sources = {}  # the originals' parents, read once each (many aliases of one page share one)
    for alias, page, parent in made:
        parent_path = page.path[: -Page.steplen]
        if parent_path not in sources:
            sources[parent_path] = _parent_of(page, originals)
        source_parent = sources[parent_path]
        entries.append(
            PageLogEntry(
                content_type=ContentType.objects.get_for_model(alias, for_concrete_model=False),
                label=alias.get_admin_display_title(),
                action=CREATE_ALIAS_ACTION,
                timestamp=now,
                user=user,
                uuid=context.uuid,
                page=alias,
                data={
                    "page": {"id": alias.pk, "title": alias.get_admin_display_title()},
                    "source": source_parent,
                    "destination": {"id": parent.pk, "title": parent.get_admin_display_title()},
                },
            )
        )
    PageLogEntry.objects.bulk_create(entries)


def _parent_of(page, originals):
    parent = originals.get(page.path[: -Page.steplen])
    if parent is None:
        parent = page.get_parent()
    if parent is None:
        return None
    return {"id": parent.pk, "title": parent.specific_deferred.get_admin_display_title()}


def _create_with_wagtail(request, user):
    own_key = request.translation_key is not None
    same_key = own_key and request.translation_key == request.page.translation_key
    alias = CreatePageAliasAction(
        request.page.specific,
        recursive=request.recursive,
        parent=request.parent,
        update_slug=request.slug if request.slug != request.page.slug else None,
        update_locale=request.locale,
        reset_translation_key=not same_key,
        user=user,
    ).execute(skip_permission_checks=True)
    if own_key and alias.translation_key != request.translation_key:
        Page.objects.filter(pk=alias.pk).update(translation_key=request.translation_key)
        alias.translation_key = request.translation_key
    request.alias = alias
    return alias


# --- Keeping aliases in step ------------------------------------------------------------------


class AliasesMixin:
    """Publishing a page writes its content to all its aliases (and theirs) in bulk."""

    def update_aliases(self, *, revision=None, _content=None, _updated_ids=None):
        model = self.specific_class
        if (
            model is None
            or not bulk_copyable(model)
            or _updated_ids is not None
            or Comment.objects.filter(page=self).exists()
        ):
            return super().update_aliases(
                revision=revision, _content=_content, _updated_ids=_updated_ids
            )
        from . import purge  # not at import: the page models import this module

        # One transaction: every alias shows the new content, or none does.
        with (
            transaction.atomic(),
            purge.batched(),
            tasks_backend.batched(),
            versions.coalesced(),
        ):
            _update_all_aliases(self, model, revision)

    update_aliases.alters_data = True


def _update_all_aliases(original, model, revision):
    source = original.specific
    # Level by level (aliases, then aliases of aliases): each level's aliases and those of
    # them made from the content being published. An alias made from the
    # revision published is up to date, and so is an alias made from an up-to-date alias.
    chains = []
    level = [original.pk]
    seen = {original.pk}
    current = {original.pk}
    while level:
        aliases = list(
            model.objects.filter(alias_of_id__in=level).exclude(pk__in=seen).order_by("path")
        )
        if not aliases:
            break
        made = {}
        for pk in level:
            made.update(_take_fresh(pk))
        fresh = set()
        for alias in aliases:
            if alias.pk not in made or alias.alias_of_id not in current:
                continue
            if alias.alias_of_id == original.pk:
                up_to_date = revision is not None and made[alias.pk] == revision.pk
            else:
                up_to_date = made[alias.pk] is None
            if up_to_date:
                fresh.add(alias.pk)
        chains.append((aliases, fresh))
        seen.update(alias.pk for alias in aliases)
        level = [alias.pk for alias in aliases]
        current = fresh

    values = _content_values(source)
    using = router.db_for_write(model)
    for aliases, fresh in chains:
        stale = [alias for alias in aliases if alias.pk not in fresh]
        if stale:
            ids = [alias.pk for alias in stale]
            Page.objects.using(using).filter(pk__in=ids).update(**values[Page])
            if values[model]:
                model.objects.using(using).filter(pk__in=ids).update(**values[model])
        for alias in aliases:
            for field_model in (Page, model):
                for name, value in values[field_model].items():
                    setattr(alias, name, value)
            if alias.pk not in fresh:
                post_save.send(
                    sender=model,
                    instance=alias,
                    created=False,
                    update_fields=None,
                    raw=False,
                    using=using,
                )
        for alias in aliases:
            page_published.send(sender=model, instance=alias, revision=revision, alias=True)


def _content_values(source):
    """``{Page: {field: value}, page type: {field: value}}``: what every alias of ``source``
    takes from it when it is published (as ``Page.update_aliases``)."""
    model = source.specific_class
    values = {Page: {}, model: {}}
    for field in model._meta.concrete_fields:
        if field.name in OWN_FIELDS or field.primary_key:
            continue
        owner = Page if field.model is Page else model
        values[owner][field.attname] = getattr(source, field.attname)
    values[Page].update(
        live=True,
        has_unpublished_changes=False,
        draft_title=source.title,
        latest_revision_created_at=source.latest_revision_created_at,
        last_published_at=source.last_published_at,
    )
    return values
