"""What the "Is this page useful?" component costs a content page, on its own small dataset.

    .venv/bin/python -m tests.bench.feedback_cost [--concurrency 4] [--requests 2000]
                                                  [--seconds 6] [--rounds 3]
                                                  [--output .bench/feedback.json]
    .venv/bin/python -m tests.bench.run --only feedback      (the same)

``make bench``'s pages bench needs its national dataset (43 forces, thousands of pages), which
takes long to build; the component's cost does not depend on it. Here, in a database of its own
(``solh_bench_feedback``, built once and kept): the hub, one force and one advice page with a
body using every block type.

Two gunicorns as ``make bench`` runs them (production settings, page cache on, Redis when it
answers at ``BENCH_REDIS_URL``, keys of their own): *with* the site as it is, and *without* the
component (its template replaced by an empty one). Interleaved rounds drive, on each, the floor
(the full middleware stack and no page: ``tests.bench.urls``) then the advice page, which every
answer must serve from the page cache (``X-Page-Cache: hit``). Reported: each page's throughput
against its own server's floor (target: the cached page with the component at least 1.2x the
floor), with / without, and the bytes each adds. Then, in-process with the page cache off (what
a page's first visitor pays, once per publication), the CPU time of one render with and without
the component, the median of interleaved rounds.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.bench import BENCH_DOMAIN

REPO = Path(__file__).resolve().parents[2]
SETTINGS_MODULE = "tests.bench.feedback_settings"
DEFAULT_OUTPUT = REPO / ".bench" / "feedback.json"
FORCE_SLUG = "feedback-bench"
HOST = f"{FORCE_SLUG}.{BENCH_DOMAIN}"
PAGE_PATH = "/advice/bench-advice/"
PAGE_TITLE = "Protect your bike from theft"
COMPONENT_MARKER = "data-feedback-component"
TARGET_VS_FLOOR = 1.2
RENDER_ROUNDS = 5
RENDERS_PER_ROUND = 40


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--requests", type=int, default=2000, help="most requests a run")
    parser.add_argument("--seconds", type=float, default=6.0, help="most seconds a run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    return parser.parse_args(argv)


def ensure_database():
    """Create the bench's database if it is missing (kept between runs)."""
    import psycopg

    from tests.bench.feedback_settings import BENCH_POSTGRES_URL, FEEDBACK_BENCH_DATABASE

    with psycopg.connect(f"{BENCH_POSTGRES_URL.rstrip('/')}/postgres", autocommit=True) as db:
        found = db.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [FEEDBACK_BENCH_DATABASE]
        ).fetchone()
        if not found:
            db.execute(f'CREATE DATABASE "{FEEDBACK_BENCH_DATABASE}"')


def build_dataset():
    """Migrate; the hub, the force and its advice page (once)."""
    from django.core.management import call_command

    from forces.onboarding import ForceSpec, ensure_hub, onboard_force
    from home.models import ContentPage, SectionPage
    from tests.factories import rich_body

    call_command("migrate", verbosity=0, interactive=False)
    ensure_hub()
    force = onboard_force(
        ForceSpec(slug=FORCE_SLUG, name="Feedback Bench Police", hostname=HOST, short_name="FBP")
    ).force
    advice = SectionPage.objects.child_of(force.site.root_page).get(slug="advice")
    if not ContentPage.objects.child_of(advice).filter(slug="bench-advice").exists():
        page = ContentPage(
            title=PAGE_TITLE,
            slug="bench-advice",
            search_description="Mark it, lock it, record it.",
            body=rich_body(),
        )
        advice.add_child(instance=page)
        page.save_revision().publish()


def without_component_templates(workdir):
    """A template directory whose ``feedback/includes/useful.html`` renders nothing."""
    path = Path(workdir) / "templates" / "feedback" / "includes"
    path.mkdir(parents=True)
    (path / "useful.html").write_text("")
    return str(Path(workdir) / "templates")


def servers(workdir, concurrency, templates):
    from tests.bench import run

    class VariantServer(run.Server):
        """``run.Server`` with the feedback bench's settings and one variant."""

        def __init__(self, variant):
            super().__init__(workdir, concurrency, name=f"feedback-{variant}", page_cache=True)
            self.variant = variant

        def __enter__(self):
            environment = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
                "PAGE_CACHE_ENABLED": "true",
                "BENCH_FEEDBACK_VARIANT": self.variant,
                "BENCH_FEEDBACK_TEMPLATES": templates,
            }
            with self.log_path.open("wb") as log:
                self.process = run.spawn(self.command(), log, environment)
            return self

    return VariantServer("with"), VariantServer("without")


def scenarios():
    from tests.bench import run
    from tests.bench.urls import FLOOR_BODY, FLOOR_PATH

    floor = run.Scenario(run.FLOOR, HOST, FLOOR_PATH, (FLOOR_BODY.decode(),), cacheable=False)
    return {
        "floor": floor,
        "with": run.Scenario("advice page", HOST, PAGE_PATH, (PAGE_TITLE, COMPONENT_MARKER)),
        "without": run.Scenario("advice page", HOST, PAGE_PATH, (PAGE_TITLE,)),
    }


def check_variant(server, scenario, has_component):
    import http.client

    from tests.bench import run

    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", scenario.path, headers={"Host": scenario.host})
    body = connection.getresponse().read()
    connection.close()
    if (COMPONENT_MARKER.encode() in body) != has_component:
        raise run.BenchError(f"the {server.variant} server's page has the component wrong")


