from django.core.cache import cache

import pytest


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with no cached search results, suggestions or site chrome: the test
    database is rolled back after every test, the cache is not."""
    cache.clear()
    yield
    cache.clear()
