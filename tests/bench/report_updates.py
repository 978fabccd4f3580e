"""Benchmark: status updates a force's back office can post per second (issue 14, target ≥ 200/s).

    .venv/bin/python -m tests.bench.report_updates [--concurrency 8] [--seconds 10]
    .venv/bin/python -m tests.bench.run --only updates [--concurrency 8] [--seconds 10]

1. Migrates a database of its own (``solh_bench_updates``, ``tests.bench.updates_settings``: the
   bench settings, i.e. production's) and makes one force, ``updates.bench.localhost``, with a
   webhook secret and ``REPORTS`` reports that each have a reporter's email address. Earlier
   updates, their deliveries and queued jobs are deleted first, so the counts are this run's.
2. Starts gunicorn as ``tests.bench.run`` does (production's ``gunicorn.conf.py``, the same two
   gthread workers) but with ``THREADS`` threads each: a status update spends most of its time
   waiting on PostgreSQL (its commit), not in Python, so a thread waiting frees the GIL for
   another (the pages' one thread per worker is right for CPU-bound renders). It drives it
   with a closed loop of ``--concurrency`` keep-alive connections for ``--seconds`` seconds:
   each sends ``POST /api/reports/<reference>/updates/`` with a fresh ``Idempotency-Key``, a
   JSON body and its ``X-Solh-Signature``, over the reports in turn, and must get 201. Every
   such request does the whole job: checks the signature, validates, stores the update (its
   message encrypted) and queues the reporter's email in the outbox (a ``Delivery`` and its
   database task row), in one transaction.
3. Measures the floor (``tests.bench.urls``: the middleware stack, nothing else) the same way
   just before and just after, for the ratio, and checks that every 201 left exactly one update
   and one queued email: none lost, none doubled.

Writes ``.bench/report_updates.json`` and prints the figure.
"""

import argparse
import contextlib
import http.client
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

DATABASE_SETTINGS = "tests.bench.updates_settings"
HOST = "updates.bench.localhost"
FORCE_SLUG = "bench-updates"
SECRET = "bench-updates-webhook-secret-0123456789"
REPORTS = 200
THREADS = 4
TARGET_PER_SECOND = 200
OUTPUT = Path(__file__).resolve().parents[2] / ".bench" / "report_updates.json"


def prepare():
    """Migrate, make the force and its reports; clear earlier runs. Returns the references."""
    import psycopg

    from tests.bench.settings import BENCH_POSTGRES_URL
    from tests.bench.updates_settings import UPDATES_DATABASE_NAME

    with psycopg.connect(BENCH_POSTGRES_URL, dbname="postgres", autocommit=True) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [UPDATES_DATABASE_NAME]
        ).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{UPDATES_DATABASE_NAME}"')

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    call_command("migrate", verbosity=0, interactive=False)

    from django_tasks_db.models import DBTaskResult

    from forces.models import Force
    from forces.onboarding import ForceSpec, ensure_hub, onboard_force
    from reporting.models import Delivery, Submission
    from tracking.models import ReportUpdate

    ensure_hub()
    force = Force.objects.filter(slug=FORCE_SLUG).first()
    if force is None:
        force = onboard_force(
            ForceSpec(slug=FORCE_SLUG, name="Bench Updates Police", hostname=HOST, short_name="BUP")
        ).force
    force.webhook_url = "http://127.0.0.1:9/never-called/"
    force.set_webhook_secret(SECRET)
    force.save(update_fields=["webhook_url", "webhook_secret"])
    with transaction.atomic():
        ReportUpdate.objects.all().delete()
        Delivery.objects.filter(item_id__isnull=False).delete()
        DBTaskResult.objects.all().delete()
        have = Submission.objects.filter(force=force).count()
        now = timezone.now()
        for number in range(have, REPORTS):
            Submission.objects.create(
                reference=f"BUP-BENCH-{number:06d}",
                force=force,
                journey_slug="bench",
                journey_title="Bench report",
                journey_code="BENCH",
                revision_number=0,
                submitted_at=now,
                draft_key=uuid.uuid4(),
                answers=[],
                contact={"name": "", "email": "reporter@example.org", "phone": ""},
                delivery_status="delivered",
            )
    references = list(
        Submission.objects.filter(force=force)
        .order_by("reference")
        .values_list("reference", flat=True)
    )
    from django.db import connections

    connections.close_all()
    return references


