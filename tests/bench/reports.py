"""``make bench``, reporting: complete reports per second, their delivery, and none lost or doubled.

    .venv/bin/python -m tests.bench.run                 # pages, then reporting (``make bench``)
    .venv/bin/python -m tests.bench.run --only reports  # reporting alone
    .venv/bin/python -m tests.bench.reports             # the same as ``--only reports``

with ``--report-seconds 20``, ``--report-concurrency`` (default: ``--concurrency``),
``--report-workers 1``, ``--upload-every 10`` and ``--delivery-timeout 60``, and add
``--reuse-dataset`` to keep the database of an earlier run. It measures, against the same
gunicorn as the pages (``tests.bench.run.Server``) and the national road traffic incident journey
on one force's site (``dataset.REPORT_JOURNEY_PATH`` on ``dataset.MEASURED_FORCE``):

1. **Queries per request**, in-process with the Django test client once its caches are warm: the
   GET that renders each step (the budget is 10), the POST that answers it, the start, check
   your answers and the submit.
2. **Complete reports per second.** ``--report-concurrency`` browsers, each a keep-alive
   ``http.client`` connection with its own cookies, get the journey's start page once (for the
   CSRF cookie and the form's token), then make report after report until the time is up:
   ``POST start/``, a ``POST`` of every step on the path with valid answers (every
   ``--upload-every``-th report attaches a small PNG to the dashcam step; the rest skip it),
   ``POST check-your-answers/`` (the submit), then ``GET confirmation/`` for the reference: 14
   requests. Each ``POST`` must answer a redirect to the next step of the path. The ``GET`` of
   each step that a browser makes after each redirect is not made (the issue asks for every
   step posted, then the submit); it costs a little more than the ``POST`` (its queries and
   template are counted in 1.), so a real browser's report takes about twice the server time.
   The floor is measured just before and just after, by the same server.
3. **Delivery.** The force's webhook points at a ``demo.receiver.Receiver`` on loopback
   (signatures checked, reports deduplicated by ``Idempotency-Key``), and ``--report-workers``
   ``manage.py run_worker`` processes (the database task backend, as in production) run from
   before the first report. Deliveries per second run from the load's first submit until the
   receiver has every report; then every report stored (and every reference shown on a
   confirmation page) must have reached the receiver exactly once: *lost* are those not there
   within ``--delivery-timeout`` seconds, *duplicated* the deliveries of a key already received.

Every report, draft and queued job is deleted before the run (``dataset.reset_reports``), so the
counts are this run's. Each report has two deliveries (the force's webhook and the reporter's
confirmation email, to the bench settings' in-memory mail backend).

The machine is shared, so CPU time per report is read from ``/proc`` for gunicorn's workers,
the bench database's PostgreSQL backends, the delivery workers and this process (the browsers
and the receiver); the *CPU-bound ceiling* (the CPUs over the CPU the server, database and
worker spend per report) is the rate this machine could reach with nothing else running.
"""

import http.client
import os
import re
import secrets
import signal
import struct
import subprocess
import sys
import threading
import time
import zlib
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from tests.bench.run import (
    DEFAULT_OUTPUT,
    FLOOR,
    REQUEST_TIMEOUT_SECONDS,
    SETTINGS_MODULE,
    BenchError,
    _process_cpu_seconds,
    drive,
    percentile,
    process_memory,
    spawn,
)

USER_AGENT = "solh-bench-reporter"
WEBHOOK_SECRET = "bench-webhook-secret-" + "0123456789abcdef"
FLOOR_SECONDS = 2.0
WARMUP_REPORTS_PER_BROWSER = 2
WORKER_START_TIMEOUT_SECONDS = 30
WORKER_STOP_TIMEOUT_SECONDS = 10
POLL_SECONDS = 0.05
# The targets for this machine.
TARGET_REPORTS_PER_SECOND = 100
QUERY_BUDGET_PER_STEP = 10

REFERENCE = re.compile(rb"<strong data-reference>([A-Z0-9-]+)</strong>")
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- The journey -------------------------------------------------------------------------------


def step_answers():
    """The path through the road traffic incident journey, as ``(step id, form fields)``.

    A collision with nobody injured, two vehicles (the repeating group), the reporter's details
    with an email address (so the worker also sends the reporter's confirmation email).
    """
    day = date.today() - timedelta(days=3)
    return [
        ("emergency", {"in_danger": "no"}),
        ("what-happened", {"incident_type": "collision"}),
        ("injuries", {"anyone_injured": "no"}),
        (
            "when",
            {
                "incident_date-day": str(day.day),
                "incident_date-month": str(day.month),
                "incident_date-year": str(day.year),
                "incident_time": "17:45",
            },
        ),
        (
            "where",
            {
                "incident_location": "London Road, at the junction with Queens Road",
                "incident_postcode": "rg1 1aa",
            },
        ),
        (
            "vehicles",
            {
                "vehicles-count": "2",
                "vehicles-1-registration": "ab12cde",
                "vehicles-1-make_model": "Blue Ford Focus",
                "vehicles-1-whose_vehicle": "mine",
                "vehicles-2-registration": "XY65 ZZT",
                "vehicles-2-make_model": "",
                "vehicles-2-whose_vehicle": "other",
            },
        ),
        (
            "description",
            {
                "description": "I was waiting at the lights when the car behind drove into the "
                "back of mine. The driver got out, looked at the damage and drove off towards "
                "the town centre."
            },
        ),
        ("dashcam", {}),
        (
            "your-details",
            {
                "your_name": "Sam Taylor",
                "your_email": "sam.taylor@example.com",
                "your_phone": "07700 900123",
            },
        ),
        ("contact-times", {"contact_times": ["morning", "evening"]}),
        ("declaration", {"statement_of_truth": "yes"}),
    ]


