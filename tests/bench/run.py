"""``make bench``: serve the platform under gunicorn and measure its pages against a floor.

    .venv/bin/python -m tests.bench.run [--concurrency 4] [--requests 3000] [--seconds 9]
                                        [--rounds 3] [--reuse-dataset] [--output PATH]
                                        [--only pages|reports] [--report-seconds 20] …

Then, in the same run and against the same server, reporting: complete reports per second,
their delivery by ``manage.py run_worker`` to a local receiver, and the count of reports lost or
duplicated (``tests.bench.reports``; ``--only reports`` runs it alone).

1. Collects static files into a temporary ``STATIC_ROOT`` (production's manifest storage).
2. Builds the dataset (``tests.bench.dataset``) in a fresh PostgreSQL database, counting the
   queries each scenario's page makes (in-process) with three forces onboarded and again with
   all 43.
3. Starts gunicorn (``solh.wsgi``, ``tests.bench.settings``) on a free loopback port, warms
   every scenario up, then drives them in interleaved rounds with a closed-loop load generator:
   a fixed number of keep-alive connections, each sending its next request as soon as the
   previous answer arrives, until the round's request count or time is used up. Every answer
   must be a 200 whose body holds the scenario's markers, or the run fails.
4. Runs the reporting benchmark (``tests.bench.reports``) against the same server.
5. Writes ``.bench/results.json`` (and ``.bench/gunicorn.log``, ``.bench/worker-*.log``) and
   prints a table, then the "Reporting" section.

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
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from tests.bench import (
    BENCH_DATABASE_NAME,
    BENCH_DOMAIN,
    DEFAULT_POSTGRES_URL,
    DEFAULT_REDIS_URL,
    search_bench,
)

REPO = Path(__file__).resolve().parents[2]
SETTINGS_MODULE = "tests.bench.settings"
DEFAULT_OUTPUT = REPO / ".bench" / "results.json"
FLOOR = "floor"

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


class BenchError(Exception):
    """The benchmark cannot go on; the message says why."""


@dataclass(frozen=True)
class Scenario:
    """One page to measure: GET ``path`` with ``Host: host``; the body must hold ``markers``."""

    name: str
    host: str
    path: str
    markers: tuple[str, ...] = ()

    @property
    def url(self):
        return f"http://{self.host}{self.path}"


def scenarios(only=None):
    """What ``make bench`` measures, floor first. Later issues add their pages here.

    ``only="reports"``: the floor alone (the reporting benchmark measures against it).
    """
    from django.conf import settings

    from tests.bench import dataset
    from tests.bench.urls import FLOOR_BODY, FLOOR_PATH

    force_host = dataset.force_host(dataset.MEASURED_FORCE)
    force_name = dataset.force_name(dataset.MEASURED_FORCE)
    floor = Scenario(FLOOR, force_host, FLOOR_PATH, (FLOOR_BODY.decode(),))
    if only == "reports":
        return [floor]
    return [
        floor,
        Scenario(
            "hub home",
            settings.BASE_DOMAIN,
            "/",
            ("Find your police force", force_name),
        ),
        Scenario("force home", force_host, "/", (force_name, dataset.latest_headline())),
        Scenario(
            "content page", force_host, dataset.CONTENT_PATH, (dataset.CONTENT_TITLE, force_name)
        ),
        Scenario(
            "national page",
            force_host,
            dataset.NATIONAL_PATH,
            (dataset.NATIONAL_TITLE, force_name),
        ),
        *search_bench.search_scenarios(),
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


def count_queries(scenario):
    """Database queries the page makes in-process, once its caches are warm."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(scenario.path, HTTP_HOST=scenario.host)
    with CaptureQueriesContext(connection) as context:
        response = client.get(scenario.path, HTTP_HOST=scenario.host)
    check_response(scenario, response.status_code, response.content)
    return [query["sql"] for query in context.captured_queries]


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
        }


