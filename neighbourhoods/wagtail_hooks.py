"""Admin hooks: a news article is tagged to its own force's neighbourhoods only.

The page chooser offers an editor only their own force's pages (``forces.scoping``); these hooks
refuse a hand-made form naming another force's neighbourhood before the page is saved.
"""

import re

from django.core.exceptions import PermissionDenied

from wagtail import hooks

from home.models import NewsPage

from .areas import force_of
from .models import NeighbourhoodPage

TAG_FIELD = re.compile(r"^neighbourhood_tags-(\d+)-neighbourhood$")


def _tagged_ids(post):
    ids = set()
    for name, value in post.items():
        match = TAG_FIELD.match(name)
        if match is None or not value:
            continue
        if post.get(f"neighbourhood_tags-{match[1]}-DELETE"):
            continue
        if not value.isdigit():
            raise PermissionDenied
        ids.add(int(value))
    return ids


def _check_tags(request, site_page):
    if request.method != "POST":
        return
    ids = _tagged_ids(request.POST)
    if not ids:
        return
    force = force_of(site_page)
    neighbourhoods = NeighbourhoodPage.objects.filter(pk__in=ids).only("path")
    if force is None or len(neighbourhoods) != len(ids):
        raise PermissionDenied
    if any(force_of(neighbourhood) != force for neighbourhood in neighbourhoods):
        raise PermissionDenied


@hooks.register("before_edit_page")
def _before_edit(request, page):
    if isinstance(page, NewsPage):
        _check_tags(request, page)


@hooks.register("before_create_page")
def _before_create(request, parent_page, page_class):
    if page_class is NewsPage:
        _check_tags(request, parent_page)
