"""Version tokens that every process shares: how a change made in one process (a web worker,
``run_worker``, a management command, a shell) reaches every other on its next request.

Each process keeps what it works out from the database (sites, routes, rendered fragments, the
site chrome, search results, anonymous pages) under keys that carry the tokens it was made at.
A change moves its token to a new random value; every process reads the tokens once per request
(``for_request``), so what it kept under an old token is never used again.

Where the tokens live (``SHARED_VERSIONS``):

- ``"database"`` (the default without ``REDIS_URL``, and in tests): a token is the set of ids
  of its rows in ``solh_versionstamp``, all read in one query per request. A move inserts a row
  in the transaction that makes the change, so it is committed (or rolled back) with it: no
  process can see the change under the old token. An insert never waits for another writer,
  so a long transaction (onboarding a force) holds up no one. Once the change has committed,
  the token's older rows are replaced by one new row (``_tidy``): every token ever read holds
  an id never seen before, so no token comes back.
- ``"cache"`` (the default with ``REDIS_URL``): keys in the shared cache, moved at once and again
  once the change commits (a process that read between the two saw the data as it was before
  the commit, and reads it again). If the cache cannot be reached, each reading gets tokens of
  its own, so nothing kept is reused.
"""

import hashlib
import secrets
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

# Sites (which one a host is), locales, view restrictions and force settings.
LOOKUPS = "lookups"
# Live content: a page published, unpublished, moved or deleted; a site, image or document.
CONTENT = "content"
# The site chrome (menu, languages) when it changes without a signal saying so.
CHROME = "chrome"
# Search promotions (search results also follow the content and the lookups).
SEARCH = "search"
NAMES = (LOOKUPS, CONTENT, CHROME, SEARCH)

# The tokens read at the start of the request being served, if any.
_reading = ContextVar("solh_versions", default=None)
# How many times this thread read the store, and how many times when it last moved a token.
_reads = ContextVar("solh_versions_reads", default=0)
_reads_at_move = ContextVar("solh_versions_reads_at_move", default=-1)
# The tokens moved inside the current ``coalesced()``, if any.
_coalescing = ContextVar("solh_versions_coalescing", default=None)


def _read():
    _reads.set(_reads.get() + 1)
    return store().read()


def _new_value():
    return secrets.randbits(62)


def _compact(token):
    """A token short enough for any cache key: the ids themselves while they are few (one after
    each tidy), a hash of them when a token has gathered many rows (as in a long transaction)."""
    if len(token) <= 24:
        return token
    return "h" + hashlib.blake2b(token.encode(), digest_size=12).hexdigest()


class DatabaseStore:
    """Tokens as rows of ``VersionStamp``: what every process shares without Redis."""

    def read(self):
        from .models import VersionStamp

        ids = {name: [] for name in NAMES}
        for name, pk in VersionStamp.objects.filter(name__in=NAMES).values_list("name", "pk"):
            ids[name].append(pk)
        return {
            name: _compact(",".join(map(str, sorted(found))) or "0") for name, found in ids.items()
        }

    def move(self, names):
        from .models import VersionStamp

        if not connection.in_atomic_block:
            _tidy(names)
        else:
            VersionStamp.objects.bulk_create([VersionStamp(name=name) for name in names])
            waiting = _on_commit(_tidy)
            for name in set(names) - waiting:
                transaction.on_commit(partial(_tidy, {name}), robust=True)
        # This process's own reading: new, so it reuses nothing kept before the change.
        return {name: f"moved-{_new_value()}" for name in names}


def _tidy(names):
    """Replace each token's rows by one new row (see the module's docstring)."""
    from .models import VersionStamp

    with transaction.atomic():
        for name in sorted(names):
            stamp = VersionStamp.objects.create(name=name)
            VersionStamp.objects.filter(name=name, pk__lt=stamp.pk).delete()


class CacheStore:
    """Tokens in the shared cache (Redis)."""

    @staticmethod
    def _key(name):
        return f"versions:{name}"

    def read(self):
        keys = {self._key(name): name for name in NAMES}
        found = cache.get_many(keys)
        missing = [key for key in keys if key not in found]
        if missing:
            for key in missing:
                cache.add(key, str(_new_value()), None)
            found.update(cache.get_many(missing))
        # Without the cache (Redis down), tokens of this reading's own: nothing kept is reused,
        # since a change could not be told.
        return {name: found.get(key) or f"x{_new_value()}" for key, name in keys.items()}

    def move(self, names):
        values = {name: str(_new_value()) for name in names}
        cache.set_many({self._key(name): value for name, value in values.items()}, None)
        return values


def store():
    """The store ``SHARED_VERSIONS`` names."""
    return DatabaseStore() if in_database() else CacheStore()


def in_database():
    """Are the tokens kept in the database (no shared cache)?"""
    return settings.SHARED_VERSIONS == "database"


@contextmanager
def for_request():
    """Read every token once for the request served inside (one query, or one cache read).
    Nested uses share the outer reading."""
    if _reading.get() is not None:
        yield
        return
    token = _reading.set(_read())
    try:
        yield
    finally:
        _reading.reset(token)


def get(name):
    """The current token ``name``: the request's reading, else read now."""
    reading = _reading.get()
    if reading is None:
        reading = _read()
    return reading[name]


def move(*names):
    """Move the tokens ``names``: whatever every process kept under them is worked out again
    (this request's own reading moves too, so what it renders after the change is new). In
    the cache, they move again once the change commits.

    Inside ``coalesced()``, a token moved there and not read since is not moved again (see
    ``coalesced``)."""
    moved = _coalescing.get()
    if (
        moved is not None
        and names
        and all(name in moved for name in names)
        and _reads.get() == _reads_at_move.get()
        and set(names) <= _moving_on_commit()
    ):
        reading = _reading.get()
        if reading is not None:
            reading.update({name: f"moved-{_new_value()}" for name in names})
        return
    _move(names)
    _reads_at_move.set(_reads.get())
    if moved is not None:
        moved.update(names)
    if not in_database():
        # Moved again after the commit (see above).
        transaction.on_commit(partial(_move, names))


@contextmanager
def coalesced():
    """Inside, in a transaction, a token moved once is not moved in the store again unless
    this thread has read it since (its connection alone sees the transaction's changes, and
    other processes none before the commit, when it moves again): writing the 43 forces'
    copies of a national page moves each token once, not once per copy. Each move still
    moves the reading of the request being served."""
    if _coalescing.get() is not None:
        yield
        return
    token = _coalescing.set(set())
    try:
        yield
    finally:
        _coalescing.reset(token)


def _moving_on_commit():
    """The tokens that move again when the current transaction commits (none outside one)."""
    return _on_commit(_move, _tidy)


def _on_commit(*functions):
    """The tokens given to ``functions`` by the callbacks waiting for the current transaction
    to commit."""
    if not connection.in_atomic_block:
        return set()
    return {
        name
        for _sids, func, _robust in connection.run_on_commit
        if isinstance(func, partial) and func.func in functions
        for name in func.args[0]
    }


def _move(names):
    values = store().move(names)
    reading = _reading.get()
    if reading is not None:
        reading.update(values)
