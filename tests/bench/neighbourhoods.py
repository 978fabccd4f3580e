"""The neighbourhood lookup at national scale: 43 forces x 30 neighbourhoods x 50 sectors.

    .venv/bin/python -m tests.bench.neighbourhoods [--concurrency 4] [--requests 1500]
                                                   [--seconds 6] [--rounds 3] [--rebuild]
                                                   [--lookup-only]
                                                   [--output .bench/neighbourhoods.json]

On the bench database of ``make bench`` (reused when it holds the current dataset, built
otherwise), every force gets its ``/your-area/`` page (``neighbourhoods.onboarding``) and 30
neighbourhoods of 50 postcode sectors each (64,500 areas in all, every one a row of
``PostcodeArea``), added once and kept for later runs. Then, under gunicorn with the page cache
off (a query string is never page-cached), beside ``make bench``'s floor:

- ``lookup varied``: every request a different full postcode in another force's neighbourhood,
  so none is answered from the lookup's kept answers: the indexed query, the match and the
  "covered by another force" page, every time (target: throughput at least 0.3x the floor's);
- ``lookup repeated``: one postcode again and again (answered from the kept lookup);
- ``lookup unknown``: a real postcode that no neighbourhood covers (the error page).

With ``--lookup-only`` the bench database need hold only what the lookup reads: the 43 forces
onboarded from the CSV (sites, home pages, ``/your-area/``) without the national library or
the forces' content, built in about three minutes rather than ``make bench``'s 25. The lookup
reads ``PostcodeArea`` and the neighbourhood's page, and routing the path to ``/your-area/``,
so the figures are those of the full dataset within noise. A full dataset, if there is one, is
reused as it is; a lookup-only one is marked with a shape of its own, so ``make bench``
rebuilds it rather than reusing it.

Queries are counted in-process for each, and for a postcode of the force's own neighbourhood
(a redirect to its page, which the load generator does not follow); the budget is 12.
``python -m tests.bench.neighbourhoods`` prints the figures and writes them to
``.bench/neighbourhoods.json``; ``python -m tests.bench.run --only neighbourhoods`` runs it too.
"""

import argparse
import itertools
import json
import os
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.bench import BENCH_DOMAIN, DEFAULT_POSTGRES_URL, DEFAULT_REDIS_URL

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPO / ".bench" / "neighbourhoods.json"
SETTINGS_MODULE = "tests.bench.settings"

NEIGHBOURHOODS_PER_FORCE = 30
SECTORS_PER_NEIGHBOURHOOD = 50
MAX_QUERIES = 12
MIN_THROUGHPUT_VS_FLOOR = 0.3
LOOKUP_SCENARIOS = ("lookup varied", "lookup repeated", "lookup unknown")
# Postcode areas the synthetic districts are made of (Royal Mail's letters for each position).
FIRST_LETTERS = "ABCDEFGHKLMNOPRSTUWYZ"
SECOND_LETTERS = "ABCDEFGHKLMNOPQRSTUVWXY"
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
VARIED_POSTCODES = 4000


def sector_of(number):
    """The ``number``-th synthetic sector: ten sectors to a district, districts like ``AB12``."""
    district, digit = divmod(number, 10)
    letters, figure = divmod(district, 99)
    first, second = divmod(letters, len(SECOND_LETTERS))
    return f"{FIRST_LETTERS[first]}{SECOND_LETTERS[second]}{figure + 1} {digit}"


def force_sectors(force_number):
    """The sectors of each of a force's neighbourhoods: 50 each, in whole districts."""
    per_force = NEIGHBOURHOODS_PER_FORCE * SECTORS_PER_NEIGHBOURHOOD
    base = force_number * per_force
    return [
        [
            sector_of(base + neighbourhood * SECTORS_PER_NEIGHBOURHOOD + offset)
            for offset in range(SECTORS_PER_NEIGHBOURHOOD)
        ]
        for neighbourhood in range(NEIGHBOURHOODS_PER_FORCE)
    ]


