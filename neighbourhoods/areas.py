"""The postcode areas of each force's live neighbourhoods, kept in ``PostcodeArea``.

``sync`` writes a neighbourhood's rows when it is published and ``remove`` drops them when it is
unpublished or deleted (``neighbourhoods.signals`` forwards Wagtail's signals here), so the
public lookup (``neighbourhoods.lookup``) reads one indexed table. Only a neighbourhood's page in
its force's main language has rows: its translations share its areas (a synchronised field).
"""

import logging

from django.conf import settings
from django.db import transaction

from wagtail.models import Page

from forces.models import Force

from .models import NeighbourhoodPage, PostcodeArea
from .postcodes import district_of

logger = logging.getLogger(__name__)

ROOT_PATH_LENGTH = 2 * Page.steplen


def force_of(page):
    """The force whose site ``page`` is in (in any of its languages), or ``None``."""
    if page is None or not page.path:
        return None
    root = Page.objects.filter(path=page.path[:ROOT_PATH_LENGTH]).only("translation_key").first()
    if root is None:
        return None
    return Force.objects.filter(site__root_page__translation_key=root.translation_key).first()


def _is_source(page):
    """Whether ``page`` is the neighbourhood whose areas count (not a translation or alias)."""
    return page.alias_of_id is None and page.locale.language_code == settings.LANGUAGE_CODE


def claimed_elsewhere(force, areas, page=None):
    """``(area, neighbourhood page)`` for each of ``areas`` that another of ``force``'s
    neighbourhoods covers: live (its published areas) or saved (the areas on its page)."""
    wanted = set(areas)
    own_key = getattr(page, "translation_key", None) if page is not None and page.pk else None
    taken = {}
    rows = PostcodeArea.objects.filter(force=force, area__in=wanted).select_related("neighbourhood")
    for row in rows:
        if row.neighbourhood.translation_key != own_key:
            taken.setdefault(row.area, row.neighbourhood)
    root = force.site.root_page
    siblings = NeighbourhoodPage.objects.descendant_of(root).filter(alias_of__isnull=True)
    if own_key is not None:
        siblings = siblings.exclude(translation_key=own_key)
    for sibling in siblings.only("title", "slug", "postcode_areas"):
        for area in sibling.areas:
            if area in wanted:
                taken.setdefault(area, sibling)
    return sorted(taken.items(), key=lambda pair: pair[0])


@transaction.atomic
def sync(page):
    """Give the live neighbourhood ``page`` exactly the rows of the areas it lists.

    An area another neighbourhood of the force already has (published in the meantime, past
    the editor's check) stays with it; the conflict is logged. Returns the areas written.
    """
    page = NeighbourhoodPage.objects.get(pk=page.pk)
    if not _is_source(page):
        return []
    force = force_of(page)
    if force is None:
        return []
    areas = page.areas if page.live else []
    PostcodeArea.objects.filter(neighbourhood=page).exclude(area__in=areas).delete()
    held = dict(
        PostcodeArea.objects.filter(force=force, area__in=areas).values_list(
            "area", "neighbourhood_id"
        )
    )
    conflicts = sorted(area for area, owner in held.items() if owner != page.pk)
    if conflicts:
        logger.warning(
            "Neighbourhood %s (page %s) lists %s, already covered by another neighbourhood.",
            page.title,
            page.pk,
            ", ".join(conflicts),
        )
    PostcodeArea.objects.bulk_create(
        [
            PostcodeArea(force=force, neighbourhood=page, area=area, district=district_of(area))
            for area in areas
            if area not in held
        ]
    )
    return [area for area in areas if area not in conflicts]


def remove(page):
    """Drop the rows of ``page`` (unpublished or being deleted)."""
    return PostcodeArea.objects.filter(neighbourhood_id=page.pk).delete()[0]


def sync_force(force):
    """Rebuild the rows of every live neighbourhood of ``force``; returns how many areas."""
    PostcodeArea.objects.filter(force=force).delete()
    pages = NeighbourhoodPage.objects.live().descendant_of(force.site.root_page)
    return sum(len(sync(page)) for page in pages.order_by("path"))
