"""``make bench``, soak: every force's pages and reports at a steady rate while the worker dies.

    .venv/bin/python -m tests.bench.run                 # pages, reporting, then the soak
    .venv/bin/python -m tests.bench.run --only soak     # the soak alone
    .venv/bin/python -m tests.bench.run --no-soak       # everything but the soak
    .venv/bin/python -m tests.bench.soak                # the same as ``--only soak``

with ``--soak-seconds 300``, ``--soak-page-rate 20``, ``--soak-report-rate 2``,
``--soak-kill-at 0.4``, ``--soak-worker-down 15`` and ``--soak-held-webhook lost`` (add
``--reuse-dataset`` to keep the database of an earlier run). Against a gunicorn of its own,
as production runs it (``tests.bench.run.Server``: page cache on), sized for its connections:

1. Every force's webhook points at one ``demo.receiver.Receiver`` on loopback (signatures
   checked, reports deduplicated by ``Idempotency-Key``), and one ``manage.py run_worker``
   delivers (``tests.bench.reports.DeliveryWorkers``). Each page of the mix (below) is got once
   and one report is made on each force's site, all delivered before the clock starts.
2. **Open-loop load**, for ``--soak-seconds``: page views arrive at ``--soak-page-rate`` a
   second and reports at ``--soak-report-rate``, each at its appointed time (arrival *n* at
   *n* / rate), whatever the server's pace, so a slow answer delays no later arrival (the
   closed loop of the other benchmarks would slow down with the server and hide it). A page view
   is a ``GET`` of a page picked at random (a fixed seed) from every force's home, national
   advice article, own advice page, news index and three newest news articles, and the hub's
   home, on keep-alive connections; it must answer 200 with the force's name in it. A report is
   a new browser on a random force's site making the road traffic incident report of
   ``tests.bench.reports`` (start page, 11 steps, the submit, the confirmation page; every
   ``--upload-every``-th attaches a photo). A page view's latency runs from its appointed time
   to its answer; a submit's is the submit ``POST``'s.
3. **The fault**: at ``--soak-kill-at`` of the soak, the receiver holds the next webhook it
   receives, the worker is killed with SIGKILL while it waits for the answer (the delivery is in
   flight, its row leased to the dead worker), then the receiver lets the request go on: with
   ``--soak-held-webhook lost`` it answers 503 and keeps nothing, as a back office that never
   took the report in (only the platform's recovery can bring it: the lease runs out, the sweep
   queues it again); with ``received`` it keeps the report, as one that took it in but whose
   answer never reached the dead worker (the report's second delivery must be deduplicated).
   The worker is started again ``--soak-worker-down`` seconds later. The load goes on
   throughout.
4. **Windows**: *before* the kill; *during*, from the kill until the restarted worker has
   caught up (every report stored before its restart has arrived, but the one the dead worker
   held, which ``run_worker``'s delivery sweep sends again once its lease has run out); *after*.
   Each gives the count and p50/p95 of page views and of submits, and of the delay from submit
   to arrival at the receiver.
5. **Nothing lost, nothing doubled.** After the load, until every stored report has reached the
   receiver and no delivery is pending (at most ``--delivery-timeout`` seconds, or longer if the
   held delivery's lease and the next sweep need it): *sent* are the submits answered with the
   confirmation, *delivered* the reports the receiver holds (one per ``Idempotency-Key``),
   *lost* the stored or confirmed ones that never arrived (and submits answered with no report
   stored), *duplicated* a report the receiver holds twice after its dedupe (one reference
   under two keys, or more reports stored than submits made), and *redelivered* the webhooks
   of a key already received that the dedupe dropped (at-least-once delivery: with
   ``received``, the one held at the kill). Lost and duplicated must be 0, and every request
   must have succeeded, or ``tests.bench.run`` exits non-zero once the results are written.
"""

import http.client
import itertools
import random
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime

from tests.bench.reports import Browser
from tests.bench.run import (
    REQUEST_TIMEOUT_SECONDS,
    WORKERS,
    BenchError,
    Scenario,
    check_response,
    percentile,
)