def build_neighbourhoods(progress):
    """Give every force its /your-area/ page and its neighbourhoods, once. Returns the count
    of postcode areas."""
    from django.db import transaction

    from forces.models import Force
    from neighbourhoods import areas
    from neighbourhoods.models import NeighbourhoodIndexPage, NeighbourhoodPage, PostcodeArea
    from neighbourhoods.onboarding import ensure_index

    forces = list(Force.objects.select_related("site__root_page").order_by("slug"))
    with progress.step("neighbourhoods", f"{NEIGHBOURHOODS_PER_FORCE} neighbourhoods a force"):
        for number, force in enumerate(forces):
            ensure_index(force)
            index = NeighbourhoodIndexPage.objects.child_of(force.site.root_page).get()
            have = set(NeighbourhoodPage.objects.child_of(index).values_list("slug", flat=True))
            for position, sectors in enumerate(force_sectors(number)):
                slug = f"neighbourhood-{position + 1}"
                if slug in have:
                    continue
                with transaction.atomic():
                    index = NeighbourhoodIndexPage.objects.get(pk=index.pk)
                    page = index.add_child(
                        instance=NeighbourhoodPage(
                            title=f"{force.short_name} neighbourhood {position + 1}",
                            slug=slug,
                            team_name=f"{force.short_name} neighbourhood team {position + 1}",
                            postcode_areas=", ".join(sectors),
                        )
                    )
                    # Published as onboarding publishes, without a revision per page: the rows
                    # are what the lookup reads.
                    areas.sync(page)
    # Fresh statistics for the planner, as autovacuum would gather after a bulk load: without
    # them the lookup ran about five times slower on the freshly built table.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return PostcodeArea.objects.count()


class VariedLookup:
    """A scenario (as ``tests.bench.run`` drives them) whose every request looks up the next
    of ``postcodes``, round and round."""

    def __init__(self, name, host, postcodes, markers):
        self.name = name
        self.host = host
        self.postcodes = postcodes
        self.markers = markers
        self.cacheable = False
        self.headers = ()
        self.journey = ""
        self.note = "a different postcode every request"
        self._paths = itertools.cycle(
            [f"/your-area/?postcode={postcode.replace(' ', '+')}" for postcode in postcodes]
        )
        self._lock = threading.Lock()

    @property
    def path(self):
        with self._lock:
            return next(self._paths)

    @property
    def url(self):
        return f"http://{self.host}{self.path}"


def scenarios():
    """The floor and the lookups, on the measured force's site."""
    from forces.models import Force
    from tests.bench import dataset
    from tests.bench.run import FLOOR, Scenario
    from tests.bench.urls import FLOOR_BODY, FLOOR_PATH

    host = dataset.force_host(dataset.MEASURED_FORCE)
    slugs = list(Force.objects.order_by("slug").values_list("slug", flat=True))
    measured = slugs.index(dataset.MEASURED_FORCE)
    other = (measured + 1) % len(slugs)
    other_sectors = [sector for team in force_sectors(other) for sector in team]
    own = force_sectors(measured)
    units = itertools.cycle(a + b for a in UNIT_LETTERS for b in UNIT_LETTERS)
    postcodes = []
    for sector in itertools.cycle(other_sectors):
        postcodes.append(f"{sector}{next(units)}")
        if len(postcodes) == VARIED_POSTCODES:
            break
    elsewhere = ("is not in our area: it is covered by",)
    return [
        Scenario(FLOOR, host, FLOOR_PATH, (FLOOR_BODY.decode(),)),
        VariedLookup("lookup varied", host, postcodes, elsewhere),
        Scenario(
            "lookup repeated",
            host,
            f"/your-area/?postcode={postcodes[0].replace(' ', '+')}",
            elsewhere,
            cacheable=False,
        ),
        Scenario(
            "lookup unknown",
            host,
            "/your-area/?postcode=ZY99+9ZZ",
            ("We cannot find a neighbourhood team for",),
            cacheable=False,
        ),
    ], own


LOOKUP_ONLY_SHAPE_KEY = "lookup_only"


def lookup_only_shape():
    """The mark of a lookup-only bench database: the full dataset's shape, flagged, so it is
    never mistaken for the full one (``dataset.reusable`` compares whole shapes)."""
    from tests.bench import dataset

    return {**dataset.shape(), LOOKUP_ONLY_SHAPE_KEY: True}