UPLOAD_STEP = "dashcam"


def small_png(width=48, height=32):
    """A valid PNG of a few hundred bytes: evidence is checked by its content, not its name."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + b"".join(bytes((x * 5 % 256, y * 7 % 256, 90)) for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def multipart(fields, files):
    """``(body, content type)`` of a ``multipart/form-data`` form: ``files`` are
    ``(field, filename, content type, bytes)``."""
    boundary = f"----solh-bench-{secrets.token_hex(8)}"
    parts = []
    for name, value in fields:
        disposition = f'Content-Disposition: form-data; name="{name}"'
        parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    for name, filename, content_type, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _pairs(fields):
    pairs = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name, item))
    return pairs


# --- A browser ---------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    location: str
    body: bytes
    seconds: float
    began: float = 0.0  # time.perf_counter() when the request was sent


class Browser:
    """One person's browser: a keep-alive connection, its own cookies, its own CSRF token."""

    def __init__(self, port, host, journey_path, steps, png):
        self.connection = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS
        )
        self.host = host
        self.journey_path = journey_path
        self.steps = steps
        self.png = png
        self.cookies = {}
        self.csrf_token = ""
        self.latencies = {}  # label -> seconds of each request
        self.references = []
        self.first_submit = None  # wall clock, for the delivery rate
        self.requests = 0

    def close(self):
        self.connection.close()

    def request(self, method, path, body=None, content_type=None):
        headers = {"Host": self.host, "User-Agent": USER_AGENT, "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type
        began = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            raise BenchError(
                f"reporting: {method} http://{self.host}{path} failed: {error!r}"
            ) from error
        seconds = time.perf_counter() - began
        self.requests += 1
        self._keep_cookies(response)
        return Answer(response.status, response.getheader("Location", ""), data, seconds, began)

    def _keep_cookies(self, response):
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            try:
                jar.load(header)
            except CookieError:
                continue
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def record(self, label, answer):
        self.latencies.setdefault(label, []).append(answer.seconds)

    def post(self, path, fields, label, files=()):
        pairs = [("csrfmiddlewaretoken", self.csrf_token), *_pairs(fields)]
        if files:
            body, content_type = multipart(pairs, files)
        else:
            body, content_type = urlencode(pairs).encode(), "application/x-www-form-urlencoded"
        answer = self.request("POST", path, body, content_type)
        self.record(label, answer)
        return answer

    def open_start_page(self):
        """The journey's start page: it sets the CSRF cookie and its form holds the token."""
        answer = self.request("GET", self.journey_path)
        self.record("start page", answer)
        expect(answer, 200, f"GET {self.journey_path}")
        match = CSRF_INPUT.search(answer.body)
        if match is None or "csrftoken" not in self.cookies:
            raise BenchError(f"reporting: {self.journey_path} gave no CSRF cookie and token.")
        self.csrf_token = match.group(1).decode()

    def report(self, upload=False):
        """Make one complete report; return the reference its confirmation page shows."""
        base = self.journey_path
        answer = self.post(f"{base}start/", {}, "start")
        after = "the start"
        for step_id, fields in self.steps:
            path = f"{base}step/{step_id}/"
            follow(answer, path, after)
            files = ()
            label = f"step {step_id}"
            if upload and step_id == UPLOAD_STEP:
                files = [(step_id, "dashcam.png", "image/png", self.png)]
                label = f"step {step_id} (upload)"
            answer = self.post(path, {"action": "continue", **fields}, label, files)
            after = f"step {step_id}"
        expected = f"{base}check-your-answers/"
        follow(answer, expected, after)
        if self.first_submit is None:
            self.first_submit = time.time()
        answer = self.post(expected, {}, "submit")
        follow(answer, f"{base}confirmation/", "the submit")
        answer = self.request("GET", f"{base}confirmation/")
        self.record("confirmation", answer)
        expect(answer, 200, "GET confirmation/")
        match = REFERENCE.search(answer.body)
        if match is None:
            raise BenchError("reporting: the confirmation page shows no reference.")
        reference = match.group(1).decode()
        self.references.append(reference)
        return reference


def expect(answer, status, what):
    if answer.status != status:
        raise BenchError(
            f"reporting: {what} answered {answer.status}, not {status}.\n{_error_text(answer.body)}"
        )


def follow(answer, expected_path, what):
    """Raise unless ``answer`` redirects to ``expected_path`` (the next step of the path)."""
    if answer.status != 302 or urlsplit(answer.location).path != expected_path:
        raise BenchError(
            f"reporting: {what} answered {answer.status} "
            f"{('to ' + answer.location) if answer.location else ''}, not a redirect to "
            f"{expected_path}.\n{_error_text(answer.body)}"
        )


def _error_text(body):
    """The error summary of a step that refused its answers (bench data only), or the start."""
    text = body.decode(errors="replace")
    start = text.find('<div class="govuk-error-summary')
    snippet = text[start : start + 800] if start >= 0 else text[:500]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", snippet)).strip()


# --- Load --------------------------------------------------------------------------------------


@dataclass
class JourneySample:
    """What one run of browsers measured."""

    reports: int = 0
    requests: int = 0
    seconds: float = 0.0
    latencies: dict = field(default_factory=dict)
    references: list = field(default_factory=list)
    first_submit: float | None = None  # wall clock
    cpu: dict = field(default_factory=dict)  # seconds, by process group


def drive_reports(
    port,
    host,
    journey_path,
    *,
    concurrency,
    max_seconds=None,
    per_browser=None,
    upload_every=0,
    cpu_clocks=None,
):
    """``concurrency`` browsers, each making reports until ``max_seconds`` is up (a report begun
    before then is finished) or it has made ``per_browser``."""
    steps = step_answers()
    png = small_png()
    browsers = [Browser(port, host, journey_path, steps, png) for _ in range(concurrency)]
    failures = []
    stop = threading.Event()
    clocks_before = {}
    began = deadline = 0.0

    def go():
        # Once every browser has its start page: the clocks start together.
        nonlocal began, deadline
        clocks_before.update({name: clock() for name, clock in (cpu_clocks or {}).items()})
        began = time.monotonic()
        deadline = began + (max_seconds or 0)

    start = threading.Barrier(concurrency + 1, action=go)

    def run(browser):
        try:
            browser.open_start_page()
            browser.requests, browser.latencies = 0, {}  # before the clock starts
            start.wait()
            made = 0
            while not stop.is_set() and (max_seconds is None or time.monotonic() < deadline):
                if per_browser is not None and made >= per_browser:
                    break
                made += 1
                browser.report(upload=bool(upload_every) and made % upload_every == 0)
        except threading.BrokenBarrierError:
            pass
        except BenchError as error:
            failures.append(error)
            stop.set()
            start.abort()
        finally:
            browser.close()

    threads = [threading.Thread(target=run, args=(browser,), daemon=True) for browser in browsers]
    for thread in threads:
        thread.start()
    with suppress(threading.BrokenBarrierError):
        start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    clocks_after = {name: clock() for name, clock in (cpu_clocks or {}).items()}
    if failures:
        raise failures[0]
    sample = JourneySample(seconds=elapsed)
    for browser in browsers:
        sample.reports += len(browser.references)
        sample.references += browser.references
        sample.requests += browser.requests
        for label, values in browser.latencies.items():
            sample.latencies.setdefault(label, []).extend(values)
        if browser.first_submit is not None:
            sample.first_submit = min(
                sample.first_submit or browser.first_submit, browser.first_submit
            )
    for name, before in clocks_before.items():
        sample.cpu[name] = _spent(before, clocks_after[name])
    return sample


# --- Queries, in-process ------------------------------------------------------------------------


def count_queries(host, journey_path):
    """The queries of each request of a report, made in-process once the caches are warm.

    Returns ``({label: [sql, ...]}, references made)``, with labels "start", "GET <step>",
    "POST <step>", "GET check-your-answers", "submit" and "confirmation"; the dashcam step's
    ``POST`` is also counted with an upload ("POST dashcam (upload)").
    """
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    steps = step_answers()
    png = small_png()
    counted = {}

    def call(label, method, path, data=None, expect_status=None):
        client_method = getattr(client, method.lower())
        kwargs = {"HTTP_HOST": host}
        if data is not None:
            kwargs["data"] = data
        with CaptureQueriesContext(connection) as context:
            response = client_method(path, **kwargs)
        if expect_status and response.status_code != expect_status:
            raise BenchError(
                f"reporting (in-process): {method} {path} answered {response.status_code}, not "
                f"{expect_status}.\n{_error_text(response.content)}"
            )
        if label:
            sql = [query["sql"] for query in context.captured_queries]
            # The most of the counted reports (the first only warms the caches up).
            if references and len(sql) >= len(counted.get(label, [])):
                counted[label] = sql
        return response

    references = []
    for upload in (False, False, True):  # the first one warms the caches up
        client = Client()
        call(None, "GET", journey_path, expect_status=200)
        call("start", "POST", f"{journey_path}start/", {}, 302)
        for step_id, fields in steps:
            path = f"{journey_path}step/{step_id}/"
            call(f"GET {step_id}", "GET", path, expect_status=200)
            data = {"action": "continue", **fields}
            label = f"POST {step_id}"
            if upload and step_id == UPLOAD_STEP:
                data[step_id] = SimpleUploadedFile("dashcam.png", png, "image/png")
                label = f"POST {step_id} (upload)"
            call(label, "POST", path, data, 302)
        check = f"{journey_path}check-your-answers/"
        call("GET check-your-answers", "GET", check, expect_status=200)
        call("submit", "POST", check, {}, 302)
        response = call("confirmation", "GET", f"{journey_path}confirmation/", expect_status=200)
        match = REFERENCE.search(response.content)
        if match is None:
            raise BenchError("reporting (in-process): the confirmation page shows no reference.")
        references.append(match.group(1).decode())
    return counted, references


# --- Delivery workers ---------------------------------------------------------------------------


class DeliveryWorkers:
    """``count`` ``manage.py run_worker`` processes under the bench settings; always stopped.

    ``kill`` and ``restart`` take one down without warning and bring it back (``tests.bench.soak``).
    """

    def __init__(self, count, workdir):
        self.count = count
        self.workdir = Path(workdir)
        self.processes = []
        self.logs = []  # each running worker's log, in the order of ``processes``
        self.all_logs = []  # every log, a killed worker's too
        self.killed = set()  # indexes of workers killed and not yet restarted
        self.restarts = 0

    def command(self):
        return [sys.executable, "manage.py", "run_worker", "--no-reload"]

    def _start(self, log_name):
        environment = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE}
        log_path = self.workdir / log_name
        self.all_logs.append(log_path)
        with log_path.open("wb") as log:
            return spawn(self.command(), log, environment), log_path

    def __enter__(self):
        for number in range(1, self.count + 1):
            process, log_path = self._start(f"worker-{number}.log")
            self.processes.append(process)
            self.logs.append(log_path)
        return self

    def __exit__(self, *exc_info):
        self.stop()
        with suppress(OSError):
            DEFAULT_OUTPUT.parent.mkdir(exist_ok=True)
            for log_path in self.all_logs:
                (DEFAULT_OUTPUT.parent / log_path.name).write_bytes(log_path.read_bytes())

    def kill(self, index=0):
        """Kill worker ``index`` with SIGKILL (its whole process group), as the OOM killer or a
        lost machine would: no clean-up runs. Returns its pid."""
        process = self.processes[index]
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(WORKER_STOP_TIMEOUT_SECONDS)
        self.killed.add(index)
        return process.pid

    def restart(self, index=0):
        """Start worker ``index`` again after ``kill``, with a log of its own. Returns its pid."""
        self.restarts += 1
        process, log_path = self._start(f"worker-{index + 1}-restart-{self.restarts}.log")
        self.processes[index], self.logs[index] = process, log_path
        self.killed.discard(index)
        return process.pid

    def check(self):
        for index, (process, log_path) in enumerate(zip(self.processes, self.logs, strict=True)):
            if index not in self.killed and process.poll() is not None:
                tail = log_path.read_text(errors="replace")[-3000:]
                raise BenchError(
                    f"reporting: a delivery worker exited with status {process.returncode}.\n"
                    f"--- {log_path.name} ---\n{tail}"
                )

    def cpu_seconds(self):
        times = [_process_cpu_seconds(process.pid) for process in self.processes]
        return None if None in times else sum(times)

    def memory(self):
        """Each worker's memory now (``process_memory``, with its peak RSS so far)."""
        return [process_memory(process.pid) for process in self.processes]

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                # Graceful: the worker finishes the task in hand, then exits.
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(WORKER_STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(WORKER_STOP_TIMEOUT_SECONDS)
        self.processes = []


# --- CPU clocks from /proc ----------------------------------------------------------------------


def bench_database_backends():
    """CPU seconds so far of each PostgreSQL backend serving the bench database, by pid.

    A backend's process title names its database; other databases on the server (the test
    suites' that may run meanwhile) are left out.
    """
    from tests.bench import BENCH_DATABASE_NAME

    marker = f" {BENCH_DATABASE_NAME} ".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with suppress(OSError):
            if (entry / "comm").read_bytes().strip() == b"postgres" and marker in (
                entry / "cmdline"
            ).read_bytes():
                seconds = _process_cpu_seconds(int(entry.name))
                if seconds is not None:
                    found[int(entry.name)] = seconds
    return found


def _spent(before, after):
    """CPU seconds between two readings of a clock: numbers, or CPU seconds by pid (a process
    that started in between counts from zero; one that ended in between is not counted)."""
    if before is None or after is None:
        return None
    if isinstance(after, dict):
        return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())
    return after - before


