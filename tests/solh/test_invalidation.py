"""One place hears every change the public could see (``solh.invalidation``), and always moves
the version tokens before it purges pages."""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

import pytest

from solh import page_cache, versions
from tests.factories import ContentPageFactory

pytestmark = pytest.mark.django_db

SIGNALS = [
    page_published,
    page_unpublished,
    post_page_move,
    page_slug_changed,
    post_save,
    post_delete,
    pre_save,
    pre_delete,
]
# The modules that own what a change invalidates: they expose functions, not receivers.
OWNERS = ("home.lookups", "solh.purge", "home.site_context", "search.result_cache")


def test_no_owner_of_a_cache_listens_for_changes_itself():
    modules = set()
    for signal in SIGNALS:
        for _key, reference, *_rest in signal.receivers:
            function = reference() if callable(reference) else reference
            modules.add(getattr(function, "__module__", ""))
    assert "solh.invalidation" in modules
    assert not modules & set(OWNERS)


@pytest.fixture
def calls(monkeypatch):
    """Every move of the version tokens and every page-cache purge, in order."""
    recorded = []
    move, tombstone, bump = versions._move, page_cache.tombstone_keys, page_cache.bump_generations

    def recording(name, function):
        def record(*args, **kwargs):
            recorded.append(name)
            return function(*args, **kwargs)

        return record

    monkeypatch.setattr(versions, "_move", recording("versions", move))
    monkeypatch.setattr(page_cache, "tombstone_keys", recording("purge", tombstone))
    monkeypatch.setattr(page_cache, "bump_generations", recording("purge", bump))
    return recorded


@pytest.mark.parametrize("store", ["cache", "database"])
def test_a_publish_moves_the_versions_before_any_purge_now_and_at_the_commit(
    forces, settings, calls, store, django_capture_on_commit_callbacks
):
    """A purge never works from what a process read before the change: the tokens move
    first, and with Redis again first when the change commits."""
    settings.SHARED_VERSIONS = store
    advice = forces["met"].site.root_page.get_children().get(slug="advice").specific
    page = ContentPageFactory(parent=advice, title="Lock your shed", slug="lock-your-shed")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        calls.clear()
        page.save_revision().publish()
    during = list(calls)
    calls.clear()
    for callback in callbacks:  # as the commit runs them
        callback()
    at_commit = list(calls)
    assert during[0] == "versions" and "purge" in during
    if store == "cache":
        assert at_commit[0] == "versions" and "purge" in at_commit
    else:  # written in the transaction of the change: nothing to move again
        assert "versions" not in at_commit and "purge" in at_commit
