"""What onboarding a force costs: queries, CPU and wall time per force (issue 17).

    .venv/bin/python -m tests.bench.onboarding [--forces 5] [--csv] [--profile PATH]
    .venv/bin/python -m tests.bench.run --only onboarding

With the test settings, on a scratch PostgreSQL database copied from the migrated template
(``tests.databases``: no migrations run) and dropped at the end: the national hub and a first
force are onboarded (the first pays for the hub, its roles and the national workflow), then
``--forces`` more forces one by one, each its own ``onboard_force`` call as the command makes
it, then the last of them again (an unchanged run). Each line gives the force's queries
(``CaptureQueriesContext``), its CPU time (``time.process_time``: this process only, the figure
least disturbed by a busy machine) and its wall time. ``--csv`` onboards every force of
``forces/data/forces.csv`` instead (the four Welsh forces build their Welsh trees too) and adds
the totals. ``--profile PATH`` writes a cProfile of the second force's onboarding to PATH (read
it with ``python -m pstats PATH``). The search and reference index jobs that saving pages
queues are written for the worker, as production's task backend does (``solh.tasks_backend``),
not run inside onboarding as the test settings' immediate backend would (``--immediate-tasks``).

Targets (issue 17): a force after the first at most 0.3 s; all 43 from the CSV at most 15 s.
"""

import argparse
import cProfile
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TARGET_ONE_SECONDS = 0.3
TARGET_CSV_SECONDS = 15.0


def _scratch_database():
    """Point the default connection at a fresh copy of the migrated template; return its name."""
    from django.db import connection

    from tests.databases import postgres_server, postgres_template

    template = postgres_template()
    name = f"bench_onboarding_{os.getpid()}"
    with postgres_server() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    connection.close()
    connection.settings_dict["NAME"] = name
    return name


def _drop(name):
    from django.db import connection

    from tests.databases import postgres_server

    connection.close()
    with postgres_server() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _measure(spec, profiler=None):
    """Onboard ``spec``; return (result, queries, cpu seconds, wall seconds)."""
    from django.db import connection

    from forces.onboarding import onboard_force

    # Counted as they run, not from connection.queries (which keeps the last 9,000 only).
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler is not None:
            profiler.enable()
        result = onboard_force(spec)
        if profiler is not None:
            profiler.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return result, queries, cpu, wall


def _line(label, result, queries, cpu, wall):
    status = "created" if result.created else ("updated" if result.changed else "unchanged")
    return f"  {label:<38} {status:<9} {queries:>5} queries {cpu:>6.3f} s CPU {wall:>6.3f} s wall"


def _specs(args):
    from django.conf import settings

    from forces.management.commands.onboard_force import csv_specs
    from forces.onboarding import ForceSpec

    if args.csv:
        return csv_specs(REPO / "forces" / "data" / "forces.csv", settings.BASE_DOMAIN)
    return [
        ForceSpec(slug=f"bench-{n}", name=f"Bench Force {n}", hostname=f"bench-{n}.example.test")
        for n in range(args.forces + 1)
    ]


def run(args):
    """Onboard the forces; print and return the figures."""
    from forces.onboarding import ensure_hub

    specs = _specs(args)
    rows = []
    hub_start = time.process_time()
    ensure_hub()
    hub_cpu = time.process_time() - hub_start
    print(f"  {'hub (ensure_hub)':<38} {'':<9} {'':>5}         {hub_cpu:>6.3f} s CPU")
    for index, spec in enumerate(specs):
        profiler = cProfile.Profile() if args.profile and index == 1 else None
        result, queries, cpu, wall = _measure(spec, profiler)
        if profiler is not None:
            profiler.dump_stats(args.profile)
        rows.append((queries, cpu, wall))
        label = f"{'first ' if index == 0 else ''}{spec.slug}"
        print(_line(label, result, queries, cpu, wall), flush=True)
    again = _measure(specs[-1])
    print(_line(f"{specs[-1].slug} again", *again))
    later = rows[1:]
    summary = {
        "forces_after_first": len(later),
        "queries_median": statistics.median(r[0] for r in later),
        "cpu_median": statistics.median(r[1] for r in later),
        "wall_median": statistics.median(r[2] for r in later),
        "cpu_total": sum(r[1] for r in rows),
        "wall_total": sum(r[2] for r in rows),
        "unchanged_queries": again[1],
        "unchanged_cpu": again[2],
    }
    print(
        f"After the first ({summary['forces_after_first']} forces), median: "
        f"{summary['queries_median']:.0f} queries, {summary['cpu_median']:.3f} s CPU, "
        f"{summary['wall_median']:.3f} s wall (target {TARGET_ONE_SECONDS} s)"
    )
    print(
        f"All {len(rows)} forces: {summary['cpu_total']:.1f} s CPU, "
        f"{summary['wall_total']:.1f} s wall"
        + (f" (target {TARGET_CSV_SECONDS:.0f} s)" if args.csv else "")
    )
    print(
        f"Unchanged run: {summary['unchanged_queries']} queries, "
        f"{summary['unchanged_cpu']:.3f} s CPU"
    )
    return summary


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--forces", type=int, default=5, help="forces after the first")
    parser.add_argument("--csv", action="store_true", help="every force of forces/data/forces.csv")
    parser.add_argument("--profile", metavar="PATH", help="cProfile the second force to PATH")
    parser.add_argument(
        "--immediate-tasks",
        action="store_true",
        help="run the search and reference index jobs inside onboarding (the test settings' "
        "backend) instead of queueing them for the worker (production's)",
    )
    args = parser.parse_args(argv)
    return run_on_scratch_database(run, args, immediate_tasks=args.immediate_tasks)


def run_on_scratch_database(run, args, immediate_tasks=False):
    """Set Django up with the test settings, call ``run(args)`` on a scratch database, drop it.

    Unless ``immediate_tasks``, the search and reference index jobs are queued for the worker as
    ``manage.py onboard_force`` and publishing queue them in production, not run inline. Shared
    by the benches that need a clean migrated database (onboarding, publishing).
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solh.settings.test")
    sys.path.insert(0, str(REPO))
    import django
    from django.conf import settings

    if not immediate_tasks:
        settings.TASKS = {"default": {"BACKEND": "solh.tasks_backend.DatabaseBackend"}}
    django.setup()
    name = _scratch_database()
    try:
        run(args)
    finally:
        _drop(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