class Load:
    """A closed loop of keep-alive connections, each sending its next request on an answer."""

    def __init__(self, port, concurrency, seconds, make_request):
        self.port = port
        self.concurrency = concurrency
        self.seconds = seconds
        self.make_request = make_request
        self.ok = 0
        self.failures = []
        self.lock = threading.Lock()

    def run(self):
        deadline = time.monotonic() + self.seconds
        threads = [
            threading.Thread(target=self._drive, args=(index, deadline))
            for index in range(self.concurrency)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        return {"requests": self.ok, "seconds": round(elapsed, 2), "per_second": self.ok / elapsed}

    def _drive(self, index, deadline):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        number = index
        try:
            while time.monotonic() < deadline:
                method, path, body, headers, expected = self.make_request(number)
                number += self.concurrency
                try:
                    connection.request(method, path, body=body, headers=headers)
                    response = connection.getresponse()
                    answer = response.read()
                except (OSError, http.client.HTTPException) as error:
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                    with self.lock:
                        self.failures.append(f"{type(error).__name__}")
                    continue
                with self.lock:
                    if response.status == expected:
                        self.ok += 1
                    else:
                        self.failures.append(f"{response.status} {answer[:200]!r}")
        finally:
            connection.close()


def floor_request(number):
    from tests.bench.urls import FLOOR_PATH

    return "GET", FLOOR_PATH, None, {"Host": HOST}, 200


def update_requests(references):
    from reporting.delivery import sign

    statuses = ["received", "assigned", "investigating", "needs-more-information", "closed"]

    def make(number):
        reference = references[number % len(references)]
        body = json.dumps(
            {
                "status": statuses[number % len(statuses)],
                "message_en": f"Update {number} on your report: an officer has looked at it.",
                "officer_reference": f"PC {number % 9000 + 1000}",
            }
        ).encode()
        headers = {
            "Host": HOST,
            "Content-Type": "application/json",
            "X-Solh-Signature": sign(body, SECRET),
            "Idempotency-Key": f"bench-{uuid.uuid4()}",
        }
        return "POST", f"/api/reports/{reference}/updates/", body, headers, 201

    return make


def measure(concurrency, seconds):
    """Run the benchmark; return its results (raises ``BenchError`` on any failed request)."""
    from tests.bench import reports
    from tests.bench import run as bench_run

    os.environ["DJANGO_SETTINGS_MODULE"] = DATABASE_SETTINGS
    references = prepare()
    with tempfile.TemporaryDirectory(prefix="solh-bench-updates-") as workdir:
        server = bench_run.Server(workdir, concurrency, bench_run.CACHED)
        environment = {**os.environ, "DJANGO_SETTINGS_MODULE": DATABASE_SETTINGS}
        log = (Path(workdir) / "gunicorn-updates.log").open("wb")
        server.log_path = Path(log.name)
        command = server.command()
        command[command.index("--threads") + 1] = str(THREADS)
        server.process = bench_run.spawn(command, log, environment)
        try:
            _wait_until_serving(server)
            Load(server.port, concurrency, 2, floor_request).run()  # warm-up
            Load(server.port, concurrency, 2, update_requests(references)).run()
            server.workers = bench_run._children(server.process.pid)
            floor_before = Load(server.port, concurrency, seconds / 2, floor_request).run()
            load = Load(server.port, concurrency, seconds, update_requests(references))
            cpu_before = (server.cpu_seconds(), _database_cpu(), reports.machine_busy_seconds())
            updates = load.run()
            cpu_after = (server.cpu_seconds(), _database_cpu(), reports.machine_busy_seconds())
            floor_after = Load(server.port, concurrency, seconds / 2, floor_request).run()
        finally:
            server.stop()
            log.close()
        if load.failures:
            raise bench_run.BenchError(
                f"{len(load.failures)} status updates failed, e.g. {load.failures[:3]}\n"
                + server.log_tail(20)
            )
    stored, emails = _stored_counts()
    warm_up_updates = stored - updates["requests"]
    floor = (floor_before["per_second"] + floor_after["per_second"]) / 2
    web, database, machine = (
        reports._spent(before, after) for before, after in zip(cpu_before, cpu_after, strict=True)
    )
    count = max(updates["requests"], 1)
    per_update = {
        "gunicorn_ms": _ms(web, count),
        "postgresql_ms": _ms(database, count),
        "machine_busy_ms": _ms(machine, count),
    }
    spent = (web or 0) + (database or 0)
    ceiling = round((os.cpu_count() or 1) * count / spent, 1) if spent else None
    return {
        "concurrency": concurrency,
        "gunicorn": f"{bench_run.WORKERS} gthread workers x {THREADS} threads",
        "seconds": updates["seconds"],
        "updates": updates["requests"],
        "updates_per_second": round(updates["per_second"], 1),
        "target_per_second": TARGET_PER_SECOND,
        "meets_target": updates["per_second"] >= TARGET_PER_SECOND,
        "floor_per_second": round(floor, 1),
        "floor_before_after": [
            round(floor_before["per_second"], 1),
            round(floor_after["per_second"], 1),
        ],
        "ratio_to_floor": round(updates["per_second"] / floor, 3) if floor else None,
        # CPU per update (from /proc) and the rate this machine's CPUs could reach with
        # nothing else running: the figure least disturbed by other load.
        "cpu_per_update": per_update,
        "cpu_bound_ceiling_per_second": ceiling,
        "machine_busy_share": round(machine / (os.cpu_count() * updates["seconds"]), 2)
        if machine
        else None,
        "stored_updates": stored,
        "queued_reporter_emails": emails,
        "lost_or_doubled": stored != emails or warm_up_updates < 0,
        "load_average_at_end": [round(value, 2) for value in os.getloadavg()],
    }


def _ms(seconds, count):
    return round(seconds * 1000 / count, 2) if seconds is not None else None


def _database_cpu():
    """CPU seconds so far of each PostgreSQL backend serving this benchmark's database."""
    from pathlib import Path as _Path

    from tests.bench.reports import _process_cpu_seconds
    from tests.bench.updates_settings import UPDATES_DATABASE_NAME

    marker = f" {UPDATES_DATABASE_NAME} ".encode()
    found = {}
    for entry in _Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if (entry / "comm").read_bytes().strip() == b"postgres" and marker in (
                entry / "cmdline"
            ).read_bytes():
                seconds = _process_cpu_seconds(int(entry.name))
                if seconds is not None:
                    found[int(entry.name)] = seconds
    return found


def _stored_counts():
    from reporting.models import Delivery, DeliveryChannel
    from tracking.models import ReportUpdate

    counts = (
        ReportUpdate.objects.count(),
        Delivery.objects.filter(channel=DeliveryChannel.UPDATE_EMAIL).count(),
    )
    from django.db import connections

    connections.close_all()
    return counts


def _wait_until_serving(server):
    from tests.bench.run import START_TIMEOUT_SECONDS
    from tests.bench.urls import FLOOR_PATH

    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise server.fail(f"gunicorn exited with status {server.process.returncode}.")
        with contextlib.suppress(OSError, http.client.HTTPException):
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=2)
            connection.request("GET", FLOOR_PATH, headers={"Host": HOST})
            if connection.getresponse().status == 200:
                connection.close()
                return
        time.sleep(0.2)
    raise server.fail("gunicorn did not answer in time.")