def machine_busy_seconds():
    """CPU seconds the whole machine has been busy (all CPUs, ``/proc/stat``), or ``None``."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except (OSError, IndexError):
        return None
    ticks = [int(value) for value in fields[:8]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK")


# --- The run -----------------------------------------------------------------------------------


def measure(args, progress, server, workdir):
    """Run the reporting benchmark against the running ``server``; return its figures."""
    from demo.receiver import Receiver
    from tests.bench import dataset
    from tests.bench.run import scenarios

    floor = next(scenario for scenario in scenarios() if scenario.name == FLOOR)
    host = dataset.force_host(dataset.MEASURED_FORCE)
    journey_path = dataset.REPORT_JOURNEY_PATH
    concurrency = args.report_concurrency or args.concurrency

    with progress.step("reports_prepare", "reporting: clearing reports, pointing the webhook"):
        dataset.publish_report_journeys()
        dataset.reset_reports()
    with Receiver(secret=WEBHOOK_SECRET) as receiver:
        force = _point_webhook(dataset.MEASURED_FORCE, receiver)
        with progress.step("reports_queries", "reporting: counting queries per request"):
            queries, in_process_references = count_queries(host, journey_path)
        with DeliveryWorkers(args.report_workers, workdir) as workers:
            label = f"reporting: starting {args.report_workers} delivery worker(s) (run_worker)"
            with progress.step("reports_workers", label):
                _wait_for(
                    lambda: len(receiver.reports) >= _stored_count(),
                    workers,
                    WORKER_START_TIMEOUT_SECONDS,
                    "the worker delivered nothing",
                )
            with progress.step("reports_floor_1", "reporting: floor"):
                floor_before = drive(
                    server.port,
                    floor,
                    concurrency=concurrency,
                    max_requests=10**9,
                    max_seconds=FLOOR_SECONDS,
                )
            with progress.step("reports_warmup", "reporting: warming up"):
                warmup = drive_reports(
                    server.port,
                    host,
                    journey_path,
                    concurrency=concurrency,
                    per_browser=WARMUP_REPORTS_PER_BROWSER,
                    upload_every=1,
                )
                _wait_for(
                    lambda: len(receiver.reports) >= _stored_count(),
                    workers,
                    args.delivery_timeout,
                    "warm-up reports were not delivered",
                )
            received_before = len(receiver.reports)
            clocks = {
                "gunicorn": server.cpu_seconds,
                "postgres": bench_database_backends,
                "worker": workers.cpu_seconds,
                "machine": machine_busy_seconds,
                "bench": time.process_time,
            }
            label = f"reporting: {args.report_seconds:g} s of reports by {concurrency} browsers"
            with progress.step("reports_load", label):
                sample = drive_reports(
                    server.port,
                    host,
                    journey_path,
                    concurrency=concurrency,
                    max_seconds=args.report_seconds,
                    upload_every=args.upload_every,
                    cpu_clocks=clocks,
                )
            load_ended = time.time()
            backlog = _stored_count() - len(receiver.reports)
            workers_cpu_before = workers.cpu_seconds()
            with progress.step("reports_drain", "reporting: waiting for every delivery"):
                stored = _stored()
                expected = {key for key, _reference in stored}
                _wait_for(
                    lambda: expected <= _received_keys(receiver),
                    workers,
                    args.delivery_timeout,
                    None,
                )
            workers_cpu_drain = _difference(workers.cpu_seconds(), workers_cpu_before)
            # After every delivery: the most each worker has held.
            worker_memory = workers.memory()
            with progress.step("reports_floor_2", "reporting: floor"):
                floor_after = drive(
                    server.port,
                    floor,
                    concurrency=concurrency,
                    max_requests=10**9,
                    max_seconds=FLOOR_SECONDS,
                )
        if server.process.poll() is not None:
            raise server.fail("gunicorn stopped during the reporting run.")
        confirmed = set(in_process_references) | set(warmup.references) | set(sample.references)
        outcome = _account(receiver, stored, confirmed, received_before, sample, load_ended)
    return assemble(
        args=args,
        concurrency=concurrency,
        host=host,
        journey_path=journey_path,
        force=force,
        sample=sample,
        floor_samples=(floor_before, floor_after),
        queries=queries,
        backlog=backlog,
        outcome=outcome,
        workers_cpu_drain=workers_cpu_drain,
        worker_memory=worker_memory,
    )


def _point_webhook(slug, receiver):
    from forces.models import Force

    force = Force.objects.get(slug=slug)
    force.webhook_url = receiver.url(force.slug)
    force.set_webhook_secret(WEBHOOK_SECRET)
    force.save(update_fields=["webhook_url", "webhook_secret"])
    return force


def _stored():
    from reporting.models import Submission

    rows = Submission.objects.values_list("id", "reference")
    return [(str(key), reference) for key, reference in rows]


def _stored_count():
    from reporting.models import Submission

    return Submission.objects.count()


def _received_keys(receiver):
    with receiver.lock:
        return {report.key for report in receiver.reports}


def _difference(after, before):
    return None if after is None or before is None else after - before


def _wait_for(condition, workers, timeout, failure):
    """Poll ``condition`` until true; raise ``BenchError(failure)`` on timeout (None: return)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers.check()
        if condition():
            return True
        time.sleep(POLL_SECONDS)
    if failure:
        raise BenchError(f"reporting: {failure} within {timeout:g} s.")
    return False


