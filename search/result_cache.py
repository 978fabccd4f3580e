"""A short-lived cache of what a search found (and of the titles suggested as someone types),
so a popular search is worked out once a minute rather than on every request.

Entries are keyed by site, language tree, query and page number, and all of them are dropped
whenever anything a search shows may have changed: a page published, unpublished, moved or
deleted, a view restriction, a promotion or a site changed, in any process: their keys carry
the shared version tokens (``solh.versions``). Pages published since an entry was made reach
the search index in the background worker, so they may take up to ``TIMEOUT`` more seconds to
appear.
"""

import hashlib

from solh import versions

from .models import normalise_query

TIMEOUT = 60


def _generation():
    """The tokens in every entry's key (``solh.versions``): any of them moving, in any process,
    drops every entry at once."""
    return ":".join(
        versions.get(name) for name in (versions.LOOKUPS, versions.CONTENT, versions.SEARCH)
    )


def key(kind, site, root, query, *more):
    """The cache key of ``kind`` (``"results"``, with the page number as asked in ``?page=``
    in ``more``, or ``"suggestions"``) for ``query`` on ``site`` in ``root``'s tree. What was
    asked is hashed: the key holds no spaces or control characters (memcached refuses them)."""
    asked = "\n".join([normalise_query(query), *map(str, more)])
    digest = hashlib.sha256(asked.encode()).hexdigest()[:32]
    return f"search-{kind}:{_generation()}:{site.pk}:{root.pk}:{digest}"


def forget_all():
    """Drop every cached search result and promotion list, in every process. (Pages, sites and
    view restrictions move the content and lookups versions themselves.)"""
    versions.move(versions.SEARCH)
