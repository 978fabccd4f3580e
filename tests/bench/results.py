"""``make bench``'s results, for people: the targets, a Markdown table and a chart.

``targets(report)`` judges the issue's targets from the figures ``tests.bench.run`` gathered;
``markdown(report)`` is ``.bench/results.md`` (also printed); ``chart(report, path)`` draws
``.bench/throughput.png``: each page's requests per second relative to the floor, cached and
uncached, with the target lines.
"""

from tests.bench import security_cost

# The targets for this machine.
CACHED_VS_FLOOR = 0.8
UNCACHED_VS_FLOOR = 0.10
# "Uncached home and advice page": the hub's and a force's home, a national and a local page.
UNCACHED_TARGET_PAGES = ("hub home", "force home", "national advice", "local advice")
MAX_QUERIES = 12
MAX_WORKER_MB = 120.0
# A gunicorn worker's proportional share of memory (PSS: its own pages, plus the pages it shares
# with its preloaded master and the other workers divided among them): the primary figure.
MAX_WORKER_PSS_MB = 70.0

FLOOR = "floor"


def _scenarios(report):
    return [result for result in report.get("scenarios") or [] if result["name"] != FLOOR]


def _throughput_ratio(result, server):
    figures = result.get(server)
    return figures["vs_floor"]["throughput"] if figures else None


def _judge(checks):
    """``(met, figures)`` from ``[(label, value, ok), ...]``: met when every check is (``None``
    when there is nothing to judge)."""
    if not checks:
        return None, "not measured"
    return all(ok for _label, _value, ok in checks), ", ".join(
        f"{label} {value}" for label, value, _ok in checks
    )


def _memory_checks(report):
    checks = []
    memory = report.get("memory_mb") or {}
    for server, found in (memory.get("gunicorn") or {}).items():
        for number, worker in enumerate(found.get("workers") or [], start=1):
            pss, rss = (worker or {}).get("pss_mb"), (worker or {}).get("rss_mb")
            if pss is not None and rss is not None:
                checks.append(
                    (
                        f"{server} worker {number}",
                        f"PSS {pss:.0f} MB, RSS {rss:.0f} MB",
                        pss <= MAX_WORKER_PSS_MB and rss <= MAX_WORKER_MB,
                    )
                )
    for number, worker in enumerate(memory.get("run_worker") or [], start=1):
        peak = worker and worker.get("peak_rss_mb")
        if peak is not None:
            checks.append((f"run_worker {number}", f"{peak:.0f} MB", peak <= MAX_WORKER_MB))
    return checks


