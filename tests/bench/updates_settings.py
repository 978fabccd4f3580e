"""Settings for the inbound status-update benchmark (``tests.bench.report_updates``): the bench
settings, on a database of its own (``solh_bench_updates``), so that it never touches (or needs)
the national dataset ``tests.bench.run`` builds."""

import dj_database_url

from tests.bench.settings import *  # noqa: F403
from tests.bench.settings import BENCH_POSTGRES_URL

UPDATES_DATABASE_NAME = "solh_bench_updates"

DATABASES = {
    "default": dj_database_url.parse(
        f"{BENCH_POSTGRES_URL.rstrip('/')}/{UPDATES_DATABASE_NAME}", conn_max_age=60
    )
}
