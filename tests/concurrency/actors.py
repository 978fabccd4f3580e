"""The programs the concurrency tests run as processes of their own, each a Django process on
the database named by ``DATABASE_URL``::

    python -m tests.concurrency.actors seed --receiver URL --clients 4
    python -m tests.concurrency.actors client --port PORT --force SLUG --index I --seconds S
    python -m tests.concurrency.actors enqueue --delay SECONDS

``client`` is one person reporting over HTTP against the web server (the national road traffic
journey, every step posted, as ``tests.bench.reports`` does) and, between reports, an editor
publishing a page in this process (a national page, fanned out to every force, or a force's
own page), as a ``manage.py shell`` publish would. It prints ``REPORT <reference>`` for every
confirmation page and ``ERROR ...`` (with the traceback) for anything that went wrong, and
carries on.
"""

import argparse
import json
import os
import sys
import time
import traceback

import django

SECRET = "concurrency-webhook-secret-0123456789"
FORCES = [
    ("thames-valley", "Thames Valley Police", "TVP"),
    ("hampshire", "Hampshire and Isle of Wight Constabulary", "HIOW"),
]
JOURNEY_PATH = "/report/road-traffic-incident/"
NATIONAL_SECTION = "load-{index}"  # under the hub's /advice/, one per client
LOCAL_SECTION = "local-{index}"  # under the client's force's home page
# Longer than the busy timeout: a request waiting its turn for the write lock is slow, not lost.
REQUEST_TIMEOUT_SECONDS = 90


def _section(parent, slug, title):
    """The section page ``slug`` under ``parent``, added and published if missing."""
    from django.db import transaction

    from home.models import SectionPage

    with transaction.atomic():
        section = SectionPage.objects.child_of(parent).filter(slug=slug).first()
        if section is None:
            section = SectionPage(title=title, slug=slug)
            parent.add_child(instance=section)
            section.save_revision().publish()
    return section


def seed(receiver, clients):
    """The hub, the forces (delivering to ``receiver``), the national journeys, and a section
    of its own for each client to publish into (so no two clients add pages under one parent:
    Wagtail's tree does not take concurrent children under one parent on PostgreSQL)."""
    from django_tasks_db.models import DBTaskResult

    from demo.seed import seed_national_journeys
    from forces.onboarding import ForceSpec, ensure_hub, onboard_force
    from home.models import SectionPage
    from reporting.models import Draft, Submission

    # A clean slate (a copied test database may hold other tests' rows): what is counted
    # afterwards is this run's.
    Submission.objects.all().delete()
    Draft.objects.all().delete()
    DBTaskResult.objects.all().delete()
    hub = ensure_hub()
    forces = []
    for slug, name, short_name in FORCES:
        spec = ForceSpec(
            slug=slug,
            name=name,
            hostname=f"{slug}.localhost",
            short_name=short_name,
            webhook_url=f"{receiver.rstrip('/')}/{slug}/",
            webhook_secret=SECRET,
        )
        forces.append(onboard_force(spec).force)
    seed_national_journeys(hub)
    advice = SectionPage.objects.child_of(hub).get(slug="advice")
    for index in range(clients):
        _section(advice, NATIONAL_SECTION.format(index=index), f"Load {index}")
        force = forces[index % len(forces)]
        _section(force.site.root_page, LOCAL_SECTION.format(index=index), f"Local {index}")
    print(json.dumps({"forces": [force.slug for force in forces]}))


def publish(index, number, force_slug):
    """Publish a new page: a national one (every force gets it) or one of the force's own."""
    from django.db import transaction

    from forces.models import Force
    from home.models import ContentPage, HubPage, SectionPage

    if number % 2:
        advice = SectionPage.objects.child_of(HubPage.objects.get()).get(slug="advice")
        parent = SectionPage.objects.child_of(advice).get(slug=NATIONAL_SECTION.format(index=index))
    else:
        home = Force.objects.get(slug=force_slug).site.root_page
        parent = SectionPage.objects.child_of(home).get(slug=LOCAL_SECTION.format(index=index))
    page = ContentPage(title=f"Page {number} of client {index}", slug=f"page-{index}-{number}")
    with transaction.atomic():
        parent.add_child(instance=page)
        page.save_revision().publish()
    return page


def client(port, force_slug, index, seconds):
    """Report, publish, repeat, until ``seconds`` are up."""
    from tests.bench.reports import Browser, step_answers

    host = f"{force_slug}.localhost:{port}"

    def browser():
        made = Browser(port, host, JOURNEY_PATH, step_answers(), b"")
        made.connection.timeout = REQUEST_TIMEOUT_SECONDS
        made.open_start_page()
        return made

    person = None
    deadline = time.monotonic() + seconds
    number = 0
    counts = {"reports": 0, "published": 0, "errors": 0}
    while time.monotonic() < deadline:
        number += 1
        try:
            person = person or browser()
            print("REPORT", person.report(), flush=True)
            counts["reports"] += 1
        except Exception:
            counts["errors"] += 1
            print(f"ERROR report {number}:\n{traceback.format_exc()}", flush=True)
            if person is not None:
                person.close()
            person = None
        try:
            page = publish(index, number, force_slug)
            print("PUBLISHED", page.pk, flush=True)
            counts["published"] += 1
        except Exception:
            counts["errors"] += 1
            print(f"ERROR publish {number}:\n{traceback.format_exc()}", flush=True)
    print("DONE", json.dumps(counts), flush=True)


def enqueue(delay):
    """Queue a housekeeping task (a delivery sweep) to run ``delay`` seconds from now; print
    when it becomes ready and its id."""
    from datetime import timedelta

    from django.utils import timezone

    from reporting.tasks import sweep_deliveries

    ready_at = timezone.now() + timedelta(seconds=delay)
    result = sweep_deliveries.using(run_after=ready_at).enqueue()
    print(json.dumps({"id": str(result.id), "ready_at": ready_at.timestamp()}))


def main(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.concurrency.actors")
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("seed")
    command.add_argument("--receiver", required=True)
    command.add_argument("--clients", type=int, default=4)
    command = commands.add_parser("client")
    command.add_argument("--port", type=int, required=True)
    command.add_argument("--force", required=True)
    command.add_argument("--index", type=int, required=True)
    command.add_argument("--seconds", type=float, required=True)
    command = commands.add_parser("enqueue")
    command.add_argument("--delay", type=float, default=0)
    options = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.reporting.worker_settings")
    django.setup()
    if options.command == "seed":
        seed(options.receiver, options.clients)
    elif options.command == "client":
        client(options.port, options.force, options.index, options.seconds)
    else:
        enqueue(options.delay)


if __name__ == "__main__":
    main(sys.argv[1:])