def build_lookup_only_dataset(progress, postgres_url, reuse, workdir):
    """The bench database with the 43 forces onboarded and nothing else (no national library,
    no local content): what the lookup reads. With ``reuse``, a complete full dataset or a
    complete lookup-only one is kept. Returns whether the database is lookup-only."""
    from django.db import connections

    from psycopg import sql

    from tests.bench import BENCH_DATABASE_NAME, dataset

    if reuse:
        full, _why = dataset.reusable(postgres_url, BENCH_DATABASE_NAME)
        if full is not None:
            from tests.bench import run

            run.build_dataset(progress, postgres_url, True, workdir)
            return False
        mark = dataset.built_mark(postgres_url, BENCH_DATABASE_NAME)
        if mark is not None and mark.get("shape") == lookup_only_shape():
            with progress.step("migrate", "reusing the lookup-only bench database; migrating"):
                dataset.migrate()
            return True
    from forces.onboarding import onboard_force

    began = time.monotonic()
    connections.close_all()
    with progress.step("database", f"recreating database {BENCH_DATABASE_NAME} (lookup only)"):
        dataset.recreate_database(postgres_url, BENCH_DATABASE_NAME)
    with progress.step("migrate", "migrating"):
        dataset.migrate()
    specs = dataset._csv_specs()
    with progress.step("onboard", f"onboarding {len(specs)} forces, without content"):
        for spec in specs:
            onboard_force(spec)
        dataset.drop_queued_tasks()
    text = json.dumps(
        {
            "solh_bench": {
                "shape": lookup_only_shape(),
                "build_seconds": round(time.monotonic() - began, 1),
            }
        }
    )
    with dataset._maintenance_connection(postgres_url) as connection:
        connection.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(BENCH_DATABASE_NAME), sql.Literal(text)
            )
        )
    return True


