"""The report rate limit behind the load balancer: each real client has a bucket of its own, a
forged ``X-Forwarded-For`` escapes nothing, and every process counts in the same buckets.

(The limit's page and its proxy rules over HTTP are in ``test_flow.py``; these check the counts
themselves, where they are kept and that another process sees them.)
"""

import os
import subprocess
import sys

from django.conf import settings as django_settings
from django.core.cache import caches
from django.test import RequestFactory

import pytest

from reporting.abuse import client_key, over_rate_limit
from tests import databases
from tests.faults.processes import start_manage, stop, wait_for

PROXY = "10.0.0.5"
FIRST, SECOND = "203.0.113.7", "198.51.100.23"


@pytest.fixture
def behind_the_proxy(settings):
    settings.REPORT_RATE_LIMIT_PER_HOUR = 2
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/report/x/start/", **extra)


def starts(remote, forwarded=None, times=1):
    return [over_rate_limit(request_from(remote, forwarded), "start") for _ in range(times)]


@pytest.mark.django_db
def test_two_clients_through_a_trusted_proxy_have_separate_buckets(behind_the_proxy):
    assert starts(PROXY, FIRST, times=3) == [False, False, True]
    assert starts(PROXY, SECOND, times=2) == [False, False]
    # The proxy's own requests (a health check) are a client of their own.
    assert starts(PROXY) == [False]


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_from_an_untrusted_address_stays_in_its_bucket(
    behind_the_proxy,
):
    attacker = "192.0.2.66"
    assert [starts(attacker, f"198.51.100.{n}")[0] for n in range(3)] == [False, False, True]
    # Nor by writing hops before a trusted proxy's: the proxy's own hop is the client.
    assert starts(PROXY, f"198.51.100.9, {FIRST}", times=3) == [False, False, True]
    assert starts(PROXY, f"198.51.100.10, {FIRST}") == [True]


@pytest.mark.django_db
def test_starting_and_sending_are_counted_apart(behind_the_proxy):
    assert starts(PROXY, FIRST, times=3) == [False, False, True]
    assert over_rate_limit(request_from(PROXY, FIRST), "submit") is False


@pytest.mark.django_db
def test_an_ipv6_client_is_its_64(behind_the_proxy):
    one = client_key(request_from("2001:db8:1:2::1"))
    assert client_key(request_from("2001:db8:1:2:ffff::9")) == one
    assert client_key(request_from("2001:db8:1:3::1")) != one
    # The key says nothing of the address.
    assert "2001" not in one and "203.0.113" not in client_key(request_from(FIRST))


@pytest.mark.django_db
def test_no_limit_when_it_is_zero(behind_the_proxy, settings):
    settings.REPORT_RATE_LIMIT_PER_HOUR = 0
    assert starts(PROXY, FIRST, times=5) == [False] * 5


def test_without_redis_the_counts_are_in_a_database_table():
    """The test settings are the demo's: no Redis, so the counts are kept where every process
    can see them, not in one process's memory."""
    cache = django_settings.CACHES[django_settings.RATELIMIT_USE_CACHE]
    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert cache["LOCATION"] == "solh_rate_limit"


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    [
        ("", "django.core.cache.backends.db.DatabaseCache"),
        ("redis://127.0.0.1:6379/9", "django_redis.cache.RedisCache"),
    ],
)
def test_the_rate_limit_cache_with_and_without_redis(redis_url, backend):
    code = (
        "from django.conf import settings; "
        "print(settings.RATELIMIT_USE_CACHE, "
        "settings.CACHES[settings.RATELIMIT_USE_CACHE]['BACKEND'])"
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=django_settings.BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "solh.settings.dev",
            "REDIS_URL": redis_url,
            "DATABASE_URL": "sqlite:///:memory:",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ratelimit", backend]


COUNT_STARTS = """
from django.test import RequestFactory
from reporting.abuse import over_rate_limit

for forwarded in {clients!r}:
    request = RequestFactory().post(
        "/report/x/start/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded
    )
    print(forwarded, over_rate_limit(request, "start"))
"""


@pytest.fixture
def database_of_its_own():
    """``DATABASE_URL`` of a migrated database for this test alone (a copy of the template),
    where real processes commit their counts without touching the test database."""
    name = f"solh_rate_limit_{os.getpid()}"
    with databases.postgres_server() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}" TEMPLATE "{databases.postgres_template()}"')
    try:
        yield databases.postgres_url(name)
    finally:
        with databases.postgres_server() as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def count_in_a_process(database_url, *clients):
    """Start a report for each client in a new ``manage.py shell``; what it answered."""
    process = start_manage(
        "shell",
        "-v",
        "0",
        "-c",
        COUNT_STARTS.format(clients=clients),
        env={
            "DATABASE_URL": database_url,
            "REPORT_RATE_LIMIT_PER_HOUR": "2",
            "TRUSTED_PROXIES": "10.0.0.0/24",
        },
    )
    wait_for(lambda: process.poll() is not None, "the process has counted", process)
    said = stop(process)
    assert process.returncode == 0, said
    words = said.split()
    return [
        (client, answer == "True") for client, answer in zip(words[::2], words[1::2], strict=True)
    ]


def test_every_process_counts_in_the_same_buckets(database_of_its_own):
    """Three real processes one after another, each with its own connection and memory: the
    second sees the first's two starts, and the third sees the second's."""
    assert count_in_a_process(database_of_its_own, FIRST, FIRST) == [
        (FIRST, False),
        (FIRST, False),
    ]
    assert count_in_a_process(database_of_its_own, FIRST, SECOND) == [
        (FIRST, True),
        (SECOND, False),
    ]
    assert count_in_a_process(database_of_its_own, SECOND, SECOND) == [
        (SECOND, False),
        (SECOND, True),
    ]
