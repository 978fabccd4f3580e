"""Several processes writing at once, on SQLite (the embedded default) and on PostgreSQL: no
"database is locked", every report stored once and delivered.

For ``SOLH_CONCURRENCY_SECONDS`` (default 20, on SQLite as on PostgreSQL) these run together on
one database:

- the web server (``manage.py runserver --noreload``, as ``make demo`` serves);
- the worker (``manage.py run_worker``: deliveries, search and reference indexing, its sweep
  and retention purge every few seconds);
- 4 client processes, each reporting over HTTP through the national road traffic journey and,
  between reports, publishing a page in its own process (a national page, fanned out to every
  force, or one of a force's own): ``tests.concurrency.actors``;
- ``manage.py onboard_force`` run again and again: a new force, an update to an existing one,
  and two new forces from a CSV.

Then every report whose reference a confirmation page showed is in the database exactly once,
no other report is, and each reached the force's back office (a ``Receiver`` on loopback,
deduplicating by ``Idempotency-Key``) once; no process printed a database error; and the run was
long enough for each kind of onboarding to overlap the clients at least once. 20 s on SQLite was
52 reports, 52 pages and 6 onboardings (60 s: 82, 82 and 11); with SQLite's old settings 29 of
the first 31 reports failed, so a regression shows long before 20 s.
"""

import http.client
import json
import os
import subprocess
import threading
import time
from collections import Counter

from demo.receiver import Receiver
from forces.onboarding import DEFAULT_PALETTE
from tests.concurrency.actors import FORCES, SECRET
from tests.concurrency.conftest import (
    Process,
    actor,
    environment,
    free_port,
    lock_errors,
    manage,
    run,
    stored_reports,
    wait_until,
)

CLIENTS = 4
DEFAULT_SECONDS = {"sqlite": 20, "postgresql": 20}
START_TIMEOUT = 90  # seconds: the server's start, on a loaded machine
DELIVERY_TIMEOUT = 90  # seconds after the last report for the worker to deliver everything
# The worker as make demo runs it, with its sweep and retention purge every few seconds.
WORKER_OPTIONS = ["--no-reload", "--no-startup-delay", "--interval", "0.5",
                  "--sweep-every", "5", "--purge-every", "10"]  # fmt: skip


def duration(vendor):
    return float(os.environ.get("SOLH_CONCURRENCY_SECONDS") or DEFAULT_SECONDS[vendor])


def server_ready(port, host):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz", headers={"Host": host})
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