def own_lookup_queries(host, own):
    """Queries of a lookup of a postcode of the force's own neighbourhood: a redirect to it."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    with override_settings(PAGE_CACHE_ENABLED=False):
        client = Client(HTTP_HOST=host)
        client.get("/your-area/")
        with CaptureQueriesContext(connection) as context:
            response = client.get("/your-area/", {"postcode": f"{own[3][7]}AB"})
    if response.status_code != 302:
        from tests.bench.run import BenchError

        raise BenchError(
            f"A postcode of the force's own neighbourhood answered {response.status_code}."
        )
    return [query["sql"] for query in context.captured_queries]


def lookup_plan(postcode):
    """PostgreSQL's plan for the lookup's query (``neighbourhoods.lookup``), with the time it
    took to plan and to run: by the district index."""
    from neighbourhoods.lookup import areas_covering
    from neighbourhoods.postcodes import parse_postcode

    return areas_covering(parse_postcode(postcode)).explain(analyze=True)


def measure_neighbourhoods(
    *,
    concurrency=4,
    requests=1500,
    seconds=6.0,
    rounds=3,
    rebuild=False,
    lookup_only=False,
    output=DEFAULT_OUTPUT,
):
    """Build or reuse the dataset, add the neighbourhoods, serve it uncached and measure the
    lookups beside the floor. Returns the report, also written to ``output``."""
    from tests.bench import run

    began = time.monotonic()
    postgres_url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    if redis_url and not run.redis_reachable(redis_url):
        print(f"! Redis is not answering at {redis_url}: using local-memory caches instead.")
        redis_url = ""
    args = argparse.Namespace(
        concurrency=concurrency,
        requests=requests,
        seconds=seconds,
        rounds=rounds,
        reuse_dataset=not rebuild,
        output=output,
    )
    with tempfile.TemporaryDirectory(prefix="solh-neighbourhoods-bench-") as workdir:
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
                "BENCH_POSTGRES_URL": postgres_url,
                "BENCH_REDIS_URL": redis_url,
                "STATIC_ROOT": str(Path(workdir) / "static"),
                "MEDIA_ROOT": str(Path(workdir) / "media"),
            }
        )
        from tests.bench import dataset

        postgres_version = dataset.server_version(postgres_url)

        import django

        django.setup()
        from django.db import connections

        progress = run.Progress()
        print(
            f"Neighbourhood lookup benchmark: PostgreSQL {postgres_version}, {BENCH_DOMAIN}, "
            f"cache: {'Redis' if redis_url else 'local memory'}"
        )
        with progress.step("collectstatic", "collecting static files"):
            dataset.collect_static()
        run.clear_cache()
        if lookup_only:
            lookup_only = build_lookup_only_dataset(
                progress, postgres_url, args.reuse_dataset, workdir
            )
        else:
            run.build_dataset(progress, postgres_url, args.reuse_dataset, workdir)
        area_count = build_neighbourhoods(progress)
        scenario_list, own = scenarios()
        host = scenario_list[0].host
        with progress.step("queries", "counting queries per lookup"):
            queries = {scenario.name: run.count_queries(scenario) for scenario in scenario_list}
            own_queries = own_lookup_queries(host, own)
            plan = lookup_plan(f"{own[0][0]}AB")
        run.clear_cache()
        connections.close_all()
        try:
            with run.Server(
                workdir, args.concurrency, name=run.UNCACHED, page_cache=False
            ) as server:
                with progress.step("server_start", f"starting gunicorn on 127.0.0.1:{server.port}"):
                    server.wait_until_ready(scenario_list[0])
                try:
                    samples = run.drive_all(args, progress, server, scenario_list)
                except run.BenchError as error:
                    raise server.fail(str(error)) from error
                described = server.describe()
        finally:
            run.clear_cache()
            connections.close_all()
        results, spread = run.assemble(scenario_list, samples, {}, queries)
        size = dataset.summary()

    report = {
        "machine": run.machine_info(postgres_version),
        "server": described,
        "page_cache": "off (a lookup has a query string, which is never page-cached)",
        "load": {
            "generator": "closed loop: Python threads, http.client keep-alive connections",
            "concurrency": concurrency,
            "max_requests": requests,
            "max_seconds": seconds,
            "rounds": rounds,
        },
        "cache": "redis" if redis_url else "locmem",
        "dataset": {
            **size,
            "lookup_only": lookup_only,
            "neighbourhoods_per_force": NEIGHBOURHOODS_PER_FORCE,
            "sectors_per_neighbourhood": SECTORS_PER_NEIGHBOURHOOD,
            "postcode_areas": area_count,
        },
        "lookup_plan": plan,
        "own_force_lookup_queries": len(own_queries),
        "own_force_lookup_sql": own_queries,
        "max_queries": MAX_QUERIES,
        "min_throughput_vs_floor": MIN_THROUGHPUT_VS_FLOOR,
        "floor_spread": spread,
        "timings_seconds": {**progress.timings, "total": round(time.monotonic() - began, 1)},
        "scenarios": results,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n")
    return report


def verdicts(report):
    """One line per lookup: p95, throughput against the floor, queries against the budget."""
    lines = []
    for result in report["scenarios"]:
        if result["name"] not in LOOKUP_SCENARIOS:
            continue
        vs_floor = result["vs_floor"]["throughput"]
        fast = result["name"] != "lookup varied" or vs_floor >= MIN_THROUGHPUT_VS_FLOOR
        few = result["queries"] <= MAX_QUERIES
        lines.append(
            f"  {result['name']:<16} p50 {result['latency_ms']['p50']:6.1f} ms  "
            f"p95 {result['latency_ms']['p95']:6.1f} ms  "
            f"{result['requests_per_second']:6.1f} req/s ({vs_floor:.2f}x floor)  "
            f"{result['queries']:2d} queries  "
            + ("meets" if fast and few else "MISSES")
            + " the targets"
        )
    index_used = "Index" in report["lookup_plan"]
    lines.append(
        "  the lookup's query "
        + ("reads the district index" if index_used else "does NOT use the district index")
    )
    own = report["own_force_lookup_queries"]
    lines.append(
        f"  own force (redirect) {own} queries: "
        + ("meets" if own <= MAX_QUERIES else "MISSES")
        + f" the budget of {MAX_QUERIES}"
    )
    return lines


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.neighbourhoods",
        description="Benchmark the neighbourhood postcode lookup on the 43-force dataset.",
    )
    parser.add_argument("--concurrency", type=int, default=4, help="keep-alive connections")
    parser.add_argument("--requests", type=int, default=1500, help="at most, per scenario")
    parser.add_argument("--seconds", type=float, default=6.0, help="at most, per scenario")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild the bench database even if it exists"
    )
    parser.add_argument(
        "--lookup-only",
        action="store_true",
        help="build (or reuse) a bench database of the 43 forces without their content",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="results file")
    args = parser.parse_args(argv)
    if min(args.concurrency, args.requests, args.rounds) < 1 or args.seconds <= 0:
        parser.error("--concurrency, --requests, --seconds and --rounds must be positive.")
    return args


def main(argv=None):
    from tests.bench.dataset import DatasetError
    from tests.bench.run import BenchError, format_table

    args = parse_args(argv)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(130))
    try:
        report = measure_neighbourhoods(
            concurrency=args.concurrency,
            requests=args.requests,
            seconds=args.seconds,
            rounds=args.rounds,
            rebuild=args.rebuild,
            lookup_only=args.lookup_only,
            output=args.output,
        )
    except (BenchError, DatasetError) as error:
        print(f"\nNeighbourhood benchmark failed: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nNeighbourhood benchmark interrupted; gunicorn stopped.", file=sys.stderr)
        return 130
    print()
    print(format_table(report["scenarios"], "-", report["dataset"]["forces"]))
    print()
    print("\n".join(verdicts(report)))
    shown = args.output.relative_to(REPO) if args.output.is_relative_to(REPO) else args.output
    print(f"\nResults: {shown}")
    return 2 if any("MISSES" in line for line in verdicts(report)) else 0


if __name__ == "__main__":
    sys.exit(main())