def drive_rounds(args, with_server, without_server, found):
    from tests.bench import run

    samples = {(variant, name): [] for variant in ("with", "without") for name in ("floor", "page")}
    for server in (with_server, without_server):
        page = found[server.variant]
        check_variant(server, page, server.variant == "with")
        for scenario in (found["floor"], page):  # warm: the page is cached from here on
            run.drive(
                server.port,
                scenario,
                concurrency=args.concurrency,
                max_requests=run.WARMUP_REQUESTS,
                max_seconds=run.WARMUP_SECONDS,
            )
    for number in range(args.rounds):
        for server in (with_server, without_server):
            for name, scenario, cache in (
                ("floor", found["floor"], None),
                ("page", found[server.variant], "hit"),
            ):
                server.check_running()
                sample = run.drive(
                    server.port,
                    scenario,
                    concurrency=args.concurrency,
                    max_requests=args.requests,
                    max_seconds=args.seconds,
                    cpu_clock=server.cpu_seconds,
                    expect_cache=cache,
                    server_name=server.name,
                )
                samples[(server.variant, name)].append(sample)
                print(
                    f"  round {number + 1}, {server.variant}: {name} "
                    f"{sample.throughput:,.0f} req/s",
                    flush=True,
                )
    return {key: run.combined(runs).figures() for key, runs in samples.items()}


def render_cost(templates):
    """In-process CPU ms of one uncached render of the page, with and without the component."""
    from django.conf import settings
    from django.test import Client, override_settings

    without = [{**settings.TEMPLATES[0], "DIRS": [templates, *settings.TEMPLATES[0]["DIRS"]]}]
    variants = {"with": settings.TEMPLATES, "without": without}
    figures = {"with": [], "without": []}
    for _round in range(RENDER_ROUNDS):
        for variant, template_settings in variants.items():
            with override_settings(PAGE_CACHE_ENABLED=False, TEMPLATES=template_settings):
                client = Client()
                for _ in range(3):  # warm: this variant's templates loaded
                    client.get(PAGE_PATH, HTTP_HOST=HOST)
                began = time.process_time()
                for _ in range(RENDERS_PER_ROUND):
                    response = client.get(PAGE_PATH, HTTP_HOST=HOST)
                    assert response.status_code == 200, response.status_code
                    assert (COMPONENT_MARKER.encode() in response.content) == (variant == "with")
                figures[variant].append((time.process_time() - began) * 1000 / RENDERS_PER_ROUND)
    with_ms, without_ms = statistics.median(figures["with"]), statistics.median(figures["without"])
    return {
        "with_ms": round(with_ms, 3),
        "without_ms": round(without_ms, 3),
        "cost_ms": round(with_ms - without_ms, 3),
        "rounds": RENDER_ROUNDS,
        "renders_per_round": RENDERS_PER_ROUND,
    }


def summarise(figures, render):
    from tests.bench.run import ratio

    def rps(variant, name):
        return figures[(variant, name)]["requests_per_second"]

    return {
        "cached_page_vs_floor": {
            variant: ratio(rps(variant, "page"), rps(variant, "floor"))
            for variant in ("with", "without")
        },
        "cached_with_vs_without": ratio(rps("with", "page"), rps("without", "page")),
        "component_bytes": figures[("with", "page")]["body_bytes"]
        - figures[("without", "page")]["body_bytes"],
        "server_cpu_ms_per_cached_request": {
            variant: figures[(variant, "page")]["server_cpu_ms_per_request"]
            for variant in ("with", "without")
        },
        "uncached_render": render,
        "target_cached_page_vs_floor": TARGET_VS_FLOOR,
    }


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    os.environ["BENCH_FEEDBACK_VARIANT"] = "with"
    ensure_database()
    import django

    django.setup()
    from tests.bench import run

    print("Building the feedback bench's dataset (kept for later runs)…", flush=True)
    build_dataset()
    run.clear_cache()
    with tempfile.TemporaryDirectory(prefix="solh-feedback-bench-") as workdir:
        templates = without_component_templates(workdir)
        with_server, without_server = servers(workdir, args.concurrency, templates)
        found = scenarios()
        try:
            with with_server, without_server:
                for server in (with_server, without_server):
                    server.wait_until_ready(found["floor"])
                figures = drive_rounds(args, with_server, without_server, found)
        except run.BenchError as error:
            print(f"Feedback bench failed: {error}", file=sys.stderr)
            return 1
        print("In-process renders with the page cache off…", flush=True)
        render = render_cost(templates)
    run.clear_cache()
    summary = summarise(figures, render)
    report = {
        "summary": summary,
        "runs": {f"{variant} {name}": value for (variant, name), value in figures.items()},
        "settings": {
            "concurrency": args.concurrency,
            "requests": args.requests,
            "seconds": args.seconds,
            "rounds": args.rounds,
            "redis": run.redis_reachable(os.environ.get("BENCH_REDIS_URL") or "redis://"),
        },
    }
    args.output.parent.mkdir(exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2))
    print(json.dumps(summary, indent=2))
    low = summary["cached_page_vs_floor"]["with"]
    if low is None or low < TARGET_VS_FLOOR:
        print(
            f"The cached page with the component is {low}x the floor, below {TARGET_VS_FLOOR}x.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
