"""Search latency and throughput on the 43-force bench dataset (target: p95 under 100 ms).

    .venv/bin/python -m tests.bench.search_bench [--concurrency 4] [--requests 1500]
                                                 [--seconds 6] [--rounds 3] [--rebuild]
                                                 [--output .bench/search.json]

Measures, on the measured force's site (``dataset.MEASURED_FORCE``), under gunicorn and
PostgreSQL exactly as ``make bench`` serves pages (``tests.bench.run``):

- ``search common``: ``/search/?q=burglary``, a term on many of the site's pages (its own advice,
  the national library as the force's copies): counting, ranking, ten highlighted snippets, the
  promotions lookup and the per-site query count;
- ``search rare``: ``/search/?q=cadets``, a term on one page, so "Did you mean" is looked up too
  (trigram similarity over the site's titles);
- ``search misspelt``: ``/search/?q=burglery``, no results and a spelling suggestion;
- ``suggest``: ``/search/suggest/?q=burg``, the search box's title suggestions (cached per site);
- ``search varied``: every request a different search, one or two words from the site's own
  pages (about half find something), so none is answered from the search page's result cache
  (``search.result_cache``): what an uncommon search costs. The three fixed searches above are
  answered from that cache after their first request, as popular searches are.

It reuses the bench database of ``make bench`` when it holds the current dataset (building it
otherwise, or with ``--rebuild``). Building publishes pages under the production task backend,
which leaves the search index to a worker the bench does not run, so the build indexes the pages
itself (``prepare_search_index``, ``manage.py update_index``, after the first forces, then
``index_missing_pages`` for each later force's site as soon as it is complete).

``make bench`` (``tests.bench.run``) measures ``search common`` as its "search" page, uncached
(a query string is never page-cached). ``measure_search()`` runs the whole measurement on its
own and returns the figures; ``python -m tests.bench.search_bench`` prints them and writes them
to ``.bench/search.json``.
"""

import argparse
import io
import itertools
import json
import os
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from tests.bench import BENCH_DOMAIN, DEFAULT_POSTGRES_URL, DEFAULT_REDIS_URL

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPO / ".bench" / "search.json"
SETTINGS_MODULE = "tests.bench.settings"

COMMON_TERM = "burglary"
# In one news headline per force ("Volunteer police cadets receive awards").
RARE_TERM = "cadets"
MISSPELT_TERM = "burglery"
SUGGEST_PREFIX = "burg"
TARGET_P95_MS = 100.0
SEARCH_SCENARIOS = ("search common", "search rare", "search misspelt", "suggest", "search varied")
# Enough different searches that none repeats within a run (warm-up included).
VARIED_QUERIES = 3000
MIN_WORD_LENGTH = 4


class VariedSearch:
    """A scenario (as ``tests.bench.run`` drives them) whose every request searches for the next
    of ``queries``, round and round."""

    def __init__(self, name, host, queries):
        self.name = name
        self.host = host
        self.queries = queries
        self.markers = ('id="search-result-count"',)
        self._paths = itertools.cycle(["/search/?" + urlencode({"q": query}) for query in queries])
        self._lock = threading.Lock()

    @property
    def path(self):
        with self._lock:
            return next(self._paths)

    @property
    def url(self):
        return f"http://{self.host}{self.path}"


def varied_queries(host, limit=VARIED_QUERIES):
    """Searches made of the words of the pages of the site at ``host``: each word, and each
    pair of words side by side, alternately, in the order they first appear."""
    from wagtail.models import Site

    from search.highlight import WORD, indexed_text
    from search.views import site_pages

    site = Site.objects.get(hostname=host)
    words = []
    for page in site_pages(site).specific().order_by("path"):
        text = f"{page.title}. {indexed_text(page)}"
        words.extend(word.lower() for word in WORD.findall(text) if word.isalpha())
    singles = list(dict.fromkeys(word for word in words if len(word) >= MIN_WORD_LENGTH))
    pairs = list(
        dict.fromkeys(
            f"{first} {second}"
            for first, second in itertools.pairwise(words)
            if len(first) >= MIN_WORD_LENGTH and len(second) >= MIN_WORD_LENGTH
        )
    )
    queries = [query for pair in itertools.zip_longest(singles, pairs) for query in pair if query]
    return queries[:limit]