SEED = 12
DEFAULT_SECONDS = 300.0
DEFAULT_PAGE_RATE = 20.0
DEFAULT_REPORT_RATE = 2.0
DEFAULT_KILL_AT = 0.4
DEFAULT_WORKER_DOWN_SECONDS = 15.0
# Enough clients that a slow answer or two never delays an arrival; the server is sized for
# them all (each gunicorn worker takes its share of the connections).
PAGE_THREADS = 8
REPORT_THREADS = 8
CONNECTIONS = PAGE_THREADS + REPORT_THREADS
NEWS_ARTICLES = 3
# How long the receiver holds webhooks waiting for one to kill the worker in.
HOLD_SECONDS = 10.0
HELD_WEBHOOK = ("lost", "received")
# run_worker's --sweep-every: how often it queues again deliveries whose lease has run out.
SWEEP_EVERY_SECONDS = 60.0
POLL_SECONDS = 0.1
ERRORS_KEPT = 20
WINDOWS = ("before", "during", "after")


# --- What is asked for -------------------------------------------------------------------------


def page_mix(forces):
    """Every page a view may ask for (``run.Scenario``): each force's home, national advice
    article, own advice page, news index and newest news articles, and the hub's home."""
    from django.conf import settings

    from tests.bench import dataset

    pages = [Scenario("hub home", settings.BASE_DOMAIN, "/", ("Find your police force",))]
    for force in forces:
        host, name = dataset.force_host(force.slug), force.name
        pages += [
            Scenario(f"{force.slug} home", host, "/", (name,)),
            Scenario(
                f"{force.slug} national advice",
                host,
                dataset.NATIONAL_PATH,
                (dataset.NATIONAL_TITLE, name),
            ),
            Scenario(
                f"{force.slug} local advice",
                host,
                dataset.CONTENT_PATH,
                (dataset.CONTENT_TITLE, name),
            ),
            Scenario(f"{force.slug} news index", host, dataset.NEWS_INDEX_PATH, (name,)),
            *(
                Scenario(f"{force.slug} news {n + 1}", host, dataset.news_path(n), (name,))
                for n in range(NEWS_ARTICLES)
            ),
        ]
    return pages


@dataclass(frozen=True)
class Plan:
    """What the soak asks for and when: ``pages[n]`` is page view *n*, ``reports[n]`` the force
    of report *n* (the seed fixes both)."""

    seconds: float
    page_rate: float
    report_rate: float
    pages: list
    reports: list
    kill_at: float  # seconds from the start
    worker_down: float
    held_webhook: str  # what the receiver does with the webhook the worker dies in

    @classmethod
    def make(cls, args, pages, forces):
        chooser = random.Random(SEED)
        seconds = args.soak_seconds
        return cls(
            seconds=seconds,
            page_rate=args.soak_page_rate,
            report_rate=args.soak_report_rate,
            pages=[chooser.choice(pages) for _ in range(_arrivals(args.soak_page_rate, seconds))],
            reports=[
                chooser.choice(forces) for _ in range(_arrivals(args.soak_report_rate, seconds))
            ],
            kill_at=seconds * args.soak_kill_at,
            worker_down=args.soak_worker_down,
            held_webhook=args.soak_held_webhook,
        )


def _arrivals(rate, seconds):
    return max(0, int(rate * seconds - 1e-9) + 1) if rate else 0


# --- Load --------------------------------------------------------------------------------------


@dataclass
class Record:
    """What the load saw. Times are seconds from the start of the soak (``time.perf_counter``)."""

    pages: list = field(default_factory=list)  # (appointed time, latency)
    submits: list = field(default_factory=list)  # (time sent, latency)
    journey_requests: list = field(default_factory=list)  # (time sent, latency)
    lateness: dict = field(default_factory=lambda: {"pages": [], "reports": []})
    references: list = field(default_factory=list)
    submitted: int = 0  # submits sent
    sent: int = 0  # submits answered with the redirect to the confirmation page
    errors: list = field(default_factory=list)
    first_submit: float | None = None  # wall clock, for tests.bench.reports._account
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, message):
        self.errors.append(message)

    def journey(self, browser, began):
        """Note what ``browser`` (a ``TimedBrowser``, its report made or failed) did."""
        with self.lock:
            for label, answer in browser.answers:
                at = answer.began - began
                self.journey_requests.append((at, answer.seconds))
                if label == "submit":
                    self.submitted += 1
                    self.sent += answer.status == 302
                    self.submits.append((at, answer.seconds))
            first = browser.first_submit
            if first is not None:
                self.first_submit = min(self.first_submit or first, first)
            self.references += browser.references