def targets(report):
    """The issue's targets, each ``{"target", "met", "figures"}`` (``met`` is ``None`` when the
    run did not measure it)."""
    scenarios = _scenarios(report)
    cached = [
        (result["name"], f"{ratio:.2f}×", ratio >= CACHED_VS_FLOOR)
        for result in scenarios
        if result["cacheable"] and (ratio := _throughput_ratio(result, "cached")) is not None
    ]
    uncached = [
        (result["name"], f"{ratio:.3f}×", ratio >= UNCACHED_VS_FLOOR)
        for result in scenarios
        if result["name"] in UNCACHED_TARGET_PAGES
        and (ratio := _throughput_ratio(result, "uncached")) is not None
    ]
    # A kept dataset's 3-force counts are its build's: the code may have changed since, so they
    # are shown but not compared (rebuild to compare).
    reused = (report.get("dataset") or {}).get("reused")
    queries = []
    hits = []
    # Without Redis a hit reads the version stamps (solh.versions): one query.
    hit_queries = 0 if report.get("cache") == "redis" else 1
    for result in scenarios:
        counted = result.get("queries") or {}
        first, every = counted.get("first_forces"), counted.get("all_forces")
        if every is not None:
            same = first is None or reused or first == every
            queries.append(
                (result["name"], f"{_text(first)}/{every}", every <= MAX_QUERIES and same)
            )
        if result["cacheable"] and counted.get("cached_hit") is not None:
            hits.append(
                (result["name"], str(counted["cached_hit"]), counted["cached_hit"] <= hit_queries)
            )
    judged = {
        "cached_pages": (
            f"cached pages ≥ {CACHED_VS_FLOOR}× the floor's requests/s",
            cached,
        ),
        "uncached_home_and_advice": (
            f"uncached home and advice pages ≥ {UNCACHED_VS_FLOOR}× the floor's requests/s",
            uncached,
        ),
        "queries": (
            f"≤ {MAX_QUERIES} queries per page, the same at 3 and at 43 forces (3/43)"
            + (" (dataset kept: its build's 3-force counts, not compared)" if reused else ""),
            queries,
        ),
        "cached_hit_queries": (
            f"a page served from the page cache makes {hit_queries} queries"
            + ("" if hit_queries == 0 else " (the version stamps: no Redis)"),
            hits,
        ),
        "worker_memory": (
            f"gunicorn worker PSS ≤ {MAX_WORKER_PSS_MB:.0f} MB and RSS ≤ {MAX_WORKER_MB:.0f} MB "
            f"at the end; run_worker peak RSS ≤ {MAX_WORKER_MB:.0f} MB",
            _memory_checks(report),
        ),
    }
    found = {}
    for key, (target, checks) in judged.items():
        met, figures = _judge(checks)
        found[key] = {"target": target, "met": met, "figures": figures}
    soak = report.get("soak")
    if soak:
        found["soak"] = {
            "target": "soak, the worker killed: 0 reports lost, 0 duplicated, 0 failed requests",
            "met": soak["passed"],
            "figures": f"{soak['reports']['lost']} lost, {soak['reports']['duplicated']} "
            f"duplicated, {soak['errors']} failed requests ({soak['reports']['sent']} reports "
            f"sent, {soak['reports']['delivered']} delivered)",
        }
    startup = (report.get("memory_mb") or {}).get("startup")
    if startup:
        found["worker_memory"]["figures"] += (
            f"; at startup the platform holds {startup['platform']['rss_mb']:.0f} MB and a bare "
            f"Wagtail project {startup['bare_wagtail']['rss_mb']:.0f} MB"
        )
    return found


def _text(value, template="{}"):
    return "–" if value is None else template.format(value)


def _yes(met):
    return {True: "yes", False: "**no**", None: "not measured"}[met]


def _rate(figures):
    return _text(figures and figures["requests_per_second"], "{:.0f}")


def _ratio(figures):
    return _text(figures and figures["vs_floor"]["throughput"], "{:.2f}×")


def _latency(figures):
    if not figures:
        return "–"
    latency = figures["latency_ms"]
    return f"{latency['p50']:.1f} / {latency['p95']:.1f}"


def _cpu(figures):
    return _text(figures and figures["server_cpu_ms_per_request"], "{:.1f}")