def floor_scenario():
    """``make bench``'s floor, on the measured force's host: every figure is given beside it."""
    from tests.bench import dataset
    from tests.bench.run import FLOOR, Scenario
    from tests.bench.urls import FLOOR_BODY, FLOOR_PATH

    return Scenario(
        FLOOR, dataset.force_host(dataset.MEASURED_FORCE), FLOOR_PATH, (FLOOR_BODY.decode(),)
    )


def search_scenarios():
    """The search pages to measure, as ``tests.bench.run.Scenario``; each answer is checked."""
    from tests.bench import dataset
    from tests.bench.run import Scenario

    host = dataset.force_host(dataset.MEASURED_FORCE)
    return [
        Scenario(
            "search common",
            host,
            f"/search/?q={COMMON_TERM}",
            (f"results for “{COMMON_TERM}”", "<mark>"),
        ),
        Scenario("search rare", host, f"/search/?q={RARE_TERM}", (f"1 result for “{RARE_TERM}”",)),
        Scenario(
            "search misspelt",
            host,
            f"/search/?q={MISSPELT_TERM}",
            # Which word is suggested depends on the titles (the library has "burgled" and
            # "burglary"): any suggestion will do.
            (f"0 results for “{MISSPELT_TERM}”", 'id="search-suggestion"'),
        ),
        Scenario(
            "suggest",
            host,
            f"/search/suggest/?q={SUGGEST_PREFIX}",
            ('"results": [{"title": ', '"url": "/advice/'),
        ),
    ]


def _page_content_type_ids():
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import Page

    return [
        content_type.pk
        for content_type in ContentType.objects.all()
        if (model := content_type.model_class()) is not None and issubclass(model, Page)
    ]


def pages_missing_from_index():
    """How many more pages (below the tree's root) there are than pages in the search index."""
    from wagtail.models import Page
    from wagtail.search.models import IndexEntry

    indexed = IndexEntry.objects.filter(content_type_id__in=_page_content_type_ids()).count()
    return max(0, Page.objects.filter(depth__gt=1).count() - indexed)


def prepare_search_index():
    """Rebuild the search index if pages are missing from it; return the seconds it took."""
    from django.core.management import call_command

    if not pages_missing_from_index():
        return 0.0
    began = time.monotonic()
    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
    return round(time.monotonic() - began, 2)


def index_missing_pages():
    """Add every page that is not in the search index yet (as ``update_index`` adds it: as its
    specific type, in bulk); return how many were added.

    Much faster than ``update_index`` when most pages are indexed already: the dataset build
    indexes each force's site as soon as it is complete, while the next force is onboarded.
    """
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend
    from wagtail.search.index import class_is_indexed
    from wagtail.search.models import IndexEntry

    indexed = set(
        IndexEntry.objects.filter(content_type_id__in=_page_content_type_ids()).values_list(
            "content_type_id", "object_id"
        )
    )
    missing = [
        pk
        for pk, content_type_id in Page.objects.filter(depth__gt=1).values_list(
            "pk", "content_type_id"
        )
        if (content_type_id, str(pk)) not in indexed
    ]
    by_model = {}
    for page in Page.objects.filter(pk__in=missing).specific().iterator(chunk_size=500):
        by_model.setdefault(type(page), []).append(page)
    backend = get_search_backend()
    for model, pages in by_model.items():
        if class_is_indexed(model):
            backend.add_bulk(model, pages)
    return len(missing)