def arrive(rate, count, began, threads, stop, handle):
    """Start ``threads`` threads calling ``handle(n, appointed)`` for arrival ``n`` of ``count``
    at its appointed time, ``began + n / rate`` (``time.perf_counter``), late if every thread is
    busy. Returns the threads."""
    tickets = itertools.count()
    lock = threading.Lock()

    def loop():
        while not stop.is_set():
            with lock:
                number = next(tickets)
            if number >= count:
                return
            appointed = began + number / rate
            wait = appointed - time.perf_counter()
            if wait > 0 and stop.wait(wait):
                return
            handle(number, appointed)

    started = [threading.Thread(target=loop, daemon=True) for _ in range(threads if count else 0)]
    for thread in started:
        thread.start()
    return started


class PageViews:
    """Page view *n* of the plan, on a keep-alive connection per thread."""

    def __init__(self, port, plan, record, began):
        self.port, self.plan, self.record, self.began = port, plan, record, began
        self.local = threading.local()
        self.connections = []

    def connection(self):
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=REQUEST_TIMEOUT_SECONDS
            )
            self.local.connection = connection
            self.connections.append(connection)
        return connection

    def __call__(self, number, appointed):
        page = self.plan.pages[number]
        self.record.lateness["pages"].append(time.perf_counter() - appointed)
        try:
            connection = self.connection()
            connection.request(
                "GET", page.path, headers={"Host": page.host, "User-Agent": "solh-bench-soak"}
            )
            response = connection.getresponse()
            body = response.read()
            check_response(page, response.status, body)
        except (OSError, http.client.HTTPException, BenchError) as error:
            self.record.error(f"page view {page.url} at {appointed - self.began:.1f} s: {error}")
            self.local.connection = None  # a fresh one for the next view
            with suppress(Exception):
                connection.close()
            return
        self.record.pages.append((appointed - self.began, time.perf_counter() - appointed))

    def close(self):
        for connection in self.connections:
            connection.close()


class TimedBrowser(Browser):
    """A browser (``tests.bench.reports.Browser``) that keeps each answer with its label: each
    answer knows when its request was sent."""

    def __init__(self, *args):
        super().__init__(*args)
        self.answers = []

    def record(self, label, answer):
        super().record(label, answer)
        self.answers.append((label, answer))


class Reports:
    """Report *n* of the plan: a new browser on its force's site makes one report."""

    def __init__(self, port, plan, record, began, upload_every):
        from tests.bench import dataset
        from tests.bench.reports import small_png, step_answers

        self.port, self.plan, self.record, self.began = port, plan, record, began
        self.upload_every = upload_every
        self.steps, self.png = step_answers(), small_png()
        self.journey_path = dataset.REPORT_JOURNEY_PATH
        self.host = dataset.force_host

    def __call__(self, number, appointed):
        force = self.plan.reports[number]
        self.record.lateness["reports"].append(time.perf_counter() - appointed)
        browser = TimedBrowser(
            self.port, self.host(force.slug), self.journey_path, self.steps, self.png
        )
        record, began = self.record, self.began
        upload = bool(self.upload_every) and (number + 1) % self.upload_every == 0
        try:
            browser.open_start_page()
            browser.report(upload=upload)
        except BenchError as error:
            record.error(f"report on {force.slug} at {appointed - began:.1f} s: {error}")
        finally:
            browser.close()
        record.journey(browser, began)


# --- The fault ---------------------------------------------------------------------------------


@dataclass
class Fault:
    """When the worker was killed and came back, seconds from the start of the soak."""

    killed_at: float | None = None
    in_flight: bool = False  # a webhook was held at the receiver when the worker died
    held: list = field(default_factory=list)  # (submission key, lease end) leased to the dead
    restarted_at: float | None = None
    caught_up_at: float | None = None


def held_deliveries():
    """``[(submission key, lease end)]`` of the deliveries a worker holds now (leased, not done)."""
    from django.utils import timezone

    from reporting.models import Delivery, DeliveryStatus

    rows = Delivery.objects.filter(
        status=DeliveryStatus.PENDING, lease_until__gt=timezone.now()
    ).values_list("submission_id", "lease_until")
    return [(str(key), lease_until) for key, lease_until in rows]


