"""``make bench``: the platform at national scale under gunicorn, measured against a floor.

    .venv/bin/python -m tests.bench.run [--concurrency 4] [--requests 3000] [--seconds 9]
                                        [--rounds 3] [--reuse-dataset] [--dataset-only]
                                        [--output PATH] [--only pages|reports|soak]
                                        [--no-soak] [--soak-seconds 300] …

1. Collects static files into a temporary ``STATIC_ROOT`` (production's manifest storage).
2. Builds the national dataset (``tests.bench.dataset``: 43 forces, a 500-article national
   library on every force's site, 50 local pages and 100 news items per force) in a fresh
   PostgreSQL database, counting the queries each page makes (in-process, page cache off) once
   the first three forces have their content and again with all 43. ``--reuse-dataset`` keeps
   the database of an earlier build when it holds a complete dataset of the current shape
   (the build records it), and rebuilds it otherwise.
3. Counts, in-process, that a page served from the page cache makes no query, and times
   publishing a national article (new, edit, delete) with every force onboarded.
4. Starts two gunicorns on free loopback ports: the *cached* one as production runs (page
   cache on) and an *uncached* one with ``PAGE_CACHE_ENABLED=false``. Warms every scenario up
   on both, then drives them in interleaved rounds with a closed-loop load generator (a fixed
   number of keep-alive connections, each sending its next request as soon as the previous
   answer arrives, until the round's request count or time is used up), one server at a time:
   each page on the cached server, then on the uncached one, so every ratio comes from the
   same rounds. Every answer must be a 200 holding the scenario's markers, and every answer of
   the cached server for a cacheable page must say ``X-Page-Cache: hit`` (the uncached server
   must not answer from a cache at all), or the run fails. A journey step and a search with a
   query are never page-cached: they are measured on the uncached server only, after checking
   that the cached server answers them ``X-Page-Cache: bypass``.
5. Runs the reporting benchmark (``tests.bench.reports``) against the cached server, then the
   soak (``tests.bench.soak``: every force's pages and reports at a steady rate while the
   delivery worker is killed and restarted; ``--no-soak`` leaves it out) against a third
   gunicorn, cached too, sized for the soak's connections. Once the results are written, the
   run exits non-zero if the soak lost or doubled a report, or a request of it failed.
6. Reads the peak memory of every gunicorn worker (and the reporting benchmark reads its
   ``manage.py run_worker``'s), beside what the platform and a bare Wagtail project hold at
   startup (``tests.bench.startup_memory``), then writes ``.bench/results.json`` (everything),
   ``.bench/results.md`` (the table and the targets) and ``.bench/throughput.png``
   (``tests.bench.results``), with the servers' logs beside them. A run with ``--only`` keeps
   the other parts of the results file it replaces (``keep_earlier_results``).

The cache is Redis when it answers at ``BENCH_REDIS_URL`` (as in production), else each worker's
local memory; the results file says which.

The machine is shared and noisy, so every figure is also given relative to the *floor*: a view
that returns a few bytes through the full middleware stack, served by the same server in the
same rounds. Interleaving spreads slow drift in the machine's load over every scenario alike;
the floor's spread between rounds is reported as a measure of the noise. The server CPU time per
request (from ``/proc``) is the figure least disturbed by other load.

To add a measurement, add a ``Scenario`` to ``scenarios()`` (and, if it needs content, build
it in ``dataset.py``).
"""

import argparse
import contextlib
import ctypes
import ctypes.util
import datetime
import http.client
import json
import math
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from tests.bench import (
    BENCH_DATABASE_NAME,
    BENCH_DOMAIN,
    DEFAULT_POSTGRES_URL,
    DEFAULT_REDIS_URL,
    search_bench,
    security_cost,
    startup_memory,
)

REPO = Path(__file__).resolve().parents[2]
SETTINGS_MODULE = "tests.bench.settings"
DEFAULT_OUTPUT = REPO / ".bench" / "results.json"
FLOOR = "floor"
CACHE_HEADER = "X-Page-Cache"
# The two servers of a run: the page cache on (production) and off; and the soak's (cached).
CACHED, UNCACHED, SOAK = "cached", "uncached", "soak"

# The server: gthread workers with one thread each. Pages are CPU-bound Python, so on two cores
# more threads would only contend for the GIL. Each worker takes at most its share of the
# client's connections (--worker-connections), so keep-alive connections cannot pile up on
# one worker while the other idles; the load generator's concurrency should therefore be a
# multiple of WORKERS.
WORKERS = 2
WORKER_CLASS = "gthread"
THREADS = 1
KEEP_ALIVE_SECONDS = 5
START_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 10
REQUEST_TIMEOUT_SECONDS = 10
WARMUP_REQUESTS = 200
WARMUP_SECONDS = 1.5
# Requests to the cached server that must each answer "bypass", for the pages never cached.
BYPASS_CHECKS = 20


class BenchError(Exception):
    """The benchmark cannot go on; the message says why."""


