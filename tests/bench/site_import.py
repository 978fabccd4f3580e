"""What importing a force's old website costs, and what its redirects cost a visitor.

    .venv/bin/python -m tests.bench.site_import [--output PATH] [--redirects 5000]

Also ``make bench BENCH_ARGS="--only import"`` (``tests.bench.run`` hands over to this module).

Runs in a PostgreSQL database of its own (the test settings' per-process database, created and
dropped here), with the hub and one onboarded force, against the fixture old website of the
import tests (``tests.site_import.old_site``) served over HTTP on the loopback, with no delay
between requests (the rules' politeness delay would measure only itself).

Import rate (old addresses per second of wall time, the figure a person waiting sees):

- *floor*: fetching every address of the sitemap with the importer's own fetcher (as many at
  once as the import), and reading each page's content (what any import must do), without
  writing anything;
- *first import*: everything (fetch, pages as drafts, media, links, redirects);
- *second import*: the same site again, which changes nothing (fetched and compared only).

Redirect lookup cost, in-process CPU time per request (median of rounds) and queries, with
``--redirects`` redirects on the force's site: a page served from the page cache (the floor:
no redirect query, since Wagtail's RedirectMiddleware sits inside the page cache and only looks
at 404s), an old address that redirects (404 → lookup → 301), and an address that has no
redirect (404 → lookup → 404).
"""

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPO / ".bench" / "site_import.json"
ROUNDS = 5
REQUESTS_PER_ROUND = 200
HOST = "fenmoor.localhost"


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solh.settings.test")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    return connection, old_name


def _write_rules(folder):
    from tests.site_import.old_site import RULES

    path = Path(folder) / "rules.toml"
    path.write_text(RULES.replace("timeout_seconds = 1", "timeout_seconds = 2"))
    return path


def measure_import(old_site, rules_path):
    from forces.models import Force
    from site_import.extract import extract
    from site_import.importer import Options, SiteImporter
    from site_import.rules import load_rules

    rules = load_rules(rules_path)
    force = Force.objects.select_related("site", "collection").get(slug="fenmoor")
    source = f"{old_site.url}/sitemap.xml"

    floor_importer = SiteImporter(force, source, rules, Options())
    began = time.perf_counter()
    fetched = 0
    # As the import fetches: as many at once as the rules allow.
    with ThreadPoolExecutor(max_workers=rules.concurrency) as pool:
        results = pool.map(floor_importer.fetcher.fetch, floor_importer.seeds)
        for url, result in zip(floor_importer.seeds, results, strict=True):
            fetched += 1
            if result.ok and result.is_html:
                extract(result.body, result.final_url or url, rules)
    floor_seconds = time.perf_counter() - began

    figures = {"floor": {"pages": fetched, "seconds": round(floor_seconds, 3)}}
    for name in ("first_import", "second_import"):
        importer = SiteImporter(force, source, rules, Options())
        began = time.perf_counter()
        outcomes = importer.run()
        seconds = time.perf_counter() - began
        counted = {}
        for outcome in outcomes:
            counted[outcome.result] = counted.get(outcome.result, 0) + 1
        figures[name] = {"pages": len(outcomes), "seconds": round(seconds, 3), "results": counted}
    for figure in figures.values():
        figure["pages_per_second"] = round(figure["pages"] / figure["seconds"], 2)
    floor_rate = figures["floor"]["pages_per_second"]
    for name in ("first_import", "second_import"):
        figures[name]["ratio_to_floor"] = round(figures[name]["pages_per_second"] / floor_rate, 3)
    return figures


def _per_request(client, path, expected, requests):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_HOST=HOST)
    if response.status_code != expected:
        raise RuntimeError(f"{path}: {response.status_code}, expected {expected}")
    captured = queries.captured_queries
    redirect_queries = sum("wagtailredirects_redirect" in query["sql"] for query in captured)
    began = time.process_time()
    for _ in range(requests):
        client.get(path, HTTP_HOST=HOST)
    return (time.process_time() - began) * 1000 / requests, len(captured), redirect_queries


