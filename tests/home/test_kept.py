"""The per-process store of values kept under versioned keys (``home.lookups.Kept``): least
recently used first out, bounded both by entries and by the text kept."""

from home.lookups import Kept


def test_the_least_recently_used_goes_first_past_the_number_of_entries():
    kept = Kept(size=3, max_bytes=3000)
    for key in "abc":
        kept.set(key, key)
    assert kept.get("a") == "a"  # now the most recently used
    kept.set("d", "d")
    assert kept.get("b") is None
    assert [kept.get(key) for key in "acd"] == ["a", "c", "d"]


def test_large_texts_are_bounded_by_their_size():
    kept = Kept(size=100, max_bytes=10_000)
    for number in range(5):
        kept.set(number, "x" * 3000)
    assert [kept.get(number) is not None for number in range(5)] == [False, False, True, True, True]


def test_a_text_larger_than_the_whole_store_is_made_but_not_kept():
    kept = Kept(size=10, max_bytes=1000)
    kept.set("small", "s")
    assert kept.get_or_make("big", lambda: "x" * 5000) == "x" * 5000
    assert kept.get("big") is None
    assert kept.get("small") == "s"


def test_get_or_make_makes_once():
    kept = Kept(size=10, max_bytes=1000)
    made = []
    for _ in range(3):
        kept.get_or_make("key", lambda: made.append(1) or "value")
    assert made == [1]


def test_the_fragment_cache_keeps_text_itself_and_nothing_for_a_timeout_of_zero():
    """``{% cache %}``'s store (``CACHES["template_fragments"]``) is ``kept``: the same string
    comes back (not an unpickled copy), a preview's timeout of 0 keeps nothing, and ``clear``
    (which operators and the bench call on every alias) empties it."""
    from django.core.cache import caches

    fragments = caches["template_fragments"]
    text = "<header>Thames Valley Police</header>"
    fragments.set("header", text)
    assert fragments.get("header") is text
    fragments.set("preview", "<p>draft</p>", timeout=0)
    assert fragments.get("preview", "missing") == "missing"
    fragments.clear()
    assert fragments.get("header") is None