def break_worker(plan, began, workers, receiver, stop):
    """At ``plan.kill_at``: kill the worker in a webhook delivery (which the receiver then loses
    or keeps, as ``plan.held_webhook`` says); start it again ``plan.worker_down`` seconds later;
    then note when it has caught up. Returns a ``Fault``."""
    from tests.bench.reports import _received_keys, _stored

    fault = Fault()

    def now():
        return time.perf_counter() - began

    if stop.wait(max(0.0, plan.kill_at - now())):
        return fault
    receiver.request_arrived.clear()
    receiver.hang()
    try:
        fault.in_flight = receiver.request_arrived.wait(HOLD_SECONDS)
        workers.kill(0)
        fault.killed_at = now()
        fault.held = held_deliveries()
        if plan.held_webhook == "lost" and fault.in_flight:
            # The held request is the only one: its worker is dead, and no other runs yet.
            receiver.fail_next(1, status=503)
    finally:
        receiver.release()
    if stop.wait(max(0.0, fault.killed_at + plan.worker_down - now())):
        return fault
    waiting = {key for key, _reference in _stored()} - {key for key, _lease in fault.held}
    workers.restart(0)
    fault.restarted_at = now()
    while now() < plan.seconds:  # not caught up by the end: "during" lasts until then
        if waiting <= _received_keys(receiver):
            fault.caught_up_at = now()
            break
        if stop.wait(POLL_SECONDS):
            break
    return fault


# --- The run -----------------------------------------------------------------------------------


def measure(args, progress, server, workdir):
    """Run the soak against the running ``server``; return its figures (``"passed"`` says
    whether nothing was lost, doubled or failed)."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from demo.receiver import Receiver
    from forces.models import Force
    from tests.bench import dataset
    from tests.bench.reports import (
        WEBHOOK_SECRET,
        DeliveryWorkers,
        _account,
        _point_webhook,
        _received_keys,
        _stored,
        _wait_for,
    )

    forces = list(Force.objects.order_by("slug"))
    if not forces:
        raise BenchError("soak: the bench database has no force.")
    pages = page_mix(forces)
    plan = Plan.make(args, pages, forces)
    record = Record()
    with progress.step("soak_prepare", f"soak: clearing reports, pointing {len(forces)} webhooks"):
        dataset.publish_report_journeys()
        dataset.reset_reports()
    with Receiver(secret=WEBHOOK_SECRET) as receiver:
        for force in forces:
            _point_webhook(force.slug, receiver)
        with DeliveryWorkers(1, workdir) as workers:
            with progress.step(
                "soak_warmup",
                f"soak: getting {len(pages)} pages once, one report per force, delivered",
            ):
                warmup = warm_up(server.port, pages, forces, record)
                _wait_for(
                    lambda: {key for key, _ref in _stored()} <= _received_keys(receiver),
                    workers,
                    args.delivery_timeout,
                    "the warm-up reports were not delivered",
                )
            received_before = len(receiver.reports)
            label = (
                f"soak: {plan.seconds:g} s at {plan.page_rate:g} page views/s and "
                f"{plan.report_rate:g} reports/s on {len(forces)} forces, the worker killed at "
                f"{plan.kill_at:.0f} s and back {plan.worker_down:g} s later"
            )
            with progress.step("soak_load", label):
                stop = threading.Event()
                began = time.perf_counter()
                wall_began = time.time()
                views = PageViews(server.port, plan, record, began)
                makers = Reports(server.port, plan, record, began, args.upload_every)
                threads = arrive(
                    plan.page_rate, len(plan.pages), began, PAGE_THREADS, stop, views
                ) + arrive(plan.report_rate, len(plan.reports), began, REPORT_THREADS, stop, makers)
                try:
                    fault = break_worker(plan, began, workers, receiver, stop)
                    for thread in threads:
                        thread.join()
                finally:
                    stop.set()
                    receiver.release()
                    views.close()
                load_seconds = time.perf_counter() - began
            load_ended = time.time()
            if fault.restarted_at is None:
                raise BenchError("soak: the worker was not killed and restarted during the run.")
            server.check_running()
            # The held delivery comes back when its lease has run out and the next sweep runs.
            lease_left = max(
                ((lease - timezone.now()).total_seconds() for _key, lease in fault.held),
                default=0.0,
            )
            timeout = max(
                args.delivery_timeout,
                lease_left + SWEEP_EVERY_SECONDS + 2 * settings.REPORT_DELIVERY_TIMEOUT_SECONDS,
            )
            label = (
                "soak: waiting for every delivery (the one the worker died in is sent again "
                f"once its lease has run out; at most {timeout:.0f} s)"
            )
            with progress.step("soak_drain", label):
                stored = _stored()
                expected = {key for key, _reference in stored}
                _wait_for(
                    lambda: expected <= _received_keys(receiver) and not pending_deliveries(),
                    workers,
                    timeout,
                    None,
                )
            confirmed = set(warmup) | set(record.references)
            outcome = _account(receiver, stored, confirmed, received_before, record, load_ended)
            received = list(receiver.reports)
            redelivered = receiver.duplicates
        running = running_task_rows()
    connection.close()
    return assemble(
        args=args,
        plan=plan,
        forces=forces,
        pages=pages,
        record=record,
        warmup=len(warmup),
        fault=fault,
        outcome=outcome,
        received=received,
        redelivered=redelivered,
        wall_began=wall_began,
        load_seconds=load_seconds,
        delivery_timeout=timeout,
        running=running,
    )


def warm_up(port, pages, forces, record):
    """Each page got once and one report made on each force's site, ``WORKERS`` at a time;
    returns the references shown. Any failure ends the run: the soak would only repeat it."""
    from tests.bench import dataset
    from tests.bench.reports import small_png, step_answers

    def view(page):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS)
        try:
            connection.request("GET", page.path, headers={"Host": page.host})
            response = connection.getresponse()
            check_response(page, response.status, response.read())
        except (OSError, http.client.HTTPException) as error:
            raise BenchError(f"soak: GET {page.url} failed: {error!r}") from error
        finally:
            connection.close()

    steps, png = step_answers(), small_png()

    def report(force):
        browser = Browser(
            port, dataset.force_host(force.slug), dataset.REPORT_JOURNEY_PATH, steps, png
        )
        try:
            browser.open_start_page()
            return browser.report(upload=True)
        finally:
            browser.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(view, pages))
        references = list(pool.map(report, forces))
    record.submitted += len(references)
    record.sent += len(references)
    return references


def pending_deliveries():
    """Deliveries not yet delivered nor given up (one leased to the killed worker stays so
    until its lease has run out and the sweep has queued it again)."""
    from reporting.models import Delivery, DeliveryStatus

    return Delivery.objects.filter(status=DeliveryStatus.PENDING).count()


def running_task_rows():
    """Task rows still RUNNING (the killed worker's stays so until ``run_worker`` marks it
    failed, ``TASK_RUNNING_STALE_MINUTES`` after it started)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="RUNNING").count()