def page_table(report):
    """The Markdown table of every scenario (the floor first)."""
    lines = [
        "| scenario | cached req/s | ×floor | p50/p95 ms | uncached req/s | ×floor | p50/p95 ms "
        "| queries at 3 / 43 forces | CPU ms/req cached / uncached |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in report.get("scenarios") or []:
        cached, uncached = result.get("cached"), result.get("uncached")
        if result["name"] == FLOOR:
            queries = "–"
        else:
            counted = result["queries"]
            queries = f"{_text(counted['first_forces'])} / {counted['all_forces']}"
        if result["cacheable"]:
            cached_cells = [_rate(cached), _ratio(cached), _latency(cached)]
        else:
            cached_cells = ["never cached (bypass)", "–", "–"]
        lines.append(
            "| "
            + " | ".join(
                [
                    result["name"],
                    *cached_cells,
                    _rate(uncached),
                    _ratio(uncached),
                    _latency(uncached),
                    queries,
                    f"{_cpu(cached)} / {_cpu(uncached)}",
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def _publishing_row(publishing, label, key):
    """A row of the national publishing table: the figures before issue 17's batching (when
    the run recorded them) beside this run's."""
    before = publishing.get("before") or {}
    seconds = f"{publishing[f'{key}_seconds']:.2f}"
    queries = str(publishing.get(f"{key}_queries", "–"))
    if f"{key}_seconds" in before:
        seconds = f"{before[f'{key}_seconds']} → {seconds}"
    if f"{key}_queries" in before:
        queries = f"{before[f'{key}_queries']:,} → {queries}"
    return f"| {label} | {seconds} | {queries} |"


def _memory_lines(report):
    memory = report.get("memory_mb") or {}
    rows = []
    for server, found in (memory.get("gunicorn") or {}).items():
        for number, worker in enumerate(found.get("workers") or [], start=1):
            if worker:
                rows.append((f"gunicorn {server} worker {number}", worker))
        if found.get("master"):
            rows.append((f"gunicorn {server} master", found["master"]))
    for number, worker in enumerate(memory.get("run_worker") or [], start=1):
        if worker:
            rows.append((f"manage.py run_worker {number}", worker))
    if not rows:
        return ["Not measured."]
    lines = [
        "| process | PSS MB | USS MB | RSS at the end MB | peak RSS MB |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, found in rows:
        figures = (found.get(key) for key in ("pss_mb", "uss_mb", "rss_mb", "peak_rss_mb"))
        lines.append(f"| {label} | " + " | ".join(_text(v, "{:.0f}") for v in figures) + " |")
    return [
        *lines,
        "",
        "PSS (the primary figure) divides the pages a process shares among their sharers; USS is "
        "what only that process holds (what one more worker costs); RSS counts every page a "
        "process maps, the ones a gunicorn worker shares with its preloaded master too.",
        *_startup_lines(memory.get("startup")),
    ]


def _startup_lines(startup):
    """What the platform holds before its first request, beside a bare Wagtail project."""
    if not startup:
        return []
    platform, bare = startup.get("platform") or {}, startup.get("bare_wagtail") or {}
    return [
        "",
        "At startup, before any request (a fresh interpreter that has loaded the WSGI "
        "application, its URLs and a database connection; `python -m tests.bench.startup_memory`):"
        f" the platform {_text(platform.get('rss_mb'), '{:.0f}')} MB RSS with "
        f"{_text(platform.get('modules'))} modules; a bare Wagtail project (`wagtail start`'s "
        f"apps, on PostgreSQL) in the same environment {_text(bare.get('rss_mb'), '{:.0f}')} MB "
        f"with {_text(bare.get('modules'))} modules.",
    ]


def markdown(report):
    """``.bench/results.md``: the pages table, national publishing, memory, the targets."""
    machine, dataset = report["machine"], report["dataset"]
    servers, load = report.get("servers") or {}, report["load"]
    timings = report["timings_seconds"]
    lines = ["# `make bench` results", ""]
    lines.append(
        f"{machine['timestamp']}: {machine['cpu_count']} CPUs (load average "
        f"{machine['load_average_at_start'][0]:.1f} at the start, "
        f"{machine['load_average_at_end'][0]:.1f} at the end), Python {machine['python']}, "
        f"Django {machine['django']}, Wagtail {machine['wagtail']}, PostgreSQL "
        f"{machine['postgresql']}, cache {report['cache']}."
    )
    lines.append("")
    built = (
        f"reused (built {dataset.get('built_at')} in {dataset.get('build_seconds')} s)"
        if dataset.get("reused")
        else f"built in {dataset.get('build_seconds')} s"
    )
    lines.append(
        f"Dataset: {dataset['forces']} forces, {dataset['national_articles']} national articles "
        f"on every force's site, {(dataset.get('shape') or {}).get('local_pages_per_force')} "
        f"local pages and {(dataset.get('shape') or {}).get('news_per_force')} news items per "
        f"force: {dataset['pages']} pages, {dataset['aliases']} of them aliases; {built}."
    )
    if report.get("scenarios"):
        cached = servers.get("cached") or {}
        lines += [
            "",
            f"Two gunicorns ({cached.get('workers')} × {cached.get('worker_class')}, "
            f"{cached.get('threads')} thread), the *cached* one as production runs and an "
            "*uncached* one with `PAGE_CACHE_ENABLED=false`, driven one at a time in the same "
            f"{load['rounds']} interleaved rounds by {load['concurrency']} keep-alive "
            f"connections (at most {load['max_requests']} requests and {load['max_seconds']:g} s "
            "per page and server). ×floor is requests/s over the floor's on the same server "
            "(the floor: a few bytes through the whole middleware stack). Every cached answer "
            "said `X-Page-Cache: hit`.",
            "",
            page_table(report),
            "",
        ]
        for result in report["scenarios"]:
            note = f" ({result['note']})" if result.get("note") else ""
            lines.append(f"- {result['name']}: `http://{result['host']}{result['path']}`{note}")
        never = [result for result in _scenarios(report) if not result["cacheable"]]
        if never:
            lines += [
                "",
                "Never page-cached by design, so measured uncached only: "
                + "; ".join(
                    f"{result['name']} (the cached server answered `X-Page-Cache: "
                    f"{', '.join(sorted((result.get('bypass_check') or {}).keys())) or '?'}`)"
                    for result in never
                )
                + ". Queries are counted in-process with the page cache off (warm otherwise); "
                f"at 3 forces when the dataset was built ({dataset.get('built_at')}).",
            ]
    publishing = report.get("national_publishing")
    if publishing:
        lines += [
            "",
            "## National publishing",
            "",
            f"With {publishing['forces']} forces and the {publishing['national_articles']}-article "
            f"library; each action reaches all {publishing['copies']} force copies at once.",
            "",
            "| action | seconds (before → now) | queries (before → now) |",
            "| --- | ---: | ---: |",
            *(
                _publishing_row(publishing, label, key)
                for label, key in (
                    ("publish a new national article", "new_page"),
                    ("publish an edit of it", "edit"),
                    ("delete it", "delete"),
                )
            ),
        ]
    if report.get("security_middleware"):
        lines += [
            "",
            "## Security middleware on public pages",
            "",
            *security_cost.markdown_lines(report["security_middleware"]),
        ]
    if report.get("soak"):
        lines += ["", "## Soak", "", *soak_lines(report["soak"])]
    lines += ["", "## Memory", "", *_memory_lines(report)]
    lines += ["", "## Targets", "", "| target | met | figures |", "| --- | --- | --- |"]
    for found in (report.get("targets") or {}).values():
        lines.append(f"| {found['target']} | {_yes(found['met'])} | {found['figures']} |")
    kept = report.get("kept_from_earlier_run")
    if kept:
        lines += [
            "",
            f"Kept from the run of {kept.get('measured_at')} (this one measured only the rest): "
            f"{', '.join(kept['parts'])}.",
        ]
    spreads = report.get("floor_spread") or {}
    lines += [
        "",
        "## Timings",
        "",
        f"Dataset {built}; whole run {timings['total']:.0f} s. Floor spread between rounds "
        "(slowest/fastest; 1.0 is a quiet machine): "
        + (", ".join(f"{name} {_text(value, '{:.2f}')}" for name, value in spreads.items()) or "–")
        + ".",
        "",
    ]
    return "\n".join(lines)


WINDOW_TITLES = {
    "before": "before the kill",
    "during": "worker down, until caught up",
    "after": "after",
}


def _seconds(value):
    return _text(value, "{:.0f} s")


def _p50_p95(figures):
    if not figures or not figures.get("count"):
        return "–"
    return f"{figures['p50']:.0f} / {figures['p95']:.0f}"


def soak_lines(soak):
    """The soak's paragraph and table (``tests.bench.soak``)."""
    worker, reports = soak["worker"], soak["reports"]
    how = "while idle"
    if worker["killed_in_a_delivery"]:
        how = "in the middle of a webhook delivery, " + (
            "which the back office then received"
            if worker.get("held_webhook") == "received"
            else "lost on its way to the back office"
        )
    lines = [
        f"{soak['seconds']:g} s of steady load on all {soak['forces']} forces' sites (open loop: "
        f"{soak['page_views_per_second']:g} page views/s over {soak['pages_in_mix']} pages and "
        f"{soak['reports_per_second']:g} complete reports/s arrive on time whatever the server's "
        f"pace) while `manage.py run_worker` was killed with SIGKILL at "
        f"{_seconds(worker['killed_at_seconds'])}, {how}, and started again at "
        f"{_seconds(worker['restarted_at_seconds'])}; it had caught up at "
        f"{_seconds(worker['caught_up_at_seconds'])}. Latency in ms: a page view's from its "
        "appointed time, a submit's of its `POST`; submit to delivery is the delay until the "
        "report reached the force's receiver.",
        "",
        "| window | page views | p50 / p95 ms | submits | p50 / p95 ms | submit to delivery "
        "p50 / p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, window in soak["windows"].items():
        span = f"{_seconds(window['from_seconds'])}–{_seconds(window['to_seconds'])}"
        lines.append(
            f"| {WINDOW_TITLES[name]} ({span}) | {window['page_views']['count']} | "
            f"{_p50_p95(window['page_views'])} | {window['submits']['count']} | "
            f"{_p50_p95(window['submits'])} | {_p50_p95(window['submit_to_delivery'])} |"
        )
    lines += [
        "",
        f"Reports: {reports['sent']} sent ({reports['warmup']} of them one per force before "
        f"the clock started), {reports['stored']} stored, {reports['delivered']} delivered; "
        f"**{reports['lost']} lost**, **{reports['duplicated']} duplicated** after the "
        "receiver's dedupe by `Idempotency-Key`, which dropped "
        f"{reports['redelivered']} webhook(s) under a key it already had. Reports whose "
        f"delivery the killed worker held: {worker['reports_held_by_the_killed_worker']}, of "
        f"which {worker['held_reports_received']} reached the receiver. Failed requests: "
        f"{soak['errors']}. Task rows left RUNNING by the killed worker: "
        f"{worker['task_rows_left_running']}.",
    ]
    return lines


def chart(report, path):
    """``.bench/throughput.png``: requests/s over the floor's per page, cached and uncached,
    with the targets' lines (log scale)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    scenarios = _scenarios(report)
    names = [result["name"] for result in scenarios]
    cached = [_throughput_ratio(result, "cached") for result in scenarios]
    uncached = [_throughput_ratio(result, "uncached") for result in scenarios]
    positions = range(len(names))
    width = 0.38
    figure, axes = pyplot.subplots(figsize=(11, 5.5), dpi=110)
    for offset, values, label, colour, template in (
        (-width / 2, cached, "cached (page cache on)", "#1d70b8", "{:.2f}"),
        (width / 2, uncached, "uncached (PAGE_CACHE_ENABLED=false)", "#f47738", "{:.3f}"),
    ):
        xs = [position + offset for position, value in zip(positions, values, strict=True) if value]
        ys = [value for value in values if value]
        bars = axes.bar(xs, ys, width, label=label, color=colour)
        labels = [template.format(value) for value in ys]
        axes.bar_label(bars, labels=labels, fontsize=8, padding=2)
    for position, value in zip(positions, cached, strict=True):
        if value is None:
            axes.text(
                position - width / 2,
                0.012,
                "never\ncached",
                ha="center",
                fontsize=7,
                color="#505a5f",
            )
    axes.axhline(
        CACHED_VS_FLOOR,
        color="#00703c",
        linestyle="--",
        linewidth=1,
        label=f"target: cached pages ≥ {CACHED_VS_FLOOR}×",
    )
    axes.axhline(
        UNCACHED_VS_FLOOR,
        color="#d4351c",
        linestyle="--",
        linewidth=1,
        label=f"target: uncached home and advice ≥ {UNCACHED_VS_FLOOR}×",
    )
    axes.set_yscale("log")
    axes.set_ylim(0.01, max([2.0, *(value * 1.5 for value in cached + uncached if value)]))
    axes.set_ylabel("requests/s relative to the floor (log scale)")
    axes.set_xticks(list(positions), names, rotation=20, ha="right")
    dataset = report["dataset"]
    axes.set_title(
        f"Throughput relative to the floor: {dataset['forces']} forces, "
        f"{dataset['pages']} pages ({report['machine']['timestamp'][:10]})"
    )
    axes.legend(loc="lower left", bbox_to_anchor=(0, 1.08), ncol=2, fontsize=8, frameon=False)
    figure.tight_layout()
    figure.savefig(path)
    pyplot.close(figure)
