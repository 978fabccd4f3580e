"""National content once, on every force site: the national sections and their copies.

The national sections are the hub's report hub (``/report/``, the national reporting journeys)
and its ``advice`` section (the national library), each with everything under it. Each force has
a *copy* of every national page in its own tree, at the same place, so the page has the force's
URL, theme, menus, breadcrumbs, sitemap, search and API entries. A copy is normally a Wagtail
alias of the national page, which Wagtail keeps in step when the original is published or
unpublished. Once a force editor *localises* it, the copy is the force's own ordinary page and a
``LocalisedPage`` records which national page and revision it came from.

Wagtail creates no aliases for new national pages and neither removes nor moves aliases with
their original. This module does, in plain functions that ``syndication_hooks`` calls
from Wagtail's signals and that commands and views may call directly:

- Publishing a national page gives every force a copy of it, and of its subtree and of any
  national ancestor the force lacks (``fan_out``).
- Unpublishing it unpublishes the aliases (Wagtail) and the localised copies
  (``unpublish_everywhere``): withdrawn national advice must not stay up in a local version.
- Deleting it deletes every copy, aliases and localised copies alike, so no orphan is left
  (``remove_everywhere``). A force's *own* pages inside a deleted copy (local pages that a force
  added inside a national section) are kept: they move up into the copy's parent, the nearest
  part of the force's tree that survives, and take a free slug there if theirs is taken.
- Moving it within the national sections moves every copy to the force's copy of the new
  parent, in the same order among the national pages (``move_everywhere``). Moving it out of
  them is a deletion for the forces, moving a page in is a publication.
- A force's own page keeps its slug: a national page whose slug a force's own page already uses
  beside it gets the next free slug (``slug-1``, ...) on that force's site.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from copy import copy as shallow_copy
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext as _

from wagtail.actions.convert_alias import ConvertAliasPageAction
from wagtail.actions.move_page import MovePageAction
from wagtail.coreutils import find_available_slug
from wagtail.log_actions import log
from wagtail.models import Page

from forces.models import Force, LocalisedPage
from forces.starter_content import (
    NATIONAL_LIBRARY_AFTER,
    NATIONAL_LIBRARY_SLUG,
    NATIONAL_REPORT_HUB_SLUG,
)
from home.models import HubPage, SectionPage
from home.site_context import invalidate_site_chrome
from reporting.models import ReportHubPage
from solh.aliases import AliasRequest, create_aliases

logger = logging.getLogger(__name__)

# A page in a force tree that stands for a national page: an alias, or a localised copy.
NATIONAL_COPY = Q(alias_of__isnull=False) | Q(localisation__isnull=False)

LOCALISE_ACTION = "forces.localise"
REVERT_ACTION = "forces.revert_to_national"


class SyndicationError(Exception):
    """Raised when a syndication operation does not apply to the page it was given."""


# --- where the national sections are, and where each force has a copy of them ---------------

# The hub's pages that are national with everything under them, as (page type, slug), in the
# order their copies take on a force's home page.
NATIONAL_SECTIONS = [
    (ReportHubPage, NATIONAL_REPORT_HUB_SLUG),
    (SectionPage, NATIONAL_LIBRARY_SLUG),
]


def _under_hub():
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    return Exists(HubPage.objects.filter(path=parent_path))


# The national roots read once for the operation in progress (``one_operation``), or None.
_roots_read = ContextVar("solh_national_roots", default=None)


@contextmanager
def one_operation():
    """Within it, ``national_roots`` reads the national roots once: for one publication,
    unpublication, move or deletion, whose signals ask for them once per page (about a hundred
    times for a national page deleted with 43 forces' copies). Nested uses share the outermost
    one's; nothing is kept after it, so another request or process never sees stale roots.

    Only for operations that do not make, delete or move the roots themselves in between."""
    if _roots_read.get() is not None:
        yield
        return
    token = _roots_read.set({})
    try:
        yield
    finally:
        _roots_read.reset(token)


def national_roots():
    """The roots of the national sections that exist (the report hub, then the library), as
    plain ``Page`` objects, in one query (none within ``one_operation`` after its first)."""
    read = _roots_read.get()
    if read is not None:
        if "roots" not in read:
            read["roots"] = _read_national_roots()
        # Copies: a caller may change what it is given without changing the next caller's.
        return [shallow_copy(root) for root in read["roots"]]
    return _read_national_roots()


def _read_national_roots():
    wanted = reduce(
        or_,
        (
            Q(content_type=ContentType.objects.get_for_model(model), slug=slug)
            for model, slug in NATIONAL_SECTIONS
        ),
    )
    found = {}
    # The first of each: a translation of the hub (wagtail-localize) comes after the original.
    for page in Page.objects.filter(_under_hub(), wanted).order_by("path"):
        found.setdefault(page.slug, page)
    return [found[slug] for _model, slug in NATIONAL_SECTIONS if slug in found]


def all_national_roots():
    """The roots of the national sections in every language (the hub's Welsh tree has its own,
    translations of the English ones), as plain ``Page`` objects."""
    wanted = reduce(
        or_,
        (
            Q(content_type=ContentType.objects.get_for_model(model), slug=slug)
            for model, slug in NATIONAL_SECTIONS
        ),
    )
    english = {page.translation_key for page in national_roots()}
    pages = Page.objects.filter(_under_hub(), wanted).order_by("path")
    return [page for page in pages if page.translation_key in english]


def national_root():
    """The root of the national library (the hub's ``advice`` section), or ``None``."""
    roots = SectionPage.objects.filter(_under_hub(), slug=NATIONAL_LIBRARY_SLUG)
    return roots.order_by("path").first()


def _as_roots(roots):
    if roots is None:
        return national_roots()
    return [roots] if isinstance(roots, Page) else roots


def national_root_of(page, roots=None):
    """The root of the national section that ``page`` is in, or ``None`` if it is in none.

    ``roots``: the national roots (or one of them), if already known.
    """
    for root in _as_roots(roots):
        if page.path.startswith(root.path):
            return root
    return None


def is_national(page, roots=None):
    """Whether ``page`` is in a national section (``roots``: as for ``national_root_of``)."""
    return national_root_of(page, roots) is not None


def force_homes():
    """Every force's home page, keyed by its tree path."""
    forces = Force.objects.select_related("site__root_page")
    return {force.site.root_page.path: force.site.root_page for force in forces}


def _home_path_of(path, homes):
    for home_path in homes:
        if path.startswith(home_path) and path != home_path:
            return home_path
    return None


class Copies:
    """Where given national pages appear in force trees: ``get(national_id, home_path)``."""

    def __init__(self, national_ids, homes):
        self.homes = homes
        self._copies = {}
        aliases = Page.objects.filter(alias_of_id__in=national_ids).order_by("path")
        for page in aliases:
            self.add(page.alias_of_id, page)
        localised = LocalisedPage.objects.filter(national_page_id__in=national_ids)
        for localisation in localised.select_related("page").order_by("page__path"):
            self.add(localisation.national_page_id, localisation.page)

    def add(self, national_id, page):
        home_path = _home_path_of(page.path, self.homes)
        if home_path is not None:
            self._copies.setdefault((national_id, home_path), page)

    def get(self, national_id, home_path):
        return self._copies.get((national_id, home_path))

    def of(self, national_id):
        """Every force's copy of the national page ``national_id``."""
        return [page for (pk, _home), page in self._copies.items() if pk == national_id]


def copies_of(national_page):
    """The pages standing for ``national_page`` in force trees: aliases and localised copies."""
    return Copies([national_page.pk], force_homes()).of(national_page.pk)


def national_original(page):
    """The national page that ``page`` (a page in a force tree) is an alias of, or ``None``.

    A force's Welsh page stands for a national page through the force's English copy until the
    national page is translated (an alias of that alias), then through the Welsh national page.
    """
    if page.alias_of_id is None:
        return None
    roots = all_national_roots()
    if is_national(page, roots):
        return None
    original = Page.objects.filter(pk=page.alias_of_id).first()
    for _step in range(3):  # an alias of an alias of ...: a short chain at most
        if original is None or is_national(original, roots):
            return original
        if original.alias_of_id is None:
            return None
        original = Page.objects.filter(pk=original.alias_of_id).first()
    return None


def localisation_of(page):
    """The ``LocalisedPage`` record of ``page`` if it is a localised national page, or ``None``."""
    return LocalisedPage.objects.filter(page_id=page.pk).select_related("national_page").first()


def national_changed_since(localisation):
    """Whether the national original has been published (or unpublished) since it was localised."""
    original = localisation.national_page
    if original is None:
        return False
    return not original.live or original.live_revision_id != localisation.national_revision_id


# --- making, placing and removing copies ------------------------------------------------------


def _free_slug(parent, slug, page=None):
    return find_available_slug(parent, slug, ignore_page_id=page.pk if page else None)


def _create_copies(wanted):
    """Recursive aliases of national pages, each under a parent with a free slug there:
    ``wanted`` is ``[(national page, parent), ...]``; made in one batch (``solh.aliases``).
    Returns the copies, in the same order."""
    requests = [AliasRequest(national_page, parent) for national_page, parent in wanted]
    copies = create_aliases(requests)
    for request in requests:
        if request.slug != request.page.slug:
            logger.warning(
                "National page %s takes the slug %r under page %s, whose own page has %r.",
                request.page.pk,
                request.slug,
                request.parent.pk,
                request.page.slug,
            )
    return copies


def _create_copy(national_page, parent):
    """A recursive alias of ``national_page`` under ``parent``, with a free slug there."""
    return _create_copies([(national_page, parent)])[0]


def _move(page, target, pos):
    """Move ``page`` (taking a free slug at its new parent if it needs one)."""
    new_parent = target if pos in ("first-child", "last-child") else target.get_parent()
    page = Page.objects.get(pk=page.pk)
    if page.get_parent().pk != new_parent.pk:
        slug = _free_slug(new_parent, page.slug, page)
        if slug != page.slug:
            page.slug = slug
            page.save(update_fields=["slug", "url_path"], clean=False)
    MovePageAction(page, target, pos=pos).execute(skip_permission_checks=True)


class NationalOrder:
    """The national siblings that follow a page, and where each force has copies of them, to
    put a force's copy of the page in the same order among the national pages."""

    def __init__(self, national_page, homes):
        self.following = list(national_page.get_next_siblings().values_list("pk", flat=True))
        self.copies = Copies(self.following, homes) if self.following else None

    def place(self, copy, parent_copy, home_path):
        """Move ``copy`` under ``parent_copy`` before the copy of the first following national
        sibling (last among the national copies if none), unless it is there already."""
        target = None
        for pk in self.following:
            candidate = self.copies.get(pk, home_path)
            if candidate is not None and candidate.path[: -Page.steplen] == parent_copy.path:
                target = Page.objects.get(pk=candidate.pk)
                break
        copy = Page.objects.get(pk=copy.pk)
        in_place = copy.path[: -Page.steplen] == parent_copy.path
        later = parent_copy.get_children().filter(path__gt=copy.path).filter(NATIONAL_COPY)
        if target is not None:
            if (
                in_place
                and copy.path < target.path
                and not later.filter(path__lt=target.path).exists()
            ):
                return
            _move(copy, target, "left")
        elif not in_place or later.exists():
            _move(copy, parent_copy, "last-child")


def _own_pages_within(copy):
    """The topmost of a force's own pages (neither aliases nor localised) inside ``copy``."""
    candidates = copy.get_descendants().filter(alias_of__isnull=True, localisation__isnull=True)
    topmost = []
    for page in candidates.order_by("path"):
        if not any(page.path.startswith(kept.path) for kept in topmost):
            topmost.append(page)
    return topmost


def _remove_copy(copy):
    """Delete a force's copy of a national page, moving the force's own pages out of it first."""
    parent = copy.get_parent()
    for page in _own_pages_within(copy):
        _move(page, parent, "last-child")
    Page.objects.get(pk=copy.pk).delete()


def _follow(page, original, user=None):
    """Turn ``page`` into an alias of ``original`` where it stands, keeping its slug, its place
    and its children (``page`` and ``original`` must be of the same type). Its drafts are
    dropped and any moderation in progress on it is cancelled."""
    page = Page.objects.get(pk=page.pk).specific
    original = Page.objects.get(pk=original.pk).specific
    if page.specific_class is not original.specific_class:
        raise SyndicationError(
            _("%(page)s cannot follow %(original)s: they are different types of page.")
            % {"page": page.title, "original": original.title}
        )
    workflow_state = page.current_workflow_state
    if workflow_state is not None:
        workflow_state.cancel(user=user)
    follower = page.with_content_json(original.serializable_data())
    follower.alias_of_id = original.pk
    follower.slug = page.slug
    follower.set_url_path(page.get_parent())
    # As CreatePageAliasAction and Page.update_aliases leave an alias: no revisions of its own.
    follower.live = original.live
    follower.has_unpublished_changes = not original.live
    follower.draft_title = follower.title
    follower.latest_revision = None
    follower.live_revision = None
    follower.latest_revision_created_at = original.latest_revision_created_at
    follower.last_published_at = original.last_published_at
    follower.locked, follower.locked_by, follower.locked_at = False, None, None
    follower.save(clean=False)
    return follower


def _library_pages(root):
    return list(root.get_descendants(inclusive=True).order_by("path"))


# --- the services -----------------------------------------------------------------------------


@transaction.atomic
def ensure_national_library(force):
    """Give ``force`` the whole current national content: the report hub at its own
    ``/report/`` and the library at its own ``/advice/``.

    The force's ``report`` and ``advice`` pages become recursive aliases of the national
    sections' roots. A force that already has a local section of the same type there (made
    before syndication) keeps it, its place and its local pages: it is turned into the alias
    where it stands; a page of another type there (such as the old starter ``report`` content
    page) moves aside to a free slug. Any national page the force lacks is added. Idempotent;
    returns True if anything changed.
    """
    home = Page.objects.get(pk=force.site.root_page_id)
    homes = {home.path: home}
    changed = False
    for root in national_roots():
        library = _library_pages(root)
        copies = Copies([page.pk for page in library], homes)
        if copies.get(root.pk, home.path) is None:
            _give_library_root(home, root, copies)
            changed = True
        changed |= _add_missing(library, root, copies, home)
    if changed:
        invalidate_site_chrome([force.site_id])
    return changed


def _give_library_root(home, root, copies):
    existing = home.get_children().filter(slug=root.slug).first()
    if existing is not None and (
        existing.alias_of_id is None and existing.specific_class is root.specific_class
    ):
        copies.add(root.pk, _follow(existing, root))
        return
    if existing is not None:
        # Something else is at /advice/ (or /report/): it keeps its content under a free slug,
        # out of the menu, where the national section takes its place.
        existing = existing.specific
        existing.slug = _free_slug(home, f"{root.slug}-{existing.pk}")
        existing.show_in_menus = False
        existing.save(update_fields=["slug", "url_path", "show_in_menus"], clean=False)
        logger.warning(
            "Page %s moved from /%s/ to make way for the national section.",
            existing.pk,
            root.slug,
        )
    alias = _create_copy(root, home)
    _place_section_copy(home, alias, root)
    for page in Page.objects.descendant_of(alias, inclusive=True).filter(alias_of__isnull=False):
        copies.add(page.alias_of_id, page)


def _place_section_copy(home, copy, root):
    """Put a force's new copy of a national section in its place among the home page's pages:
    the library right after the page at ``NATIONAL_LIBRARY_AFTER`` (the report hub), which
    comes first."""
    if root.slug == NATIONAL_LIBRARY_SLUG:
        anchor = home.get_children().filter(slug=NATIONAL_LIBRARY_AFTER).first()
        target = anchor.get_next_sibling() if anchor is not None else None
    else:
        target = home.get_first_child()
    if target is not None and target.pk != copy.pk:
        _move(copy, target, "left")


def _add_missing(library, root, copies, home):
    """Create the force's copy of every national page it lacks (whole subtrees at a time)."""
    by_path = {page.path: page for page in library}
    created = []
    wanted = []
    for page in library:
        if page.pk == root.pk or any(page.path.startswith(path) for path in created):
            continue
        if copies.get(page.pk, home.path) is not None:
            continue
        parent = by_path.get(page.path[: -Page.steplen])
        parent_copy = copies.get(parent.pk, home.path) if parent else None
        if parent_copy is None:
            continue
        wanted.append((page, parent_copy))
        created.append(page.path)
    _create_copies(wanted)
    return bool(created)


@transaction.atomic
def fan_out(national_page):
    """Give every force a copy of ``national_page``, a page just published in the library.

    Each force lacking it gets a recursive alias (so a new section arrives with its pages) under
    its copy of the national parent, in the national order; a force lacking the parent too gets
    the parent's subtree, and so on up to the national section's root. Forces that have it are
    left alone. Returns how many copies were made.
    """
    root = national_root_of(national_page)
    if root is None:
        return 0
    chain = list(national_page.get_ancestors(inclusive=True).filter(path__startswith=root.path))
    homes = force_homes()
    copies = Copies([page.pk for page in chain], homes)
    created = 0
    wanted = []  # (national page, the force's copy of its parent, the force's home path)
    for home_path, home in homes.items():
        if copies.get(root.pk, home_path) is None:
            created += ensure_national_library(Force.objects.get(site__root_page=home))
            continue
        parent_copy = home
        for page in chain:
            copy = copies.get(page.pk, home_path)
            if copy is None:
                wanted.append((page, parent_copy, home_path))
                break
            parent_copy = copy
    made = _create_copies([(page, parent_copy) for page, parent_copy, _home in wanted])
    orders = {}
    for (page, parent_copy, home_path), copy in zip(wanted, made, strict=True):
        if page.pk not in orders:
            orders[page.pk] = NationalOrder(page, homes)
        # A copy is made last among its parent's pages: in place, unless national pages
        # follow its original.
        if orders[page.pk].following:
            orders[page.pk].place(copy, parent_copy, home_path)
        created += 1
    if created:
        invalidate_site_chrome()
    return created


@transaction.atomic
def unpublish_everywhere(national_page):
    """Unpublish the forces' localised copies of ``national_page`` (Wagtail unpublishes its
    aliases). Returns how many were unpublished."""
    count = 0
    for copy in copies_of(national_page):
        if copy.alias_of_id is None and copy.live:
            copy.specific.unpublish()
            count += 1
    return count


@transaction.atomic
def remove_everywhere(national_page):
    """Delete every force's copy of ``national_page`` (aliases and localised copies).

    A force's own pages inside a copy are moved up into the copy's parent first. Returns how
    many copies were deleted.
    """
    copies = copies_of(national_page)
    for copy in copies:
        _remove_copy(copy)
    if copies:
        invalidate_site_chrome()
    return len(copies)


@transaction.atomic
def move_everywhere(national_page, was_national=True):
    """Follow a move of ``national_page`` (already moved) on every force.

    Within the national sections, each force's copy moves under its copy of the new parent, in
    the national order. Moved out of them (``was_national`` and no longer in one), the copies
    are removed; moved into one, it is fanned out. Returns how many copies changed.
    """
    roots = national_roots()
    if not roots:
        return 0
    national_page = Page.objects.get(pk=national_page.pk)
    now_national = is_national(national_page, roots) and national_page.pk not in {
        root.pk for root in roots
    }
    if not now_national:
        return remove_everywhere(national_page) if was_national else 0
    if not was_national:
        return fan_out(national_page) if national_page.live else 0
    parent = national_page.get_parent()
    homes = force_homes()
    copies = Copies([national_page.pk, parent.pk], homes)
    order = NationalOrder(national_page, homes)
    moved = removed = 0
    for home_path in homes:
        copy = copies.get(national_page.pk, home_path)
        if copy is None:
            continue
        parent_copy = copies.get(parent.pk, home_path)
        if parent_copy is None:
            # The force lacks the new parent: drop the copy here; fan_out remakes it there.
            _remove_copy(copy)
            removed += 1
            continue
        order.place(copy, parent_copy, home_path)
        moved += 1
    if removed and national_page.live:
        fan_out(national_page)
    invalidate_site_chrome()
    return moved + removed


def _check_can_edit(page, user):
    if user is not None and not page.permissions_for_user(user).can_edit():
        raise PermissionDenied(_("You cannot edit this page."))


@transaction.atomic
def localise(alias_page, user):
    """Turn a force's alias of a national page into the force's own page (``LocalisedPage``).

    Its content stays as it is, live if it was; from now on national edits no longer change it,
    and edits go through the force's workflow. Raises ``PermissionDenied`` if ``user`` cannot
    edit the page and ``SyndicationError`` if it is not a force's copy of a national page.
    Returns the page.
    """
    original = national_original(alias_page)
    if original is None:
        raise SyndicationError(_("Only a force's copy of a national page can be localised."))
    _check_can_edit(alias_page, user)
    page = Page.objects.get(pk=alias_page.pk).specific
    ConvertAliasPageAction(page, user=user, log_action=LOCALISE_ACTION).execute(
        skip_permission_checks=True
    )
    LocalisedPage.objects.create(
        page=page,
        national_page=original,
        national_revision_id=original.live_revision_id,
        localised_by=user,
    )
    return page


@transaction.atomic
def revert_to_national(localised_page, user):
    """Replace a localised page by the national version again: it becomes an alias of its
    national original where it stands, keeping its slug and any pages under it.

    Local changes (and any moderation in progress) are dropped. Raises ``PermissionDenied`` if
    ``user`` cannot edit the page and ``SyndicationError`` if it is not a localised page whose
    national original still exists. Returns the page, now an alias.
    """
    localisation = localisation_of(localised_page)
    if localisation is None or localisation.national_page is None:
        raise SyndicationError(_("This page is not a localised copy of a national page."))
    _check_can_edit(localised_page, user)
    follower = _follow(localised_page, localisation.national_page, user)
    localisation.delete()
    log(
        instance=follower,
        action=REVERT_ACTION,
        user=user,
        data={
            "page": {"id": follower.pk, "title": follower.title},
            "source": {"id": follower.alias_of_id},
        },
    )
    invalidate_site_chrome()
    return follower