def format_result(result):
    verdict = "meets" if result["meets_target"] else "MISSES"
    return (
        f"Inbound status updates: {result['updates_per_second']}/s over {result['seconds']} s "
        f"({result['updates']} updates, {result['concurrency']} connections) — {verdict} the "
        f"target of {result['target_per_second']}/s; floor {result['floor_per_second']}/s "
        f"(ratio {result['ratio_to_floor']}); CPU per update: gunicorn "
        f"{result['cpu_per_update']['gunicorn_ms']} ms, PostgreSQL "
        f"{result['cpu_per_update']['postgresql_ms']} ms, so this machine's CPUs alone could take "
        f"{result['cpu_bound_ceiling_per_second']}/s (machine busy "
        f"{result['machine_busy_share']} of its CPUs during the run); stored "
        f"{result['stored_updates']}, reporter emails queued {result['queued_reporter_emails']}."
    )


def main_with(args):
    """``tests.bench.run --only updates``: measure, write ``OUTPUT``, print; 1 if it failed."""
    from tests.bench.run import BenchError

    try:
        result = measure(args.concurrency, args.seconds)
    except BenchError as error:
        print(f"\nBenchmark failed: {error}", file=sys.stderr)
        return 1
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(result, indent=2) + "\n")
    print(format_result(result))
    print(f"Results: {OUTPUT.relative_to(OUTPUT.parents[1])}")
    return 1 if result["lost_or_doubled"] else 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.bench.report_updates")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    return main_with(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
