"""``make bench``: pages per second, latency and queries per page under gunicorn + PostgreSQL.

The constants here are shared by the bench settings and the runner, without side effects.
"""

BENCH_DATABASE_NAME = "solh_bench"
BENCH_DOMAIN = "bench.localhost"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
BENCH_CACHE_PREFIX = "solh-bench"