# --- The figures -------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What reached the receiver, against what was stored and shown."""

    stored: int
    confirmed: int
    received: int
    lost: list  # references stored (or shown) and never received
    duplicated: int  # deliveries of an Idempotency-Key already received
    unconfirmed: int  # stored, but no confirmation page was seen showing them
    mismatched: int  # received under a stored key with another reference
    unknown: int  # received keys that are no stored report's
    refused: int  # webhook requests the receiver refused (bad signature and the like)
    load_deliveries: int
    delivery_seconds: float | None
    delivered_during_load: int
    drain_seconds: float | None
    delivery_latencies: list
    statuses: dict
    retried: int


def _account(receiver, stored, confirmed, received_before, sample, load_ended):
    from django.db.models import Count

    from reporting.models import Delivery

    stored_references = dict(stored)
    with receiver.lock:
        reports = list(receiver.reports)
        duplicated = receiver.duplicates
        refused = sum(1 for _force, _key, status in receiver.requests if status != 200)
    received = {report.key: report for report in reports}
    lost = sorted(reference for key, reference in stored_references.items() if key not in received)
    lost += sorted(confirmed - set(stored_references.values()))  # shown, but never stored
    mismatched = sum(
        1
        for key, report in received.items()
        if key in stored_references and report.reference != stored_references[key]
    )
    load_reports = reports[received_before:]
    arrivals = [datetime.fromisoformat(report.received_at).timestamp() for report in load_reports]
    latencies = sorted(
        arrival - datetime.fromisoformat(report.payload["submitted_at"]).timestamp()
        for arrival, report in zip(arrivals, load_reports, strict=True)
    )
    last = max(arrivals, default=None)
    statuses = {
        f"{row['channel']} {row['status']}": row["count"]
        for row in Delivery.objects.values("channel", "status").annotate(count=Count("pk"))
    }
    return Outcome(
        stored=len(stored_references),
        confirmed=len(confirmed),
        received=len(received),
        lost=lost,
        duplicated=duplicated,
        unconfirmed=len(set(stored_references.values()) - confirmed),
        mismatched=mismatched,
        unknown=len(set(received) - set(stored_references)),
        refused=refused,
        load_deliveries=len(load_reports),
        delivery_seconds=(
            last - sample.first_submit if last is not None and sample.first_submit else None
        ),
        delivered_during_load=sum(1 for arrival in arrivals if arrival <= load_ended),
        drain_seconds=max(0.0, last - load_ended) if last is not None else None,
        delivery_latencies=latencies,
        statuses=statuses,
        retried=Delivery.objects.filter(attempts__gt=1).count(),
    )