def measure_redirects(count):
    from django.conf import settings
    from django.test import Client, override_settings

    from wagtail.contrib.redirects.models import Redirect
    from wagtail.models import Page

    from forces.models import Force

    force = Force.objects.select_related("site").get(slug="fenmoor")
    contact = Page.objects.get(url_path=force.site.root_page.url_path + "contact-us/")
    Redirect.objects.bulk_create(
        Redirect(site=force.site, old_path=f"/old/page-{number}.aspx", redirect_page=contact)
        for number in range(count)
    )
    scenarios = {
        "cached_page": ("/contact-us/", 200),
        "old_address_redirected": (f"/old/page-{count // 2}.aspx", 301),
        "unknown_address": ("/old/no-such-page.aspx", 404),
    }
    found = {}
    # Every 404 is logged as a warning: thousands of lines that say nothing here.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    with override_settings(PAGE_CACHE_ENABLED=True):
        client = Client()
        client.get("/contact-us/", HTTP_HOST=HOST)  # stored: every later request is a hit
        samples = {name: [] for name in scenarios}
        for _round in range(ROUNDS):
            for name, (path, status) in scenarios.items():
                ms, queries, redirect_queries = _per_request(
                    client, path, status, REQUESTS_PER_ROUND
                )
                samples[name].append(ms)
                found[name] = {"queries": queries, "redirect_queries": redirect_queries}
    # The same unknown address without Wagtail's RedirectMiddleware: the lookup's own cost.
    without = [
        name
        for name in settings.MIDDLEWARE
        if name != "wagtail.contrib.redirects.middleware.RedirectMiddleware"
    ]
    samples["unknown_address_without_redirects"] = []
    with override_settings(PAGE_CACHE_ENABLED=True, MIDDLEWARE=without):
        client = Client()
        for _round in range(ROUNDS):
            ms, queries, redirect_queries = _per_request(
                client, scenarios["unknown_address"][0], 404, REQUESTS_PER_ROUND
            )
            samples["unknown_address_without_redirects"].append(ms)
            found["unknown_address_without_redirects"] = {
                "queries": queries,
                "redirect_queries": redirect_queries,
            }
    scenarios["unknown_address_without_redirects"] = None
    floor = statistics.median(samples["cached_page"])
    for name in scenarios:
        median = statistics.median(samples[name])
        found[name]["cpu_ms_per_request"] = round(median, 3)
        found[name]["ratio_to_cached_page"] = round(median / floor, 2) if floor else None
    found["redirects_on_site"] = count
    found["lookup_cost_ms"] = round(
        found["unknown_address"]["cpu_ms_per_request"]
        - found["unknown_address_without_redirects"]["cpu_ms_per_request"],
        3,
    )
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--redirects", type=int, default=5000)
    args = parser.parse_args(argv)
    connection, old_name = _setup()
    try:
        from forces.onboarding import ForceSpec, ensure_hub, onboard_force
        from tests.site_import.old_site import OldSite

        ensure_hub()
        onboard_force(
            ForceSpec(slug="fenmoor", name="Fenmoor Constabulary", hostname=HOST, short_name="FEN")
        )
        with tempfile.TemporaryDirectory() as folder, OldSite() as old_site:
            rules_path = _write_rules(folder)
            imported = measure_import(old_site, rules_path)
        redirects = measure_redirects(args.redirects)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    report = {"import": imported, "redirects": redirects}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(format_report(report))
    print(f"Results: {args.output}")
    return 0


def format_report(report):
    imported, redirects = report["import"], report["redirects"]
    lines = ["Site import (fixture old site over HTTP, no politeness delay)"]
    for name in ("floor", "first_import", "second_import"):
        figure = imported[name]
        ratio = figure.get("ratio_to_floor")
        lines.append(
            f"  {name:<15} {figure['pages']:>4} addresses {figure['seconds']:>7.2f} s "
            f"{figure['pages_per_second']:>7.2f} /s" + (f"  ({ratio:.3f} x floor)" if ratio else "")
        )
    lines.append(f"Redirect lookup ({redirects['redirects_on_site']} redirects on the site)")
    for name in (
        "cached_page",
        "old_address_redirected",
        "unknown_address",
        "unknown_address_without_redirects",
    ):
        figure = redirects[name]
        lines.append(
            f"  {name:<34} {figure['cpu_ms_per_request']:>7.3f} ms CPU/request  "
            f"{figure['queries']:>2} queries ({figure['redirect_queries']} redirect)  "
            f"{figure['ratio_to_cached_page']:.2f} x cached page"
        )
    lines.append(f"  redirect lookup on a 404: {redirects['lookup_cost_ms']:.3f} ms CPU")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