def drive(port, scenario, *, concurrency, max_requests, max_seconds, cpu_clock=None):
    """Closed-loop load: ``concurrency`` keep-alive connections until either bound is reached."""
    lock = threading.Lock()
    stop = threading.Event()
    start = threading.Barrier(concurrency + 1)
    issued = 0
    failures = []
    per_thread = [[] for _ in range(concurrency)]
    sizes = [0] * concurrency
    closes = [0] * concurrency
    headers = {"Host": scenario.host, "User-Agent": "solh-bench", "Accept": "text/html"}
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
    )


# --- The server ----------------------------------------------------------------------------


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


def _process_cpu_seconds(pid):
    """User + system CPU seconds of process ``pid`` (Linux ``/proc``), or ``None``."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
    """gunicorn serving ``solh.wsgi`` under the bench settings; always stopped on exit."""

    def __init__(self, workdir, concurrency):
        self.port = free_port()
        self.log_path = Path(workdir) / "gunicorn.log"
        self.worker_connections = max(math.ceil(concurrency / WORKERS), THREADS + 1)
        self.process = None
        self.workers = []

    def command(self):
        return [
            sys.executable, "-m", "gunicorn", "solh.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(WORKERS),
            "--worker-class", WORKER_CLASS,
            "--threads", str(THREADS),
            "--worker-connections", str(self.worker_connections),
            "--keep-alive", str(KEEP_ALIVE_SECONDS),
            "--preload",
            "--no-control-socket",
            "--graceful-timeout", "5",
            "--log-level", "warning",
        ]  # fmt: skip

    def describe(self):
        return {
            "software": f"gunicorn {metadata.version('gunicorn')}",
            "app": "solh.wsgi:application",
            "settings": SETTINGS_MODULE,
            "workers": WORKERS,
            "worker_class": WORKER_CLASS,
            "threads": THREADS,
            "worker_connections": self.worker_connections,
            "keep_alive_seconds": KEEP_ALIVE_SECONDS,
            "preload": True,
            "bind": f"127.0.0.1:{self.port}",
        }

    def __enter__(self):
        environment = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE}
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.command(),
                cwd=REPO,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own process group: Ctrl-C reaches only the runner, which stops it.
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        return self

    def __exit__(self, *exc_info):
        self.stop()
        with contextlib.suppress(OSError):
            # Kept for a look afterwards, next to the results.
            DEFAULT_OUTPUT.parent.mkdir(exist_ok=True)
            shutil.copyfile(self.log_path, DEFAULT_OUTPUT.parent / "gunicorn.log")

    def log_tail(self, lines=40):
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def fail(self, message):
        return BenchError(f"{message}\n--- gunicorn log (last lines) ---\n{self.log_tail()}")

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

    def cpu_seconds(self):
        """CPU time used so far by the workers, or ``None`` if it cannot be told."""
        if _children(self.process.pid) != self.workers:
            return None  # a worker was replaced: its CPU time is lost
        times = [_process_cpu_seconds(pid) for pid in self.workers]
        return None if None in times else sum(times)

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
    """Drop the bench's cache keys (its own prefix in Redis) so no run sees another's."""
    from django.core.cache import cache

    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
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


def build_dataset(progress, postgres_url, reuse, scenario_list):
    """Build the dataset, returning queries per scenario with the first forces (or ``{}``)."""
    from django.db import connections

    from forces.models import Force
    from tests.bench import dataset

    if (
        reuse
        and dataset.database_exists(postgres_url, BENCH_DATABASE_NAME)
        and Force.objects.count()
    ):
        print("  reusing the existing bench database (--reuse-dataset)")
        search_bench.prepare_search_index()
        return {}
    connections.close_all()
    with progress.step("database", f"recreating database {BENCH_DATABASE_NAME}"):
        dataset.recreate_database(postgres_url, BENCH_DATABASE_NAME)
    with progress.step("migrate", "migrating"):
        dataset.migrate()
    first = len(dataset.CONTENT_FORCES)
    with progress.step("onboard_first", f"onboarding the hub and {first} forces, with content"):
        dataset.onboard_first_forces()
        # Publishing queued the index updates for a worker that is not running: index now.
        search_bench.prepare_search_index()
    with progress.step("queries_first", f"counting queries per page with {first} forces"):
        first_counts = {scenario.name: count_queries(scenario) for scenario in scenario_list}
    with progress.step("onboard_all", "onboarding every force from forces/data/forces.csv"):
        dataset.onboard_all_forces()
    with progress.step("fan_out", "publishing a national article to every force"):
        progress.fan_out = dataset.time_national_publishing()
    with progress.step("index", "indexing every page for search"):
        search_bench.prepare_search_index()
    return first_counts


def measure(args, progress, workdir, scenario_list):
    """Serve the site and drive every scenario, then the reporting benchmark; return the
    server's description, the pages' samples and the reporting figures (or ``None``)."""
    from tests.bench import reports

    concurrency = max(args.concurrency, args.report_concurrency or 0)
    with Server(workdir, concurrency) as server:
        with progress.step("server_start", f"starting gunicorn on 127.0.0.1:{server.port}"):
            server.wait_until_ready(scenario_list[0])
        samples, reporting = {}, None
        try:
            if args.only != "reports":
                samples = drive_all(args, progress, server, scenario_list)
            if server.process.poll() is not None:
                raise server.fail("gunicorn stopped during the run.")
            if args.only != "pages":
                reporting = reports.measure(args, progress, server, workdir)
        except BenchError as error:
            raise server.fail(str(error)) from error
        if server.process.poll() is not None:
            raise server.fail("gunicorn stopped during the run.")
        return server.describe(), samples, reporting


def drive_all(args, progress, server, scenario_list):
    """Warm every scenario up, then measure them all in ``args.rounds`` interleaved rounds."""
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


def assemble(scenario_list, samples, queries_first, queries_all):
    """Per-scenario figures (every round pooled), ratios to the floor, and the floor's spread."""
    floor_figures = combined(samples[FLOOR]).figures()
    results = []
    for scenario in scenario_list:
        runs = samples[scenario.name]
        figures = combined(runs).figures()
        latency, base_latency = figures["latency_ms"], floor_figures["latency_ms"]
        results.append(
            {
                "name": scenario.name,
                "host": scenario.host,
                "path": scenario.path,
                **figures,
                "vs_floor": {
                    "throughput": ratio(
                        figures["requests_per_second"], floor_figures["requests_per_second"]
                    ),
                    "p50": ratio(latency["p50"], base_latency["p50"]),
                    "p95": ratio(latency["p95"], base_latency["p95"]),
                    "p99": ratio(latency["p99"], base_latency["p99"]),
                    "server_cpu": ratio(
                        figures["server_cpu_ms_per_request"],
                        floor_figures["server_cpu_ms_per_request"],
                    ),
                },
                "requests_per_second_by_round": [round(run.throughput, 1) for run in runs],
                "queries": len(queries_all[scenario.name]),
                "queries_with_first_forces": (
                    len(queries_first[scenario.name]) if scenario.name in queries_first else None
                ),
                "sql": queries_all[scenario.name],
            }
        )
    rates = [run.throughput for run in samples[FLOOR]]
    spread = ratio(min(rates), max(rates)) if len(rates) > 1 else None
    return results, spread


