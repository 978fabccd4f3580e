"""A short-lived cache of what a search found (and of the titles suggested as someone types),
so a popular search is worked out once a minute rather than on every request.

Entries are keyed by site, language tree, query and page number, and all of them are dropped
whenever anything a search shows may have changed: a page published, unpublished, moved or
deleted, a view restriction, a promotion or a site changed. Pages published since an entry was
made reach the search index in the background worker, so they may take up to ``TIMEOUT`` more
seconds to appear. With several app servers, use a shared cache (``REDIS_URL``): a local-memory
cache is dropped only in the process where the change was made (the others wait out
``TIMEOUT``).
"""

import hashlib
import uuid

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import PromotedResult, normalise_query

TIMEOUT = 60
GENERATION_KEY = "search-results:generation"


def _generation():
    """The token in every entry's key; a new one drops them all at once."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def _digest(query):
    return hashlib.sha256(normalise_query(query).encode()).hexdigest()[:32]


def key(site, root, query, page_number):
    """The cache key of one page of results for ``query`` on ``site`` in ``root``'s tree."""
    return f"search-results:{_generation()}:{site.pk}:{root.pk}:{page_number}:{_digest(query)}"


def suggestions_key(site, root, query):
    """The cache key of the titles suggested for ``query`` on ``site`` in ``root``'s tree."""
    return f"search-suggestions:{_generation()}:{site.pk}:{root.pk}:{_digest(query)}"


def get_or_make(cache_key, make):
    """The entry at ``cache_key``, made by ``make()`` and kept if it is not there."""
    found = cache.get(cache_key)
    if found is None:
        found = make()
        cache.set(cache_key, found, TIMEOUT)
    return found


def forget_all():
    """Drop every cached search result (on every app server sharing the cache)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(post_save, sender=PromotedResult)
@receiver(post_delete, sender=PromotedResult)
def _search_results_changed(sender, **kwargs):
    forget_all()


@receiver(post_delete)
def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        forget_all()
