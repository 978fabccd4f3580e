"""Settings of the feedback component's bench (``tests.bench.feedback_cost``): the bench's, on a
small database of its own, with cache keys of its own per variant.

``BENCH_FEEDBACK_VARIANT``: ``with`` (the site as it is) or ``without`` (the "Is this page
useful?" component's template replaced by an empty one, from ``BENCH_FEEDBACK_TEMPLATES``), so
the two servers of a run never read each other's cached pages.
"""

import os

from tests.bench.settings import *  # noqa: F403
from tests.bench.settings import BENCH_CACHE_PREFIX, BENCH_POSTGRES_URL

FEEDBACK_BENCH_DATABASE = "solh_bench_feedback"
VARIANT = os.environ.get("BENCH_FEEDBACK_VARIANT", "with")

DATABASES["default"]["NAME"] = FEEDBACK_BENCH_DATABASE  # noqa: F405
assert BENCH_POSTGRES_URL  # the server comes from the bench's settings; the database is ours

for _alias, _cache in CACHES.items():  # noqa: F405
    if "KEY_PREFIX" in _cache:
        _cache["KEY_PREFIX"] = f"{BENCH_CACHE_PREFIX}-feedback-{VARIANT}-{_alias}"

if VARIANT == "without":
    TEMPLATES[0]["DIRS"] = [  # noqa: F405
        os.environ["BENCH_FEEDBACK_TEMPLATES"],
        *TEMPLATES[0]["DIRS"],  # noqa: F405
    ]
