"""What publishing national content to every force costs (issue 17): a quicker harness than the
full bench dataset.

    .venv/bin/python -m tests.bench.publishing [--articles 500] [--rounds 3] [--profile DIR]

With the test settings, on a scratch PostgreSQL database copied from the migrated template
(``tests.databases``) and dropped at the end: the hub and a national library of ``--articles``
articles (``tests.bench.dataset.build_national_library``, before any force exists, as the
bench dataset builds it), then every force of ``forces/data/forces.csv`` onboarded (the four
Welsh forces with their Welsh trees), then ``--rounds`` times a new national article published,
an edit of it published and the article deleted (``dataset.time_national_publishing``: each in
one action that reaches every force). Each round prints the three wall times and query counts.
``--profile DIR`` writes a cProfile of the last round's new page, edit and delete to
``DIR/{new,edit,delete}.prof``. The forces' local pages and news of the bench dataset are left
out: publishing a national page does not read them, except on the Welsh forces' sites.

Targets (issue 17): a new national page on every force in at most 0.5 s, an edit in 0.25 s.
"""

import argparse
import cProfile
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TARGET_NEW_SECONDS = 0.5
TARGET_EDIT_SECONDS = 0.25


def _build(articles):
    from forces.onboarding import onboard_force

    from . import dataset

    dataset.NATIONAL_ARTICLES = articles
    started = time.perf_counter()
    count = dataset.build_national_library()
    print(f"  library: {count} national articles in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    specs = dataset._csv_specs()
    for spec in specs:
        onboard_force(spec)
    print(f"  onboarding: {len(specs)} forces in {time.perf_counter() - started:.1f} s", flush=True)


def _round(profile_dir=None):
    """One new page, edit and delete, profiled into ``profile_dir`` if given."""
    from . import dataset

    if profile_dir is None:
        return dataset.time_national_publishing()
    # Each phase profiled on its own: the outermost publish (new, then edit) and page delete.
    from wagtail.models import Page, Revision

    profiles = {name: cProfile.Profile() for name in ("new", "edit", "delete")}
    originals = {"publish": Revision.publish, "delete": Page.delete}
    state = {"publishes": 0, "depth": 0}

    def profiled(name, original):
        def wrapper(self, *args, **kwargs):
            if state["depth"]:
                return original(self, *args, **kwargs)
            if name == "publish":
                state["publishes"] += 1
                profiler = profiles["new" if state["publishes"] == 1 else "edit"]
            else:
                profiler = profiles["delete"]
            state["depth"] += 1
            profiler.enable()
            try:
                return original(self, *args, **kwargs)
            finally:
                profiler.disable()
                state["depth"] -= 1

        return wrapper

    Revision.publish = profiled("publish", originals["publish"])
    Page.delete = profiled("delete", originals["delete"])
    try:
        result = dataset.time_national_publishing()
    finally:
        Revision.publish, Page.delete = originals["publish"], originals["delete"]
    for name, profiler in profiles.items():
        profiler.dump_stats(Path(profile_dir) / f"{name}.prof")
    return result


def run(args):
    """Build, then time ``args.rounds`` rounds; print and return the figures."""
    _build(args.articles)
    rounds = []
    for number in range(args.rounds):
        last = number == args.rounds - 1
        result = _round(args.profile if last and args.profile else None)
        rounds.append(result)
        print(
            f"  round {number + 1}: {result['copies']} copies; "
            f"new {result['new_page_seconds']:.3f} s ({result['new_page_queries']} queries), "
            f"edit {result['edit_seconds']:.3f} s ({result['edit_queries']} queries), "
            f"delete {result['delete_seconds']:.3f} s ({result['delete_queries']} queries)",
            flush=True,
        )
    summary = {
        key: statistics.median(r[key] for r in rounds)
        for key in ("new_page_seconds", "edit_seconds", "delete_seconds")
    }
    print(
        f"Median of {len(rounds)}: new {summary['new_page_seconds']:.3f} s "
        f"(target {TARGET_NEW_SECONDS} s), edit {summary['edit_seconds']:.3f} s "
        f"(target {TARGET_EDIT_SECONDS} s), delete {summary['delete_seconds']:.3f} s"
    )
    return summary


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500, help="national articles (>= 80)")
    parser.add_argument("--rounds", type=int, default=3, help="new/edit/delete rounds")
    parser.add_argument("--profile", metavar="DIR", help="cProfile the last round into DIR")
    args = parser.parse_args(argv)
    from .onboarding import run_on_scratch_database

    return run_on_scratch_database(run, args)


if __name__ == "__main__":
    sys.exit(main())