def _latency(values):
    ordered = sorted(values)
    if not ordered:
        return None
    return {
        "count": len(ordered),
        "p50": round(1000 * percentile(ordered, 0.50), 2),
        "p95": round(1000 * percentile(ordered, 0.95), 2),
        "p99": round(1000 * percentile(ordered, 0.99), 2),
        "max": round(1000 * ordered[-1], 2),
    }


def _rate(count, seconds):
    return round(count / seconds, 2) if seconds else None


def _per(seconds, count):
    """Milliseconds of ``seconds`` per one of ``count``."""
    return round(1000 * seconds / count, 2) if seconds is not None and count else None


def assemble(
    *,
    args,
    concurrency,
    host,
    journey_path,
    force,
    sample,
    floor_samples,
    queries,
    backlog,
    outcome,
    workers_cpu_drain,
    worker_memory=None,
):
    """The reporting figures for the results file."""
    floor_requests = sum(floor.requests for floor in floor_samples)
    floor_seconds = sum(floor.seconds for floor in floor_samples)
    floor_rate = floor_requests / floor_seconds if floor_seconds else None
    reports_rate = sample.reports / sample.seconds if sample.seconds else None
    requests_rate = sample.requests / sample.seconds if sample.seconds else None
    step_labels = [label for label in sample.latencies if label.startswith("step ")]
    step_latencies = [value for label in step_labels for value in sample.latencies[label]]
    step_gets = {label: len(sql) for label, sql in queries.items() if label.startswith("GET ")}
    step_gets.pop("GET check-your-answers", None)
    step_posts = {label: len(sql) for label, sql in queries.items() if label.startswith("POST ")}
    cpu = sample.cpu
    worker_cpu = None
    if cpu.get("worker") is not None and workers_cpu_drain is not None:
        worker_cpu = cpu["worker"] + workers_cpu_drain
    known = [cpu.get(name) for name in ("gunicorn", "postgres", "worker", "bench")]
    other = None
    if cpu.get("machine") is not None and None not in known:
        other = cpu["machine"] - sum(known)
    max_step_get = max(step_gets.values(), default=None)
    lost = len(outcome.lost)
    worker_ms = _per(worker_cpu, outcome.load_deliveries)
    # The machine's own cost of a report, whatever else shares it: its CPUs over the CPU time
    # the server, the database and the worker spend on one report.
    spent = [_per(cpu.get(name), sample.reports) for name in ("gunicorn", "postgres")]
    ceiling = None
    if None not in spent and worker_ms is not None:
        ceiling = round(1000 * os.cpu_count() / (sum(spent) + worker_ms), 1)
    return {
        "journey": {
            "force": force.slug,
            "host": host,
            "path": journey_path,
            "steps_posted": len(step_answers()),
            "requests_per_report": len(step_answers()) + 3,
            "upload_every": args.upload_every,
        },
        "load": {
            "browsers": concurrency,
            "seconds": round(sample.seconds, 2),
            "delivery_workers": args.report_workers,
            "delivery_timeout_seconds": args.delivery_timeout,
        },
        "reports": sample.reports,
        "requests": sample.requests,
        "reports_per_second": round(reports_rate, 2) if reports_rate else None,
        "requests_per_second": round(requests_rate, 1) if requests_rate else None,
        "floor_requests_per_second": round(floor_rate, 1) if floor_rate else None,
        "vs_floor": {
            # Complete reports per second over the floor's requests per second.
            "reports": round(reports_rate / floor_rate, 4) if reports_rate and floor_rate else None,
            "requests": (
                round(requests_rate / floor_rate, 4) if requests_rate and floor_rate else None
            ),
        },
        "latency_ms": {
            "step_posts": _latency(step_latencies),
            "submit": _latency(sample.latencies.get("submit", [])),
            "start": _latency(sample.latencies.get("start", [])),
            "confirmation": _latency(sample.latencies.get("confirmation", [])),
            "by_request": {
                label: _latency(values) for label, values in sorted(sample.latencies.items())
            },
        },
        "queries": {
            "max_per_step_get": max_step_get,
            "max_per_step_post": max(step_posts.values(), default=None),
            "submit": len(queries.get("submit", [])),
            "budget_per_step": QUERY_BUDGET_PER_STEP,
            "by_request": {label: len(sql) for label, sql in queries.items()},
            "sql": queries,
        },
        "ceiling_reports_per_second": ceiling,
        "cpu_ms_per_report": {
            "gunicorn": _per(cpu.get("gunicorn"), sample.reports),
            "postgres": _per(cpu.get("postgres"), sample.reports),
            "load_generator_and_receiver": _per(cpu.get("bench"), sample.reports),
            "other": _per(other, sample.reports),
            "machine": _per(cpu.get("machine"), sample.reports),
            "machine_busy_fraction": (
                round(cpu["machine"] / (sample.seconds * os.cpu_count()), 3)
                if cpu.get("machine") is not None
                else None
            ),
        },
        "delivery": {
            "workers": args.report_workers,
            "deliveries": outcome.load_deliveries,
            "seconds": round(outcome.delivery_seconds, 2) if outcome.delivery_seconds else None,
            "deliveries_per_second": _rate(outcome.load_deliveries, outcome.delivery_seconds),
            "delivered_during_load": outcome.delivered_during_load,
            "backlog_at_end_of_load": backlog,
            "drain_seconds": (
                round(outcome.drain_seconds, 2) if outcome.drain_seconds is not None else None
            ),
            "latency_ms": _latency(outcome.delivery_latencies),
            # CPU of the delivery workers per report (its webhook, and the reporter's email).
            "worker_cpu_ms_per_report": worker_ms,
            "worker_capacity_reports_per_second": round(1000 / worker_ms, 1) if worker_ms else None,
            "stored": outcome.stored,
            "confirmed": outcome.confirmed,
            "received": outcome.received,
            "lost": lost,
            "lost_references": outcome.lost[:50],
            "duplicated": outcome.duplicated,
            "unconfirmed": outcome.unconfirmed,
            "mismatched": outcome.mismatched,
            "unknown": outcome.unknown,
            "refused": outcome.refused,
            "retried": outcome.retried,
            "deliveries_by_status": outcome.statuses,
        },
        # The delivery workers' memory (MB), read once every report was delivered.
        "worker_memory": worker_memory,
        "targets": {
            "reports_per_second": TARGET_REPORTS_PER_SECOND,
            "reports_per_second_met": bool(
                reports_rate and reports_rate >= TARGET_REPORTS_PER_SECOND
            ),
            "none_lost": lost == 0,
            "none_duplicated": outcome.duplicated == 0,
            "queries_per_step_met": (
                max_step_get is not None and max_step_get <= QUERY_BUDGET_PER_STEP
            ),
        },
    }