@dataclass(frozen=True)
class Scenario:
    """One page to measure: GET ``path`` with ``Host: host`` (and ``headers``); the body must
    hold ``markers``.

    ``cacheable``: an anonymous page the page cache must serve. ``False`` for pages that are
    never cached by design (a journey step, a search with a query): measured uncached only.
    ``journey``: the path is a step of a journey that needs a draft: one is started first and
    its cookies sent with every request.
    """

    name: str
    host: str
    path: str
    markers: tuple[str, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    cacheable: bool = True
    journey: str = ""
    note: str = ""

    @property
    def url(self):
        return f"http://{self.host}{self.path}"


def scenarios(only=None):
    """What ``make bench`` measures, floor first.

    ``only="reports"`` or ``"soak"``: the floor alone (the server's readiness check; the
    reporting benchmark also measures against it).
    """
    from django.conf import settings

    from tests.bench import dataset
    from tests.bench.urls import FLOOR_BODY, FLOOR_PATH

    force_host = dataset.force_host(dataset.MEASURED_FORCE)
    force_name = dataset.force_name(dataset.MEASURED_FORCE)
    floor = Scenario(FLOOR, force_host, FLOOR_PATH, (FLOOR_BODY.decode(),))
    if only in ("reports", "soak"):
        return [floor]
    latest = dataset.latest_headline()
    return [
        floor,
        Scenario("hub home", settings.BASE_DOMAIN, "/", ("Find your police force", force_name)),
        Scenario("force home", force_host, "/", (force_name, latest)),
        Scenario(
            "national advice",
            force_host,
            dataset.NATIONAL_PATH,
            (dataset.NATIONAL_TITLE, force_name),
            note="a national article: the force's alias of the hub's page",
        ),
        Scenario(
            "local advice",
            force_host,
            dataset.CONTENT_PATH,
            (dataset.CONTENT_TITLE, force_name),
            note="the force's own page in its copy of /advice/",
        ),
        Scenario("news article", force_host, dataset.news_path(0), (latest, force_name)),
        Scenario("news index", force_host, dataset.NEWS_INDEX_PATH, (latest, force_name)),
        Scenario(
            "journey first step",
            force_host,
            f"{dataset.REPORT_JOURNEY_PATH}step/{dataset.REPORT_FIRST_STEP}/",
            ('name="in_danger"', force_name),
            cacheable=False,
            journey=dataset.REPORT_JOURNEY_PATH,
            note="a draft's first step (its cookie sent): never page-cached",
        ),
        Scenario(
            "search",
            force_host,
            f"/search/?q={search_bench.COMMON_TERM}",
            (f"results for “{search_bench.COMMON_TERM}”", "<mark>"),
            cacheable=False,
            note="a query string: never page-cached",
        ),
    ]


# --- Measuring ---------------------------------------------------------------------------


def check_response(scenario, status, body):
    """Raise ``BenchError`` unless the answer is a 200 holding every marker."""
    if status != 200:
        raise BenchError(
            f"{scenario.name}: GET {scenario.url} answered {status}, not 200.\n"
            f"{body[:500].decode(errors='replace')}"
        )
    missing = [marker for marker in scenario.markers if marker.encode() not in body]
    if missing:
        raise BenchError(
            f"{scenario.name}: GET {scenario.url} answered 200 without {missing!r} in its body "
            f"({len(body)} bytes)."
        )


def check_cache_header(scenario, value, expect, server_name="the server"):
    """Raise ``BenchError`` unless ``X-Page-Cache`` is as expected: ``"hit"``, ``"bypass"``,
    ``"absent"`` (no page cache at all), or anything (``expect`` is ``None``)."""
    if expect is None:
        return
    if expect == "absent":
        if value is not None:
            raise BenchError(
                f"{scenario.name}: {server_name} (page cache off) answered {CACHE_HEADER}: "
                f"{value}; with PAGE_CACHE_ENABLED=false it must not touch the page cache."
            )
        return
    if value != expect:
        what = "served from the page cache" if expect == "hit" else "left out of the page cache"
        raise BenchError(
            f"{scenario.name}: GET {scenario.url} on {server_name} should be {what} "
            f"({CACHE_HEADER}: {expect}), but it answered {CACHE_HEADER}: {value or '(none)'}."
        )


def _client_get(client, scenario, **extra):
    return client.get(scenario.path, HTTP_HOST=scenario.host, **extra)


def _in_process_client(scenario):
    """A test client; for a journey step, one holding a draft of the journey (started by a
    ``POST`` to its ``start/``, as a browser does)."""
    from django.test import Client

    client = Client()
    journey = getattr(scenario, "journey", "")
    if journey:
        client.get(journey, HTTP_HOST=scenario.host)
        response = client.post(f"{journey}start/", HTTP_HOST=scenario.host)
        if response.status_code != 302:
            raise BenchError(
                f"{scenario.name}: POST {journey}start/ answered "
                f"{response.status_code}, not a redirect to the first step."
            )
    return client


def count_queries(scenario):
    """Database queries the page makes in-process with the page cache off, once its other
    caches are warm: what an uncached render costs."""
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    with override_settings(PAGE_CACHE_ENABLED=False):
        client = _in_process_client(scenario)
        _client_get(client, scenario)
        with CaptureQueriesContext(connection) as context:
            response = _client_get(client, scenario)
    check_response(scenario, response.status_code, response.content)
    return [query["sql"] for query in context.captured_queries]


def count_cached_queries(scenario):
    """``(X-Page-Cache, queries)`` of the page in-process with the page cache on, once it has
    been stored: a hit must make no query."""
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    with override_settings(PAGE_CACHE_ENABLED=True):
        client = _in_process_client(scenario)
        _client_get(client, scenario)
        _client_get(client, scenario)
        with CaptureQueriesContext(connection) as context:
            response = _client_get(client, scenario)
    check_response(scenario, response.status_code, response.content)
    return response.headers.get(CACHE_HEADER), [q["sql"] for q in context.captured_queries]


def count_all_queries(scenario_list):
    """``{name: [sql, ...]}`` of every scenario but the floor, uncached."""
    return {
        scenario.name: count_queries(scenario)
        for scenario in scenario_list
        if scenario.name != FLOOR
    }


def percentile(ordered, fraction):
    """The ``fraction`` quantile of an ascending list, interpolating between neighbours."""
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Sample:
    """What one load run measured."""

    latencies: list = field(default_factory=list)
    seconds: float = 0.0
    body_bytes: int = 0
    cpu_seconds: float | None = None
    client_cpu_seconds: float = 0.0
    closed_by_server: int = 0
    cache_headers: Counter = field(default_factory=Counter)

    @property
    def requests(self):
        return len(self.latencies)

    @property
    def throughput(self):
        return self.requests / self.seconds if self.seconds else math.nan

    def merge(self, other):
        cpu = None
        if self.cpu_seconds is not None and other.cpu_seconds is not None:
            cpu = self.cpu_seconds + other.cpu_seconds
        return Sample(
            latencies=self.latencies + other.latencies,
            seconds=self.seconds + other.seconds,
            body_bytes=self.body_bytes + other.body_bytes,
            cpu_seconds=cpu,
            client_cpu_seconds=self.client_cpu_seconds + other.client_cpu_seconds,
            closed_by_server=self.closed_by_server + other.closed_by_server,
            cache_headers=self.cache_headers + other.cache_headers,
        )

    def figures(self):
        ordered = sorted(self.latencies)
        cpu_ms = None
        if self.cpu_seconds is not None and self.requests:
            cpu_ms = round(1000 * self.cpu_seconds / self.requests, 3)
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "requests_per_second": round(self.throughput, 1),
            "latency_ms": {
                "p50": round(1000 * percentile(ordered, 0.50), 2),
                "p95": round(1000 * percentile(ordered, 0.95), 2),
                "p99": round(1000 * percentile(ordered, 0.99), 2),
                "mean": round(1000 * sum(ordered) / len(ordered), 2),
                "max": round(1000 * ordered[-1], 2),
            },
            "body_bytes": self.body_bytes // max(self.requests, 1),
            "server_cpu_ms_per_request": cpu_ms,
            "client_cpu_ms_per_request": round(
                1000 * self.client_cpu_seconds / max(self.requests, 1), 3
            ),
            # Answers after which the server closed the connection (keep-alive refused).
            "connections_closed_by_server": self.closed_by_server,
            # How the page cache says it served them ("none": no X-Page-Cache header).
            "page_cache": dict(sorted(self.cache_headers.items())),
        }