def format_table(results, first_forces, all_forces):
    """An aligned text table of the figures."""
    columns = [
        ("scenario", "<", lambda r: r["name"]),
        ("requests", ">", lambda r: str(r["requests"])),
        ("req/s", ">", lambda r: f"{r['requests_per_second']:.1f}"),
        ("of floor", ">", lambda r: _fmt(r["vs_floor"]["throughput"], "{:.3f}")),
        ("p50 ms", ">", lambda r: f"{r['latency_ms']['p50']:.1f}"),
        ("p95 ms", ">", lambda r: f"{r['latency_ms']['p95']:.1f}"),
        ("p99 ms", ">", lambda r: f"{r['latency_ms']['p99']:.1f}"),
        ("p50 x floor", ">", lambda r: _fmt(r["vs_floor"]["p50"], "{:.1f}x")),
        ("CPU ms/req", ">", lambda r: _fmt(r["server_cpu_ms_per_request"], "{:.2f}")),
        ("CPU x floor", ">", lambda r: _fmt(r["vs_floor"]["server_cpu"], "{:.1f}x")),
        ("kB", ">", lambda r: f"{r['body_bytes'] / 1024:.1f}"),
        (
            f"queries ({first_forces}->{all_forces} forces)",
            ">",
            lambda r: f"{_fmt(r['queries_with_first_forces'], '{}')} -> {r['queries']}",
        ),
    ]
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
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.run",
        description="Benchmark the platform's pages under gunicorn and PostgreSQL.",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=4,
        help=f"simultaneous keep-alive connections (a multiple of {WORKERS}; default 4)",
    )
    parser.add_argument(
        "--requests", type=int, default=3000, help="at most this many requests per scenario"
    )
    parser.add_argument(
        "--seconds", type=float, default=9.0, help="and at most this many seconds per scenario"
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
        help="keep the bench database of an earlier run instead of rebuilding it (faster; "
        "no query counts with the first forces)",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="results file")
    parser.add_argument(
        "--only",
        choices=["pages", "reports"],
        help="measure only the pages, or only reporting (default: both)",
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
    args = parser.parse_args(argv)
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

    from tests.bench import dataset

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
    queries_first = build_dataset(progress, postgres_url, args.reuse_dataset, scenario_list)
    size = dataset.summary()
    with progress.step("queries_all", f"counting queries per page with {size['forces']} forces"):
        queries_all = {scenario.name: count_queries(scenario) for scenario in scenario_list}
    clear_cache()
    connections.close_all()

    try:
        server, samples, reporting = measure(args, progress, workdir, scenario_list)
    finally:
        clear_cache()
        connections.close_all()
    results, spread = ([], None)
    if samples:
        results, spread = assemble(scenario_list, samples, queries_first, queries_all)
    first_forces = len(dataset.CONTENT_FORCES)
    report = {
        "machine": machine_info(postgres_version),
        "server": server,
        "load": {
            "generator": "closed loop: Python threads, http.client keep-alive connections",
            "concurrency": args.concurrency,
            "warmup": {"max_requests": WARMUP_REQUESTS, "max_seconds": WARMUP_SECONDS},
            "max_requests": args.requests,
            "max_seconds": args.seconds,
            "rounds": args.rounds,
        },
        "cache": "redis" if redis_url else "locmem",
        "dataset": {**size, "first_forces": first_forces},
        # Slowest round's floor throughput over the fastest's: 1.0 is a quiet machine.
        "floor_spread": spread,
        "timings_seconds": {**progress.timings, "total": round(time.monotonic() - began, 1)},
        # One publish of a national page, reaching every force's site in the same action.
        "publish_fan_out": getattr(progress, "fan_out", None),
        "scenarios": results,
        # Complete reports per second, their delivery, lost and duplicated (tests.bench.reports).
        "reporting": reporting,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")

    print()
    if results:
        for result in results:
            print(f"  {result['name']:<14} http://{result['host']}{result['path']}")
        print()
        print(format_table(results, first_forces, size["forces"]))
        print()
    if reporting:
        from tests.bench.reports import format_section

        print(format_section(reporting))
        print()
    pages = ""
    if results:
        pages = (
            f", {args.concurrency} connections, {args.rounds} round(s); floor spread between "
            f"rounds (slowest/fastest) {_fmt(spread, '{:.2f}')}"
        )
    print(
        f"gunicorn {WORKERS} x {WORKER_CLASS} ({THREADS} thread){pages}; {os.cpu_count()} CPUs "
        f"(load average {os.getloadavg()[0]:.1f}); {report['timings_seconds']['total']:.0f} s "
        "in all."
    )
    fan_out = report["publish_fan_out"]
    if fan_out:
        print(
            f"Publishing a national page with {fan_out['forces']} forces: new page "
            f"{fan_out['new_page_seconds']:.2f} s, edit {fan_out['edit_seconds']:.2f} s "
            "(every force's copy updated in the same action)."
        )
    shown = args.output.relative_to(REPO) if args.output.is_relative_to(REPO) else args.output
    print(f"Results: {shown}")


def main(argv=None):
    args = parse_args(argv)
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