def _ms(latency, key):
    return "-" if not latency else f"{latency[key]:.1f}"


def _yes(flag):
    return "yes" if flag else "NO"


def format_section(result):
    """The "Reporting" section of the printed results."""
    journey, delivery, queries = result["journey"], result["delivery"], result["queries"]
    latency, cpu, targets = result["latency_ms"], result["cpu_ms_per_report"], result["targets"]
    by_request = latency["by_request"]
    rows = []
    order = {f"step {step_id}": index for index, (step_id, _fields) in enumerate(step_answers())}
    steps = sorted(
        (label for label in by_request if label.startswith("step ")),
        key=lambda label: (order.get(label.removesuffix(" (upload)"), 99), label),
    )
    labels = ["start", *steps, "submit", "confirmation"]
    query_label = {
        "start": ("-", "start"),
        "submit": ("GET check-your-answers", "submit"),
        "confirmation": ("confirmation", "-"),
    }
    for label in labels:
        values = by_request.get(label)
        if values is None:
            continue
        if label.startswith("step "):
            step_id = label.removeprefix("step ")
            get_label, post_label = f"GET {step_id.removesuffix(' (upload)')}", f"POST {step_id}"
        else:
            get_label, post_label = query_label[label]
        get_count = queries["by_request"].get(get_label)
        post_count = queries["by_request"].get(post_label)
        rows.append(
            [
                label,
                str(values["count"]),
                f"{values['p50']:.1f}",
                f"{values['p95']:.1f}",
                f"{values['p99']:.1f}",
                "-" if get_count is None else str(get_count),
                "-" if post_count is None else str(post_count),
            ]
        )
    titles = ["request", "count", "p50 ms", "p95 ms", "p99 ms", "queries GET", "queries POST"]
    widths = [max([len(title), *(len(row[i]) for row in rows)]) for i, title in enumerate(titles)]

    def line(cells):
        return "  ".join(
            f"{cell:<{width}}" if index == 0 else f"{cell:>{width}}"
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )

    vs_floor = result["vs_floor"]
    lines = [
        f"Reporting: {journey['path']} on {journey['host']}, {result['load']['browsers']} "
        f"browsers for {result['load']['seconds']:.1f} s, {delivery['workers']} delivery "
        f"worker(s); {journey['requests_per_report']} requests per report (start, "
        f"{journey['steps_posted']} steps, submit, confirmation), an upload in 1 of "
        f"{journey['upload_every'] or '-'}.",
        "",
        line(titles),
        "-" * len(line(titles)),
        *(line(row) for row in rows),
        "",
        f"  complete reports/s     {result['reports_per_second'] or 0:.1f}  ({result['reports']} "
        f"reports, {result['requests_per_second'] or 0:.0f} requests/s)",
        f"  of floor               {_fmt(vs_floor['reports'], '{:.4f}')} reports per floor "
        f"request ({result['floor_requests_per_second'] or 0:.0f} floor requests/s; the "
        f"journey's requests/s are {_fmt(vs_floor['requests'], '{:.3f}')} of the floor's)",
        f"  step POST latency      p50 {_ms(latency['step_posts'], 'p50')} ms, p95 "
        f"{_ms(latency['step_posts'], 'p95')} ms",
        f"  submit latency         p50 {_ms(latency['submit'], 'p50')} ms, p95 "
        f"{_ms(latency['submit'], 'p95')} ms",
        f"  queries                step GET at most {queries['max_per_step_get']}, step POST at "
        f"most {queries['max_per_step_post']}, submit {queries['submit']} (budget "
        f"{queries['budget_per_step']} per step render)",
        f"  deliveries/s           {_fmt(delivery['deliveries_per_second'], '{:.1f}')}  "
        f"({delivery['deliveries']} from the first submit to the last arrival in "
        f"{_fmt(delivery['seconds'], '{:.1f}')} s; backlog {delivery['backlog_at_end_of_load']} "
        f"at the end of the load, drained {_fmt(delivery['drain_seconds'], '{:.1f}')} s later; "
        f"submit to arrival p50 {_ms(delivery['latency_ms'], 'p50')} ms, p95 "
        f"{_ms(delivery['latency_ms'], 'p95')} ms)",
        f"  lost / duplicated      {delivery['lost']} / {delivery['duplicated']}  "
        f"({delivery['stored']} stored, {delivery['confirmed']} confirmed, "
        f"{delivery['received']} received once; {delivery['retried']} retried, "
        f"{delivery['refused']} refused)",
        f"  CPU ms per report      gunicorn {_fmt(cpu['gunicorn'], '{:.1f}')}, PostgreSQL "
        f"{_fmt(cpu['postgres'], '{:.1f}')}, delivery worker "
        f"{_fmt(delivery['worker_cpu_ms_per_report'], '{:.1f}')}, browsers and receiver "
        f"{_fmt(cpu['load_generator_and_receiver'], '{:.1f}')}, other "
        f"{_fmt(cpu['other'], '{:.1f}')}; machine "
        f"{_fmt(cpu['machine_busy_fraction'], '{:.0%}')} busy",
        f"  CPU-bound ceiling      {_fmt(result['ceiling_reports_per_second'], '{:.1f}')} "
        f"reports/s on {os.cpu_count()} CPUs with nothing else running (gunicorn + PostgreSQL "
        f"+ worker CPU per report); one worker delivers at most "
        f"{_fmt(delivery['worker_capacity_reports_per_second'], '{:.0f}')} reports/s",
        "  run_worker memory      peak RSS "
        + (
            ", ".join(
                f"{_fmt(worker and worker.get('peak_rss_mb'), '{:.0f}')} MB"
                for worker in result.get("worker_memory") or []
            )
            or "-"
        ),
        f"  targets                >= {targets['reports_per_second']} reports/s: "
        f"{_yes(targets['reports_per_second_met'])}; 0 lost: {_yes(targets['none_lost'])}; "
        f"0 duplicated: {_yes(targets['none_duplicated'])}; <= {QUERY_BUDGET_PER_STEP} queries "
        f"per step: {_yes(targets['queries_per_step_met'])}",
    ]
    return "\n".join(lines)


def _fmt(value, template):
    return "-" if value is None else template.format(value)


if __name__ == "__main__":
    from tests.bench.run import main

    sys.exit(main(["--only", "reports", *sys.argv[1:]]))