# --- The figures -------------------------------------------------------------------------------


def _latency(values):
    ordered = sorted(values)
    if not ordered:
        return {"count": 0}
    return {
        "count": len(ordered),
        "p50": round(1000 * percentile(ordered, 0.50), 1),
        "p95": round(1000 * percentile(ordered, 0.95), 1),
        "max": round(1000 * ordered[-1], 1),
    }


def window_of(at, fault):
    """``"before"``, ``"during"`` or ``"after"`` the worker's outage for a time ``at``."""
    if fault.killed_at is None or at < fault.killed_at:
        return "before"
    if fault.caught_up_at is None or at < fault.caught_up_at:
        return "during"
    return "after"


def assemble(
    *,
    args,
    plan,
    forces,
    pages,
    record,
    warmup,
    fault,
    outcome,
    received,
    redelivered,
    wall_began,
    load_seconds,
    delivery_timeout,
    running,
):
    """The soak's figures for the results file."""
    end = max(plan.seconds, load_seconds)  # the last reports finish after the last arrival
    by_window = {name: {"pages": [], "submits": [], "delivery": []} for name in WINDOWS}
    for at, seconds in record.pages:
        by_window[window_of(at, fault)]["pages"].append(seconds)
    for at, seconds in record.submits:
        by_window[window_of(at, fault)]["submits"].append(seconds)
    for report in received:
        submitted = datetime.fromisoformat(report.payload["submitted_at"]).timestamp()
        arrived = datetime.fromisoformat(report.received_at).timestamp()
        if submitted >= wall_began:
            by_window[window_of(submitted - wall_began, fault)]["delivery"].append(
                arrived - submitted
            )
    bounds = {
        "before": (0.0, fault.killed_at if fault.killed_at is not None else end),
        "during": (fault.killed_at, fault.caught_up_at if fault.caught_up_at is not None else end),
        "after": (fault.caught_up_at, end if fault.caught_up_at is not None else None),
    }
    windows = {}
    for name in WINDOWS:
        start, stop = bounds[name]
        windows[name] = {
            "from_seconds": _round(start),
            "to_seconds": _round(stop),
            "page_views": _latency(by_window[name]["pages"]),
            "submits": _latency(by_window[name]["submits"]),
            "submit_to_delivery": _latency(by_window[name]["delivery"]),
        }
    references = Counter(report.reference for report in received)
    # A report the receiver holds twice after its dedupe: one reference under two keys, or
    # more reports stored than submits were made.
    doubled = sum(count - 1 for count in references.values()) + max(
        0, outcome.stored - record.submitted
    )
    # Lost: stored or shown and never received, or a submit accepted with no report stored.
    lost = len(outcome.lost) + max(0, record.sent - outcome.stored)
    errors = len(record.errors)
    passed = lost == 0 and doubled == 0 and errors == 0 and outcome.mismatched == 0
    return {
        "seconds": plan.seconds,
        "load_seconds": round(load_seconds, 1),
        "forces": len(forces),
        "pages_in_mix": len(pages),
        "page_views_per_second": plan.page_rate,
        "reports_per_second": plan.report_rate,
        "generator": (
            f"open loop: arrivals at fixed times; {PAGE_THREADS} page threads on keep-alive "
            f"connections, {REPORT_THREADS} report threads (a new browser per report)"
        ),
        "upload_every": args.upload_every,
        "worker": {
            "killed_at_seconds": _round(fault.killed_at),
            "killed_in_a_delivery": fault.in_flight,
            "held_webhook": plan.held_webhook,
            "reports_held_by_the_killed_worker": len({key for key, _lease in fault.held}),
            # Of the reports whose delivery the killed worker held, those the receiver has.
            "held_reports_received": len(
                {key for key, _lease in fault.held} & {report.key for report in received}
            ),
            "restarted_at_seconds": _round(fault.restarted_at),
            "caught_up_at_seconds": _round(fault.caught_up_at),
            "task_rows_left_running": running,
        },
        "windows": windows,
        "page_views": _latency([seconds for _at, seconds in record.pages]),
        "submits": _latency([seconds for _at, seconds in record.submits]),
        "journey_requests": _latency([seconds for _at, seconds in record.journey_requests]),
        "lateness_ms": {
            # How late arrivals started (every client thread busy): the generator's own lag.
            name: _latency(values)
            for name, values in record.lateness.items()
        },
        "reports": {
            "warmup": warmup,
            "submitted": record.submitted,
            "sent": record.sent,
            "stored": outcome.stored,
            "delivered": outcome.received,
            "lost": lost,
            "lost_references": outcome.lost[:50],
            "duplicated": doubled,
            "redelivered": redelivered,
            "mismatched": outcome.mismatched,
            "unknown": outcome.unknown,
            "refused": outcome.refused,
            "retried": outcome.retried,
            "deliveries_by_status": outcome.statuses,
            "delivery_timeout_seconds": round(delivery_timeout, 1),
        },
        "errors": errors,
        "error_samples": record.errors[:ERRORS_KEPT],
        "passed": passed,
    }


def _round(value):
    return None if value is None else round(value, 1)


def failure(result):
    """Why the soak failed (``None`` if it passed)."""
    if result["passed"]:
        return None
    reports = result["reports"]
    reasons = [
        f"{reports['lost']} lost" if reports["lost"] else "",
        f"{reports['duplicated']} duplicated" if reports["duplicated"] else "",
        f"{reports['mismatched']} delivered with another reference"
        if reports["mismatched"]
        else "",
        f"{result['errors']} requests failed" if result["errors"] else "",
    ]
    samples = "\n".join(f"  {sample}" for sample in result["error_samples"][:5])
    return (
        "soak: "
        + ", ".join(reason for reason in reasons if reason)
        + (f"\n{samples}" if samples else "")
    )


if __name__ == "__main__":
    from tests.bench.run import main

    sys.exit(main(["--only", "soak", *sys.argv[1:]]))