def measure_search(
    *,
    concurrency=4,
    requests=1500,
    seconds=6.0,
    rounds=3,
    rebuild=False,
    output=DEFAULT_OUTPUT,
):
    """Build or reuse the dataset, index it, serve it and measure the search scenarios (with
    ``make bench``'s floor beside them). Returns the report, also written to ``output``."""
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
    with tempfile.TemporaryDirectory(prefix="solh-search-bench-") as workdir:
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
            f"Search benchmark: PostgreSQL {postgres_version}, {BENCH_DOMAIN}, "
            f"cache: {'Redis' if redis_url else 'local memory'}"
        )
        floor = floor_scenario()
        scenario_list = [floor, *search_scenarios()]
        with progress.step("collectstatic", "collecting static files"):
            dataset.collect_static()
        run.clear_cache()
        # Kept when it holds the current dataset (migrated), rebuilt otherwise.
        run.build_dataset(progress, postgres_url, args.reuse_dataset, workdir)
        with progress.step("index", "making sure every page is in the search index"):
            index_seconds = prepare_search_index()
        size = dataset.summary()
        host = dataset.force_host(dataset.MEASURED_FORCE)
        varied = VariedSearch("search varied", host, varied_queries(host))
        scenario_list.append(varied)
        with progress.step("queries", f"counting queries per search with {size['forces']} forces"):
            queries = {scenario.name: run.count_queries(scenario) for scenario in scenario_list}
        run.clear_cache()
        connections.close_all()
        try:
            server, samples = _serve_and_drive(args, progress, workdir, scenario_list)
        finally:
            run.clear_cache()
            connections.close_all()
        results, spread = run.assemble(scenario_list, samples, {}, queries)

    report = {
        "machine": run.machine_info(postgres_version),
        "server": server,
        "load": {
            "generator": "closed loop: Python threads, http.client keep-alive connections",
            "concurrency": concurrency,
            "max_requests": requests,
            "max_seconds": seconds,
            "rounds": rounds,
        },
        "cache": "redis" if redis_url else "locmem",
        "dataset": size,
        "index_rebuild_seconds": index_seconds,
        "varied_searches": len(varied.queries),
        "target_p95_ms": TARGET_P95_MS,
        "floor_spread": spread,
        "timings_seconds": {**progress.timings, "total": round(time.monotonic() - began, 1)},
        "scenarios": results,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n")
    return report


def _serve_and_drive(args, progress, workdir, scenario_list):
    """gunicorn as ``make bench`` runs it, every scenario driven in interleaved rounds."""
    from tests.bench import run

    with run.Server(workdir, args.concurrency) as server:
        with progress.step("server_start", f"starting gunicorn on 127.0.0.1:{server.port}"):
            server.wait_until_ready(scenario_list[0])
        try:
            samples = run.drive_all(args, progress, server, scenario_list)
        except run.BenchError as error:
            raise server.fail(str(error)) from error
        if server.process.poll() is not None:
            raise server.fail("gunicorn stopped during the run.")
        return server.describe(), samples


def verdicts(report):
    """One line per search scenario: its p95 against the target."""
    lines = []
    for result in report["scenarios"]:
        if result["name"] not in SEARCH_SCENARIOS:
            continue
        p95 = result["latency_ms"]["p95"]
        verdict = "meets" if p95 < TARGET_P95_MS else "MISSES"
        lines.append(
            f"  {result['name']:<16} p50 {result['latency_ms']['p50']:6.1f} ms  p95 {p95:6.1f} ms  "
            f"{result['requests_per_second']:6.1f} req/s  {result['queries']:2d} queries  "
            f"{verdict} the p95 target of {TARGET_P95_MS:.0f} ms"
        )
    return lines


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.search_bench",
        description="Benchmark site search under gunicorn and PostgreSQL on the 43-force dataset.",
    )
    parser.add_argument("--concurrency", type=int, default=4, help="keep-alive connections")
    parser.add_argument("--requests", type=int, default=1500, help="at most, per scenario")
    parser.add_argument("--seconds", type=float, default=6.0, help="at most, per scenario")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild the bench database even if it exists"
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
        report = measure_search(
            concurrency=args.concurrency,
            requests=args.requests,
            seconds=args.seconds,
            rounds=args.rounds,
            rebuild=args.rebuild,
            output=args.output,
        )
    except (BenchError, DatasetError) as error:
        print(f"\nSearch benchmark failed: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nSearch benchmark interrupted; gunicorn stopped.", file=sys.stderr)
        return 130
    print()
    for result in report["scenarios"]:
        print(f"  {result['name']:<16} http://{result['host']}{result['path']}")
    print()
    print(format_table(report["scenarios"], "-", report["dataset"]["forces"]))
    print()
    print("\n".join(verdicts(report)))
    shown = args.output.relative_to(REPO) if args.output.is_relative_to(REPO) else args.output
    print(f"\nResults: {shown}")
    missed = [line for line in verdicts(report) if "MISSES" in line]
    return 2 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