def drive(
    port,
    scenario,
    *,
    concurrency,
    max_requests,
    max_seconds,
    cpu_clock=None,
    expect_cache=None,
    server_name="the server",
):
    """Closed-loop load: ``concurrency`` keep-alive connections until either bound is reached.

    ``expect_cache``: what every answer's ``X-Page-Cache`` must say (``check_cache_header``).
    """
    lock = threading.Lock()
    stop = threading.Event()
    start = threading.Barrier(concurrency + 1)
    issued = 0
    failures = []
    per_thread = [[] for _ in range(concurrency)]
    sizes = [0] * concurrency
    closes = [0] * concurrency
    headers_seen = [Counter() for _ in range(concurrency)]
    headers = {
        "Host": scenario.host,
        "User-Agent": "solh-bench",
        "Accept": "text/html",
        **dict(getattr(scenario, "headers", ())),
    }
    deadline = 0.0

    def take_ticket():
        nonlocal issued
        with lock:
            if issued >= max_requests:
                return False
            issued += 1
            return True

    def client(index):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS)
        latencies = per_thread[index]
        try:
            start.wait()
            while not stop.is_set() and time.monotonic() < deadline and take_ticket():
                began = time.perf_counter()
                connection.request("GET", scenario.path, headers=headers)
                response = connection.getresponse()
                body = response.read()
                latencies.append(time.perf_counter() - began)
                check_response(scenario, response.status, body)
                served = response.getheader(CACHE_HEADER)
                check_cache_header(scenario, served, expect_cache, server_name)
                headers_seen[index][served or "none"] += 1
                sizes[index] += len(body)
                closes[index] += response.will_close
        except BenchError as error:
            failures.append(error)
        except (OSError, http.client.HTTPException) as error:
            failures.append(BenchError(f"{scenario.name}: GET {scenario.url} failed: {error!r}"))
        finally:
            if failures:
                stop.set()
            connection.close()

    threads = [
        threading.Thread(target=client, args=(index,), daemon=True) for index in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    cpu_before = cpu_clock() if cpu_clock else None
    client_cpu_before = time.process_time()
    began = time.monotonic()
    deadline = began + max_seconds
    try:
        start.wait()
        for thread in threads:
            thread.join()
    finally:
        stop.set()
    elapsed = time.monotonic() - began
    client_cpu = time.process_time() - client_cpu_before
    cpu_after = cpu_clock() if cpu_clock else None
    if failures:
        raise failures[0]
    cpu = None
    if cpu_before is not None and cpu_after is not None:
        cpu = cpu_after - cpu_before
    return Sample(
        latencies=[value for values in per_thread for value in values],
        seconds=elapsed,
        body_bytes=sum(sizes),
        cpu_seconds=cpu,
        client_cpu_seconds=client_cpu,
        closed_by_server=sum(closes),
        cache_headers=sum(headers_seen, Counter()),
    )


def start_journey_draft(port, scenario):
    """Start a draft of ``scenario.journey`` on the server as a browser does (its start page for
    the CSRF cookie and token, then ``POST start/``); return the scenario with the browser's
    cookies as a ``Cookie`` header, ready to get the step again and again."""
    from tests.bench.reports import Browser, expect, follow

    browser = Browser(port, scenario.host, scenario.journey, [], b"")
    try:
        browser.open_start_page()
        answer = browser.post(f"{scenario.journey}start/", {}, "start")
        follow(answer, scenario.path, "the start")
        expect(browser.request("GET", scenario.path), 200, f"GET {scenario.path}")
    finally:
        browser.close()
    cookie = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
    return replace(scenario, headers=(("Cookie", cookie),))


# --- The servers ----------------------------------------------------------------------------


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_parent():
    """In the child, before exec: have Linux send SIGTERM to gunicorn if the runner dies."""
    libc_name = ctypes.util.find_library("c")
    if libc_name and sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(libc_name, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def spawn(command, log, environment):
    """Start ``command`` in the repository with its output in the open file ``log``: in a
    session of its own (Ctrl-C reaches only the runner, which stops it), and told to stop if
    the runner dies."""
    return subprocess.Popen(
        command,
        cwd=REPO,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )


def _process_cpu_seconds(pid):
    """User + system CPU seconds of process ``pid`` (Linux ``/proc``), or ``None``."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_memory(pid):
    """Memory of process ``pid`` in MB (Linux ``/proc``): ``peak_rss_mb`` (``VmHWM``, the most
    it has held), ``rss_mb`` now, ``pss_mb`` (its proportional share of pages it shares with
    other processes, such as the gunicorn workers' copy-on-write pages from the master) and
    ``uss_mb`` (the pages only it holds: what one more such process costs), or ``None`` if the
    process is gone."""
    fields = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _colon, value = line.partition(":")
            if name in ("VmHWM", "VmRSS"):
                fields[name] = int(value.split()[0]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    rollup = {}
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _colon, value = line.partition(":")
            if name in ("Pss", "Private_Clean", "Private_Dirty"):
                rollup[name] = int(value.split()[0]) / 1024
    private = (
        rollup["Private_Clean"] + rollup["Private_Dirty"]
        if "Private_Clean" in rollup and "Private_Dirty" in rollup
        else None
    )

    def mb(value):
        return None if value is None else round(value, 1)

    return {
        "pid": pid,
        "peak_rss_mb": mb(fields.get("VmHWM")),
        "rss_mb": mb(fields.get("VmRSS")),
        "pss_mb": mb(rollup.get("Pss")),
        "uss_mb": mb(private),
    }


def _children(pid):
    """PIDs whose parent is ``pid`` (Linux ``/proc``)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid:
            found.append(int(entry.name))
    return sorted(found)


class Server:
    """gunicorn serving ``solh.wsgi`` under the bench settings; always stopped on exit.

    ``name``: ``"cached"`` or ``"soak"`` (production's settings), or ``"uncached"``
    (``page_cache=False``: the environment sets ``PAGE_CACHE_ENABLED=false``, and the page cache
    middleware does nothing).
    """

    def __init__(self, workdir, concurrency, name=CACHED, page_cache=True):
        self.name = name
        self.page_cache = page_cache
        self.port = free_port()
        self.log_path = Path(workdir) / f"gunicorn-{name}.log"
        self.worker_connections = max(math.ceil(concurrency / WORKERS), THREADS + 1)
        self.process = None
        self.workers = []

    def command(self):
        return [
            sys.executable, "-m", "gunicorn", "solh.wsgi:application",
            # Production's: the application preloaded, frozen before each fork.
            "--config", str(REPO / "gunicorn.conf.py"),
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(WORKERS),
            "--worker-class", WORKER_CLASS,
            "--threads", str(THREADS),
            "--worker-connections", str(self.worker_connections),
            "--keep-alive", str(KEEP_ALIVE_SECONDS),
            "--no-control-socket",
            "--graceful-timeout", "5",
            "--log-level", "warning",
        ]  # fmt: skip

    def describe(self):
        return {
            "software": f"gunicorn {metadata.version('gunicorn')}",
            "app": "solh.wsgi:application",
            "settings": SETTINGS_MODULE,
            "page_cache": self.page_cache,
            "workers": WORKERS,
            "worker_class": WORKER_CLASS,
            "threads": THREADS,
            "worker_connections": self.worker_connections,
            "keep_alive_seconds": KEEP_ALIVE_SECONDS,
            "config": "gunicorn.conf.py",
            "preload": True,
            "bind": f"127.0.0.1:{self.port}",
        }

    def __enter__(self):
        environment = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE}
        environment["PAGE_CACHE_ENABLED"] = "true" if self.page_cache else "false"
        with self.log_path.open("wb") as log:
            self.process = spawn(self.command(), log, environment)
        return self

    def __exit__(self, *exc_info):
        self.stop()
        with contextlib.suppress(OSError):
            # Kept for a look afterwards, next to the results.
            DEFAULT_OUTPUT.parent.mkdir(exist_ok=True)
            shutil.copyfile(self.log_path, DEFAULT_OUTPUT.parent / self.log_path.name)

    def log_tail(self, lines=40):
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def fail(self, message):
        return BenchError(
            f"{message}\n--- gunicorn ({self.name}) log (last lines) ---\n{self.log_tail()}"
        )

    def wait_until_ready(self, scenario):
        """Until every worker is up and the floor answers; raise if gunicorn gives up."""
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise self.fail(f"gunicorn exited with status {self.process.returncode}.")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", scenario.path, headers={"Host": scenario.host})
                response = connection.getresponse()
                body = response.read()
                connection.close()
            except (OSError, http.client.HTTPException):
                time.sleep(0.1)
                continue
            check_response(scenario, response.status, body)
            self.workers = _children(self.process.pid)
            if len(self.workers) >= WORKERS:
                return
            time.sleep(0.1)
        raise self.fail(f"gunicorn did not answer within {START_TIMEOUT_SECONDS} s.")

    def check_running(self):
        if self.process.poll() is not None:
            raise self.fail(f"gunicorn ({self.name}) stopped during the run.")

    def cpu_seconds(self):
        """CPU time used so far by the workers, or ``None`` if it cannot be told."""
        if _children(self.process.pid) != self.workers:
            return None  # a worker was replaced: its CPU time is lost
        times = [_process_cpu_seconds(pid) for pid in self.workers]
        return None if None in times else sum(times)

    def memory(self):
        """The master's and every worker's memory (``process_memory``), and whether a worker
        was replaced during the run (its peak would be lost)."""
        current = _children(self.process.pid)
        return {
            "master": process_memory(self.process.pid),
            "workers": [process_memory(pid) for pid in current],
            "workers_replaced": current != self.workers,
        }

    def stop(self):
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            # Gunicorn's quick shutdown: nothing is in flight that needs to finish.
            process.send_signal(signal.SIGINT)
            try:
                process.wait(STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(STOP_TIMEOUT_SECONDS)
        # Workers exit with their master; anything left in its process group goes too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        self.process = None


# --- The run -------------------------------------------------------------------------------


class Progress:
    def __init__(self):
        self.timings = {}

    @contextlib.contextmanager
    def step(self, key, label):
        print(f"  {label}…", end="", flush=True)
        began = time.monotonic()
        try:
            yield
        except BaseException:
            print(" failed", flush=True)
            raise
        self.timings[key] = round(time.monotonic() - began, 2)
        print(f" {self.timings[key]:.1f} s", flush=True)


def redis_reachable(url):
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 2):
            return True
    except OSError:
        return False


def clear_cache():
    """Drop the bench's keys in every cache (the page cache too; each has a prefix of the
    bench's own in Redis), whatever their version, so no run sees another's."""
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        cache = caches[alias]
        if hasattr(cache, "delete_pattern"):
            # Not delete_pattern("*"), which takes the default version's keys only: Wagtail
            # keeps its site root paths under version 2, and a stale copy (from a process that
            # read the sites before an onboarding committed) would outlive the run that left it.
            from django_redis.client.default import glob_escape

            client = cache.client.get_client(write=True)
            keys = list(client.scan_iter(match=f"{glob_escape(cache.key_prefix)}:*", count=1000))
            for start in range(0, len(keys), 1000):
                client.delete(*keys[start : start + 1000])
        else:
            cache.clear()


def machine_info(postgres_version):
    import django

    import wagtail

    return {
        "timestamp": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "psycopg": metadata.version("psycopg"),
        "postgresql": postgres_version,
    }


def build_dataset(progress, postgres_url, reuse, workdir):
    """Build the dataset (or, with ``reuse``, keep a complete one of the current shape).

    Returns what the build recorded (``dataset.mark_built``): its shape, when it was built,
    how long it took, and the queries per scenario with the first forces (``{name: count}``).
    """
    from django.db import connections

    from tests.bench import dataset

    if reuse:
        mark, why = dataset.reusable(postgres_url, BENCH_DATABASE_NAME)
        if mark is not None:
            with progress.step("migrate", "reusing the bench database; applying any migrations"):
                dataset.migrate()
            try:
                dataset.check_contents()
            except dataset.DatasetError as error:
                mark, why = None, str(error)
        if mark is not None:
            print(
                f"  reusing the dataset built {mark.get('built_at', '?')} "
                f"(in {mark.get('build_seconds', '?')} s)"
            )
            with progress.step("index", "making sure every page is in the search index"):
                search_bench.index_missing_pages()
            return {**mark, "reused": True}
        print(f"  rebuilding the dataset: {why}")
    began = time.monotonic()
    connections.close_all()
    with progress.step("database", f"recreating database {BENCH_DATABASE_NAME}"):
        dataset.recreate_database(postgres_url, BENCH_DATABASE_NAME)
    with progress.step("migrate", "migrating"):
        dataset.migrate()
    with progress.step(
        "library",
        f"the hub and its national library of {dataset.NATIONAL_ARTICLES} articles",
    ):
        dataset.build_national_library()
    first = len(dataset.CONTENT_FORCES)
    with progress.step("onboard_first", f"onboarding {first} forces, with their content"):
        dataset.onboard_first_forces()
        # Publishing queued the index updates for a worker that is not running: index now.
        search_bench.prepare_search_index()
    with progress.step("queries_first", f"counting queries per page with {first} forces"):
        first_counts = count_all_queries(scenarios())
    others = dataset.other_force_specs()
    with progress.step(
        "onboard_others",
        f"onboarding {len(others)} more forces, their content alongside (one dot each)",
    ):
        dataset.onboard_other_forces(workdir, tick=lambda: print(".", end="", flush=True))
    with progress.step("index", "indexing what is left for search"):
        search_bench.index_missing_pages()
        dataset.drop_queued_tasks()
    details = {
        "built_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "build_seconds": round(time.monotonic() - began, 1),
        "queries_with_first_forces": {name: len(sql) for name, sql in first_counts.items()},
    }
    dataset.mark_built(postgres_url, BENCH_DATABASE_NAME, details)
    return {"shape": dataset.shape(), **details, "reused": False, "sql_first": first_counts}


def check_page_cache_in_process(scenario_list):
    """``{name: {"served": X-Page-Cache, "queries": n}}`` in-process with the page cache on:
    a cacheable page must be a ``hit`` with no query (one, reading the version stamps, without
    Redis), the others a ``bypass``."""
    from django.conf import settings

    found = {}
    for scenario in scenario_list:
        if scenario.name == FLOOR:
            continue
        served, sql = count_cached_queries(scenario)
        expected = "hit" if scenario.cacheable else "bypass"
        if served != expected:
            raise BenchError(
                f"{scenario.name}: in-process, with the page cache on, the third GET of "
                f"{scenario.url} answered {CACHE_HEADER}: {served or '(none)'}, not {expected}."
                + (
                    ""
                    if served
                    else " Is solh.page_cache.PageCacheMiddleware in settings.MIDDLEWARE?"
                )
            )
        # With a shared cache, none; without, one: the version stamps (solh.versions).
        unexpected = [query for query in sql if "solh_versionstamp" not in query]
        allowed = 0 if settings.SHARED_VERSIONS == "cache" else 1
        if expected == "hit" and (unexpected or len(sql) > allowed):
            raise BenchError(
                f"{scenario.name}: a page served from the page cache made {len(sql)} queries, "
                f"not {allowed}:\n" + "\n".join(sql)
            )
        found[scenario.name] = {"served": served, "queries": len(sql)}
    return found


def measure(args, progress, workdir, scenario_list):
    """Serve the site twice (page cache on and off) and drive every scenario, then the
    reporting benchmark, then the soak on a server of its own; return the servers'
    descriptions, the pages' samples, the bypass checks, the reporting and soak figures (or
    ``None``) and the servers' memory."""
    from tests.bench import reports, soak

    concurrency = max(args.concurrency, args.report_concurrency or 0)
    pages = runs_pages(args)
    with contextlib.ExitStack() as stack:
        servers = {}
        if args.only != "soak":
            servers[CACHED] = stack.enter_context(Server(workdir, concurrency, CACHED))
        if pages:
            servers[UNCACHED] = stack.enter_context(
                Server(workdir, concurrency, UNCACHED, page_cache=False)
            )
        if runs_soak(args):
            # Sized for the soak's connections; the others' sizing is what their figures assume.
            servers[SOAK] = stack.enter_context(Server(workdir, soak.CONNECTIONS, SOAK))
        label = ", ".join(f"{name} on 127.0.0.1:{server.port}" for name, server in servers.items())
        with progress.step("server_start", f"starting gunicorn ({label})"):
            for server in servers.values():
                server.wait_until_ready(scenario_list[0])
        samples, bypass, reporting, soaked = {}, {}, None, None
        try:
            if pages:
                ready = prepare_scenarios(servers[UNCACHED], scenario_list)
                samples, bypass = drive_interleaved(args, progress, servers, ready)
            for server in servers.values():
                server.check_running()
            if args.only in (None, "reports"):
                reporting = reports.measure(args, progress, servers[CACHED], workdir)
            if runs_soak(args):
                soaked = soak.measure(args, progress, servers[SOAK], workdir)
        except BenchError as error:
            logs = "".join(
                f"\n--- gunicorn ({name}) log (last lines) ---\n{server.log_tail(20)}"
                for name, server in servers.items()
            )
            raise BenchError(f"{error}{logs}") from error
        for server in servers.values():
            server.check_running()
        memory = {name: server.memory() for name, server in servers.items()}
        described = {name: server.describe() for name, server in servers.items()}
        return described, samples, bypass, reporting, soaked, memory


def runs_pages(args):
    """Whether this run measures the pages."""
    return args.only in (None, "pages")


def runs_soak(args):
    """Whether this run ends with the soak."""
    return args.only == "soak" or (args.only is None and not args.no_soak)


def prepare_scenarios(server, scenario_list):
    """The scenarios as they are driven: a journey step gets its draft's cookies."""
    return [
        start_journey_draft(server.port, scenario) if scenario.journey else scenario
        for scenario in scenario_list
    ]


def plan_for(scenario_list):
    """``[(scenario, server name, expected X-Page-Cache), ...]`` in the order each round drives
    them: the floor and each cacheable page on the cached server then on the uncached one; the
    pages never cached on the uncached server only."""
    plan = []
    for scenario in scenario_list:
        if scenario.name == FLOOR:
            # Never from the cache (tests.bench.urls): the stack, with the cache's lookup.
            plan += [(scenario, CACHED, "bypass"), (scenario, UNCACHED, "absent")]
        elif scenario.cacheable:
            plan += [(scenario, CACHED, "hit"), (scenario, UNCACHED, "absent")]
        else:
            plan.append((scenario, UNCACHED, "absent"))
    return plan


def drive_interleaved(args, progress, servers, scenario_list):
    """Warm every scenario up on its servers, check that the pages never cached are bypassed
    by the cached server, then measure them all in ``args.rounds`` interleaved rounds.

    Returns ``({(name, server name): [Sample, ...]}, {name: bypass check})``.
    """
    plan = plan_for(scenario_list)
    bypass = {}
    with progress.step("warmup", "warming up every scenario on both servers"):
        for scenario, server_name, _expect in plan:
            drive(
                servers[server_name].port,
                scenario,
                concurrency=args.concurrency,
                max_requests=WARMUP_REQUESTS,
                max_seconds=WARMUP_SECONDS,
                server_name=f"the {server_name} server",
            )
        for scenario in scenario_list:
            if scenario.name != FLOOR and not scenario.cacheable:
                sample = drive(
                    servers[CACHED].port,
                    scenario,
                    concurrency=1,
                    max_requests=BYPASS_CHECKS,
                    max_seconds=WARMUP_SECONDS,
                    expect_cache="bypass",
                    server_name="the cached server",
                )
                bypass[scenario.name] = dict(sample.cache_headers)
    samples = {(scenario.name, server_name): [] for scenario, server_name, _expect in plan}
    for number in range(1, args.rounds + 1):
        with progress.step(f"round {number}", f"round {number}/{args.rounds}"):
            for scenario, server_name, expect in plan:
                server = servers[server_name]
                samples[scenario.name, server_name].append(
                    drive(
                        server.port,
                        scenario,
                        concurrency=args.concurrency,
                        max_requests=max(1, args.requests // args.rounds),
                        max_seconds=args.seconds / args.rounds,
                        cpu_clock=server.cpu_seconds,
                        expect_cache=expect,
                        server_name=f"the {server_name} server",
                    )
                )
    return samples, bypass


def drive_all(args, progress, server, scenario_list):
    """One server: warm every scenario up, then measure them all in ``args.rounds``
    interleaved rounds (``tests.bench.search_bench``). Returns ``{name: [Sample, ...]}``."""
    with progress.step("warmup", "warming up every scenario"):
        for scenario in scenario_list:
            drive(
                server.port,
                scenario,
                concurrency=args.concurrency,
                max_requests=WARMUP_REQUESTS,
                max_seconds=WARMUP_SECONDS,
            )
    samples = {scenario.name: [] for scenario in scenario_list}
    for number in range(1, args.rounds + 1):
        with progress.step(f"round {number}", f"round {number}/{args.rounds}"):
            for scenario in scenario_list:
                sample = drive(
                    server.port,
                    scenario,
                    concurrency=args.concurrency,
                    max_requests=max(1, args.requests // args.rounds),
                    max_seconds=args.seconds / args.rounds,
                    cpu_clock=server.cpu_seconds,
                )
                samples[scenario.name].append(sample)
    return samples


def ratio(value, base):
    if value is None or base in (None, 0) or math.isnan(value) or math.isnan(base):
        return None
    return round(value / base, 4)


def combined(runs):
    total = runs[0]
    for run in runs[1:]:
        total = total.merge(run)
    return total


def _vs_floor(figures, floor_figures):
    latency, base_latency = figures["latency_ms"], floor_figures["latency_ms"]
    return {
        "throughput": ratio(figures["requests_per_second"], floor_figures["requests_per_second"]),
        "p50": ratio(latency["p50"], base_latency["p50"]),
        "p95": ratio(latency["p95"], base_latency["p95"]),
        "server_cpu": ratio(
            figures["server_cpu_ms_per_request"], floor_figures["server_cpu_ms_per_request"]
        ),
    }


def spread(runs):
    """Slowest round's throughput over the fastest's (1.0: a quiet machine)."""
    rates = [run.throughput for run in runs]
    return ratio(min(rates), max(rates)) if len(rates) > 1 else None


def assemble_pages(scenario_list, samples, bypass, queries_first, queries_all, cached_checks):
    """Per scenario: its figures on each server it was driven on (every round pooled), with
    their ratios to that server's floor, and its queries; and the floor's spread per server."""
    floors = {
        server_name: combined(samples[FLOOR, server_name]).figures()
        for server_name in (CACHED, UNCACHED)
    }
    results = []
    for scenario in scenario_list:
        result = {
            "name": scenario.name,
            "host": scenario.host,
            "path": scenario.path,
            "cacheable": scenario.cacheable,
            "note": scenario.note,
        }
        for server_name in (CACHED, UNCACHED):
            runs = samples.get((scenario.name, server_name))
            if not runs:
                result[server_name] = None
                continue
            figures = combined(runs).figures()
            result[server_name] = {
                **figures,
                "vs_floor": _vs_floor(figures, floors[server_name]),
                "requests_per_second_by_round": [round(run.throughput, 1) for run in runs],
            }
        if scenario.name != FLOOR:
            result["bypass_check"] = bypass.get(scenario.name)
            result["queries"] = {
                "first_forces": queries_first.get(scenario.name),
                "all_forces": len(queries_all[scenario.name]),
                "cached_hit": (cached_checks.get(scenario.name) or {}).get("queries")
                if scenario.cacheable
                else None,
            }
            result["sql"] = queries_all[scenario.name]
        results.append(result)
    spreads = {
        server_name: spread(samples[FLOOR, server_name]) for server_name in (CACHED, UNCACHED)
    }
    return results, spreads


def assemble(scenario_list, samples, queries_first, queries_all):
    """One server's figures per scenario (``tests.bench.search_bench``), with ratios to its
    floor and the floor's spread."""
    floor_figures = combined(samples[FLOOR]).figures()
    results = []
    for scenario in scenario_list:
        runs = samples[scenario.name]
        figures = combined(runs).figures()
        results.append(
            {
                "name": scenario.name,
                "host": scenario.host,
                "path": scenario.path,
                **figures,
                "vs_floor": _vs_floor(figures, floor_figures),
                "requests_per_second_by_round": [round(run.throughput, 1) for run in runs],
                "queries": len(queries_all[scenario.name]),
                "queries_with_first_forces": (
                    len(queries_first[scenario.name]) if scenario.name in queries_first else None
                ),
                "sql": queries_all[scenario.name],
            }
        )
    return results, spread(samples[FLOOR])


def format_table(results, first_forces, all_forces):
    """An aligned text table of one server's figures (``tests.bench.search_bench``)."""
    columns = [
        ("scenario", "<", lambda r: r["name"]),
        ("requests", ">", lambda r: str(r["requests"])),
        ("req/s", ">", lambda r: f"{r['requests_per_second']:.1f}"),
        ("of floor", ">", lambda r: _fmt(r["vs_floor"]["throughput"], "{:.3f}")),
        ("p50 ms", ">", lambda r: f"{r['latency_ms']['p50']:.1f}"),
        ("p95 ms", ">", lambda r: f"{r['latency_ms']['p95']:.1f}"),
        ("p99 ms", ">", lambda r: f"{r['latency_ms']['p99']:.1f}"),
        ("CPU ms/req", ">", lambda r: _fmt(r["server_cpu_ms_per_request"], "{:.2f}")),
        ("kB", ">", lambda r: f"{r['body_bytes'] / 1024:.1f}"),
        (
            f"queries ({first_forces}->{all_forces} forces)",
            ">",
            lambda r: f"{_fmt(r['queries_with_first_forces'], '{}')} -> {r['queries']}",
        ),
    ]
    return _aligned(columns, results)


def _aligned(columns, results):
    rows = [[render(result) for _title, _align, render in columns] for result in results]
    widths = [
        max(len(title), *(len(row[index]) for row in rows))
        for index, (title, _align, _render) in enumerate(columns)
    ]

    def line(cells):
        return "  ".join(
            f"{cell:{align}{width}}"
            for cell, (_title, align, _render), width in zip(cells, columns, widths, strict=True)
        )

    header = line([title for title, _align, _render in columns])
    return "\n".join([header, "-" * len(header), *(line(row) for row in rows)])


def _fmt(value, template):
    return "-" if value is None else template.format(value)


def parse_args(argv):
    from tests.bench import soak as soak_defaults

    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.run",
        description="Benchmark the platform's pages at national scale under gunicorn and "
        "PostgreSQL, with the page cache on and off.",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=4,
        help=f"simultaneous keep-alive connections (a multiple of {WORKERS}; default 4)",
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=3000,
        help="at most this many requests per scenario and server (default 3000)",
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=9.0,
        help="and at most this many seconds per scenario and server (default 9)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="interleaved rounds the requests and seconds are split over (default 3)",
    )
    parser.add_argument(
        "--reuse-dataset",
        action="store_true",
        help="keep the bench database of an earlier build if it holds a complete dataset of "
        "the current shape (rebuilt otherwise); queries with the first forces are then those "
        "counted when it was built",
    )
    parser.add_argument(
        "--dataset-only",
        action="store_true",
        help="build (or, with --reuse-dataset, check) the dataset, then stop",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="results file")
    parser.add_argument(
        "--only",
        choices=[
            "pages",
            "reports",
            "soak",
            "import",
            "updates",
            "neighbourhoods",
            "feedback",
            "onboarding",
        ],
        help="measure only the pages, only reporting or only the soak (default: all three); the "
        "results file keeps the other parts of the one it replaces. 'import': the site import's "
        "rate and the redirects' cost instead (tests.bench.site_import, .bench/site_import.json); "
        "'neighbourhoods': the postcode lookup (tests.bench.neighbourhoods); 'onboarding': "
        "onboard_force's queries and CPU per force (tests.bench.onboarding)",
    )
    parser.add_argument(
        "--no-soak", action="store_true", help="leave out the soak (tests.bench.soak)"
    )
    reporting = parser.add_argument_group("reporting (tests.bench.reports)")
    reporting.add_argument(
        "--report-seconds", type=float, default=20.0, help="seconds of reports (default 20)"
    )
    reporting.add_argument(
        "--report-concurrency",
        type=int,
        default=None,
        help="browsers making reports at once (default: --concurrency)",
    )
    reporting.add_argument(
        "--report-workers",
        type=int,
        default=1,
        help="manage.py run_worker processes delivering the reports (default 1)",
    )
    reporting.add_argument(
        "--upload-every",
        type=int,
        default=10,
        help="attach a small photo to every Nth report of each browser (0: never; default 10)",
    )
    reporting.add_argument(
        "--delivery-timeout",
        type=float,
        default=60.0,
        help="seconds to wait for every report to be delivered before counting it lost "
        "(default 60)",
    )
    soaking = parser.add_argument_group("soak (tests.bench.soak)")
    soaking.add_argument(
        "--soak-seconds",
        type=float,
        default=soak_defaults.DEFAULT_SECONDS,
        help=f"seconds of steady load (default {soak_defaults.DEFAULT_SECONDS:g})",
    )
    soaking.add_argument(
        "--soak-page-rate",
        type=float,
        default=soak_defaults.DEFAULT_PAGE_RATE,
        help="page views arriving per second, over every force's pages (default "
        f"{soak_defaults.DEFAULT_PAGE_RATE:g})",
    )
    soaking.add_argument(
        "--soak-report-rate",
        type=float,
        default=soak_defaults.DEFAULT_REPORT_RATE,
        help="complete reports begun per second, on random forces' sites (default "
        f"{soak_defaults.DEFAULT_REPORT_RATE:g})",
    )
    soaking.add_argument(
        "--soak-kill-at",
        type=float,
        default=soak_defaults.DEFAULT_KILL_AT,
        help="when the worker is killed, as a fraction of the soak (default "
        f"{soak_defaults.DEFAULT_KILL_AT:g})",
    )
    soaking.add_argument(
        "--soak-worker-down",
        type=float,
        default=soak_defaults.DEFAULT_WORKER_DOWN_SECONDS,
        help="seconds before the killed worker is started again (default "
        f"{soak_defaults.DEFAULT_WORKER_DOWN_SECONDS:g})",
    )
    soaking.add_argument(
        "--soak-held-webhook",
        choices=soak_defaults.HELD_WEBHOOK,
        default=soak_defaults.HELD_WEBHOOK[0],
        help="the webhook the worker is killed in: lost on the way (only the platform's "
        "recovery can deliver the report) or received by the back office (its second delivery "
        "must be deduplicated); default: lost",
    )
    args = parser.parse_args(argv)
    if args.only == "soak" and args.no_soak:
        parser.error("--only soak and --no-soak contradict each other.")
    if (
        min(args.soak_seconds, args.soak_page_rate + args.soak_report_rate) <= 0
        or min(args.soak_page_rate, args.soak_report_rate, args.soak_worker_down) < 0
        or not 0 < args.soak_kill_at < 1
        or args.soak_seconds * args.soak_kill_at + args.soak_worker_down >= args.soak_seconds
    ):
        parser.error(
            "--soak-seconds must be positive, the rates and --soak-worker-down zero or more (one "
            "rate positive), --soak-kill-at between 0 and 1, and the worker back before the end."
        )
    if min(args.concurrency, args.requests, args.rounds) < 1 or args.seconds <= 0:
        parser.error("--concurrency, --requests, --seconds and --rounds must be positive.")
    if (
        min(args.report_workers, args.report_concurrency or 1) < 1
        or min(args.report_seconds, args.delivery_timeout) <= 0
        or args.upload_every < 0
    ):
        parser.error(
            "--report-seconds, --report-concurrency, --report-workers and --delivery-timeout "
            "must be positive, --upload-every zero or more."
        )
    return args


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def run(args, workdir):
    began = time.monotonic()
    postgres_url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    if redis_url and not redis_reachable(redis_url):
        print(f"! Redis is not answering at {redis_url}: using local-memory caches instead.")
        redis_url = ""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "BENCH_POSTGRES_URL": postgres_url,
            "BENCH_REDIS_URL": redis_url,
            "STATIC_ROOT": str(Path(workdir) / "static"),
            "MEDIA_ROOT": str(Path(workdir) / "media"),
            # Reports' evidence (the reporting benchmark uploads some).
            "PRIVATE_MEDIA_ROOT": str(Path(workdir) / "private_media"),
        }
    )
    # The in-process measurements follow the setting; the cached server is started with it.
    os.environ.pop("PAGE_CACHE_ENABLED", None)

    from tests.bench import dataset, results

    postgres_version = dataset.server_version(postgres_url)  # fails early, and clearly

    import django

    django.setup()
    from django.db import connections

    progress = Progress()
    cache_name = "Redis" if redis_url else "local memory"
    print(f"Benchmark: PostgreSQL {postgres_version}, {BENCH_DOMAIN}, cache: {cache_name}")
    scenario_list = scenarios(args.only)
    if scenario_list[0].name != FLOOR:
        raise BenchError("The first scenario must be the floor.")
    with progress.step("collectstatic", "collecting static files"):
        dataset.collect_static()
    clear_cache()
    build = build_dataset(progress, postgres_url, args.reuse_dataset, workdir)
    size = dataset.summary()
    if args.dataset_only:
        print(
            f"Dataset: {size['forces']} forces, {size['national_articles']} national articles, "
            f"{size['pages']} pages ({size['aliases']} of them aliases); built "
            f"{build.get('built_at')} in {build.get('build_seconds')} s."
        )
        return
    pages = runs_pages(args)
    queries_all, cached_checks, publishing, security = {}, {}, None, None
    if pages:
        with progress.step(
            "queries_all", f"counting queries per page with {size['forces']} forces"
        ):
            queries_all = count_all_queries(scenario_list)
        with progress.step("cached_hits", "checking that a cached page makes no query"):
            cached_checks = check_page_cache_in_process(scenario_list)
        with progress.step("security_cost", "timing the security middleware on public pages"):
            security = security_cost.measure(
                [s for s in scenario_list if s.cacheable and s.name != FLOOR]
            )
        with progress.step(
            "publish",
            f"publishing a national article with {size['forces']} forces (new, edit, delete)",
        ):
            publishing = dataset.time_national_publishing()
            dataset.drop_queued_tasks()
    clear_cache()
    connections.close_all()
    with progress.step("startup_memory", "measuring memory at startup (and a bare Wagtail's)"):
        startup = startup_memory.measure()

    try:
        servers, samples, bypass, reporting, soaked, memory = measure(
            args, progress, workdir, scenario_list
        )
    finally:
        clear_cache()
        connections.close_all()
    pages_results, spreads = [], {}
    if samples:
        pages_results, spreads = assemble_pages(
            scenario_list,
            samples,
            bypass,
            build.get("queries_with_first_forces") or {},
            queries_all,
            cached_checks,
        )
    report = {
        "security_middleware": security,
        "machine": {
            **machine_info(postgres_version),
            "load_average_at_end": [round(value, 2) for value in os.getloadavg()],
        },
        "servers": servers,
        "load": {
            "generator": "closed loop: Python threads, http.client keep-alive connections",
            "concurrency": args.concurrency,
            "warmup": {"max_requests": WARMUP_REQUESTS, "max_seconds": WARMUP_SECONDS},
            "max_requests": args.requests,
            "max_seconds": args.seconds,
            "rounds": args.rounds,
        },
        "cache": "redis" if redis_url else "locmem",
        "dataset": {
            **size,
            "shape": build.get("shape"),
            "reused": build.get("reused"),
            "built_at": build.get("built_at"),
            "build_seconds": build.get("build_seconds"),
        },
        # Slowest round's floor throughput over the fastest's, per server: 1.0 is a quiet
        # machine.
        "floor_spread": spreads,
        "timings_seconds": {**progress.timings, "total": round(time.monotonic() - began, 1)},
        # A national article published, edited and deleted with every force onboarded: each
        # reaches every force's site in the same action.
        "national_publishing": publishing,
        "scenarios": pages_results,
        "memory_mb": {
            # Before any request, each in a fresh interpreter (tests.bench.startup_memory).
            "startup": startup,
            "gunicorn": memory,
            "run_worker": (reporting or {}).get("worker_memory"),
        },
        # Complete reports per second, their delivery, lost and duplicated (tests.bench.reports).
        "reporting": reporting,
        # Steady load on every force while the worker is killed: lost, doubled, p95 before,
        # during and after (tests.bench.soak).
        "soak": soaked,
    }
    if args.only:
        keep_earlier_results(report, args.output)
    report["targets"] = results.targets(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    markdown = results.markdown(report)
    markdown_path = args.output.with_suffix(".md")
    markdown_path.write_text(markdown)
    chart_path = args.output.parent / "throughput.png"
    if pages_results:
        results.chart(report, chart_path)

    print()
    print(markdown)
    if reporting:
        from tests.bench.reports import format_section

        print(format_section(reporting))
        print()
    shown = [
        path.relative_to(REPO) if path.is_relative_to(REPO) else path
        for path in (args.output, markdown_path, *([chart_path] if pages_results else []))
    ]
    print(f"Results: {', '.join(str(path) for path in shown)}")
    if soaked:
        from tests.bench.soak import failure

        why = failure(soaked)
        if why:
            raise BenchError(why)


# What each part of a run measures, in the results file: a run with --only keeps the others.
MEASURED_PARTS = (
    "scenarios",
    "floor_spread",
    "national_publishing",
    "security_middleware",
    "reporting",
    "soak",
)


def keep_earlier_results(report, path):
    """Into ``report`` (of a run with ``--only``), the parts it did not measure from the results
    file at ``path``, if there is one, and a note of them and of when they were measured."""
    try:
        earlier = json.loads(path.read_text())
    except (OSError, ValueError):
        return
    kept = [part for part in MEASURED_PARTS if not report.get(part) and earlier.get(part)]
    for part in kept:
        report[part] = earlier[part]
    if kept:
        report["kept_from_earlier_run"] = {
            "parts": kept,
            "measured_at": (earlier.get("machine") or {}).get("timestamp"),
        }


def main(argv=None):
    args = parse_args(argv)
    if args.only == "updates":  # inbound status updates, on a database of their own
        from tests.bench import report_updates

        return report_updates.main_with(args)
    if args.only == "feedback":  # the "Is this page useful?" component, on a small dataset
        from tests.bench import feedback_cost

        return feedback_cost.main([])
    if args.only == "neighbourhoods":
        from tests.bench import neighbourhoods

        return neighbourhoods.main([])
    if args.only == "onboarding":  # onboard_force, on a scratch copy of the test template
        from tests.bench import onboarding

        return onboarding.main([])
    if args.only == "import":
        from tests.bench import site_import

        return site_import.main([])
    # Ctrl-C, kill and a closed terminal all end the run through the same clean-up.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)
    from tests.bench.dataset import DatasetError

    try:
        with tempfile.TemporaryDirectory(prefix="solh-bench-") as workdir:
            run(args, workdir)
    except (BenchError, DatasetError) as error:
        print(f"\nBenchmark failed: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nBenchmark interrupted; gunicorn stopped.", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    # Through the module's own name, so that tests.bench.reports (which imports it) shares its
    # classes: a BenchError raised there is caught here.
    from tests.bench.run import main as run_main

    sys.exit(run_main())