class Onboarding(threading.Thread):
    """``manage.py onboard_force`` again and again while ``clients`` run: a new force, an
    update of a seeded one, two new forces from a CSV."""

    def __init__(self, env, clients, work_dir):
        super().__init__(name="onboarding", daemon=True)
        self.env = env
        self.clients = clients
        self.work_dir = work_dir
        self.runs = []  # (arguments, return code, output)

    def arguments(self, number):
        kind = number % 3
        if kind == 1:
            slug = f"extra-{number}"
            return [slug, "--name", f"Extra {number} Police", "--hostname", f"{slug}.localhost"]
        if kind == 2:
            slug, name, _short = FORCES[1]
            colour = DEFAULT_PALETTE[number % len(DEFAULT_PALETTE)]
            return [slug, "--name", name, "--hostname", f"{slug}.localhost",
                    "--primary-colour", colour]  # fmt: skip
        csv = self.work_dir / f"forces-{number}.csv"
        csv.write_text(
            "slug,name\n"
            f"csv-{number}-a,Csv {number} A Police\n"
            f"csv-{number}-b,Csv {number} B Police\n"
        )
        return ["--from-csv", str(csv)]

    def run(self):
        number = 0
        # Each kind at least once, however slow the machine makes the first runs.
        while number < 3 or any(client.running for client in self.clients):
            number += 1
            arguments = self.arguments(number)
            done = subprocess.run(
                manage("onboard_force", *arguments),
                cwd=self.work_dir,
                env=self.env,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            self.runs.append((arguments, done.returncode, done.stdout + done.stderr))


def start_client(index, port, seconds, env, logs):
    """Client ``index``: reports on one of the seeded forces (alternately), and publishes."""
    force = FORCES[index % len(FORCES)][0]
    command = actor("client", "--port", port, "--force", force, "--index", index,
                    "--seconds", seconds)  # fmt: skip
    return Process(f"client-{index}", command, env, logs)


def concurrent_writers(database_url, vendor, tmp_path):
    began = time.monotonic()
    seconds = duration(vendor)
    port = free_port()
    env = environment(
        database_url, SITE_PORT=port, REPORT_MIN_SECONDS=0, REPORT_RATE_LIMIT_PER_HOUR=0
    )
    processes = []
    with Receiver(secret=SECRET) as receiver:
        try:
            # Started first: they start up while the seed writes (the worker polling meanwhile).
            server = Process(
                "server", manage("runserver", f"127.0.0.1:{port}", "--noreload"), env, tmp_path
            )
            worker = Process("worker", manage("run_worker", *WORKER_OPTIONS), env, tmp_path)
            processes += [server, worker]
            seeded = run(actor("seed", "--receiver", receiver.base_url, "--clients", CLIENTS), env)
            host = f"{FORCES[0][0]}.localhost:{port}"
            wait_until(
                lambda: server_ready(port, host), "the server answered", START_TIMEOUT, processes
            )

            clients = [start_client(i, port, seconds, env, tmp_path) for i in range(CLIENTS)]
            processes += clients
            onboarding = Onboarding(env, clients, tmp_path)
            onboarding.start()
            for client in clients:
                client.wait(timeout=seconds + 300)
            onboarding.join(timeout=300)

            made = [
                line.split()[1]
                for client in clients
                for line in client.output().splitlines()
                if line.startswith("REPORT ")
            ]
            wait_until(
                lambda: {report.reference for report in receiver.reports} >= set(made),
                f"the worker delivered all {len(made)} reports",
                DELIVERY_TIMEOUT,
                [worker],
            )
            assert server.running and worker.running
        finally:
            outputs = {process.name: process.stop() for process in processes}
        stored = stored_reports(database_url)

    database_errors = lock_errors("seed", seeded)
    database_errors += [e for name, text in outputs.items() for e in lock_errors(name, text)]
    failed_runs = []
    for arguments, code, output in onboarding.runs:
        command = f"onboard_force {' '.join(arguments)}"
        database_errors += lock_errors(command, output)
        if code != 0:
            failed_runs.append(f"{command} ended {code}:\n{output[-2000:]}")
    clients = {name: text for name, text in outputs.items() if name.startswith("client")}
    client_errors = [line for text in clients.values() for line in text.splitlines()
                     if line.startswith("ERROR")]  # fmt: skip
    done = [json.loads(text.split("DONE ", 1)[1].splitlines()[0]) for text in clients.values()]
    figures = {
        "seconds": seconds,
        "wall seconds": round(time.monotonic() - began),
        "reports": len(made),
        "pages published": sum(counts["published"] for counts in done),
        "onboard_force runs": len(onboarding.runs),
        "failed onboard_force runs": len(failed_runs),
        "failed reports or publishes": len(client_errors),
        "database error lines": len(database_errors),
        "redeliveries": receiver.duplicates,
    }
    print(f"\n{vendor}: {figures}")

    problems = database_errors + failed_runs + client_errors
    assert not problems, "\n".join(problems[:20]) + f"\n{figures}"
    # Every client did its share, and onboarding ran each of its kinds (a new force, an update,
    # a CSV) while they did.
    assert all(counts["reports"] and counts["published"] for counts in done), done
    assert len(onboarding.runs) >= 3, figures
    # Each report shown on a confirmation page is stored exactly once, and no other report is;
    assert len(made) == len(set(made))
    assert Counter(stored["references"]) == Counter(made)
    # each reached its force's back office once (a redelivery is deduplicated there).
    assert Counter(report.reference for report in receiver.reports) == Counter(made)
    assert set(stored["delivery statuses"]) == {"delivered"}


def test_concurrent_writers_on_sqlite(sqlite_database, tmp_path):
    database_url, _path = sqlite_database
    concurrent_writers(database_url, "sqlite", tmp_path)


def test_concurrent_writers_on_postgresql(postgres_database, tmp_path):
    concurrent_writers(postgres_database, "postgresql", tmp_path)
