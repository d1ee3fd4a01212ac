"""Benchmark results: per-page statistics from the load generator's samples, machine details, and
the JSON and markdown files under bench/results/.

A sample is one request: [start_time, page, response_ms, ok, status, sql_count, sql_ms, app_ms,
found, variant] (see bench/locustfile.py). Pure functions apart from reading the machine's facts.
"""

import datetime
import json
import math
import os
import platform
import statistics
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

# Budgets at 1,000,000 client systems and 20 requests per second (issue #5): p95 in ms.
PAGES = [
    ("worker caseload", 150),
    ("case page", 150),
    ("client search by name", 100),
    ("lookup by NIK", 100),
    ("supervisor dashboard", 150),
    ("manager dashboard", 150),
]
BUDGETS = dict(PAGES)
# Measured beside the budgeted pages, without a budget of their own: the case page's latest timeline
# entries, which the browser fetches only when that part of the page scrolls into view.
EXTRA_PAGES = [("case timeline (on scroll)", None)]
ALL_PAGES = [p for p, _b in PAGES + EXTRA_PAGES]
GROWTH_LIMIT = 1.5  # p95 at 1M within 1.5x of p95 at 10k


def percentile(values: Sequence[float], pct: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * pct / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


SIGN_IN = "sign in"


def measuring_window(samples: Sequence[Sequence], *, warmup_s: float, duration_s: float) -> tuple[float, float]:
    """From `warmup_s` after the last simulated user signed in, for `duration_s` (or to the last sample)."""
    signed_in = [s[0] + s[2] / 1000 for s in samples if s[1] == SIGN_IN]
    first = min((s[0] for s in samples), default=0.0)
    start = (max(signed_in) if signed_in else first) + warmup_s
    last = max((s[0] for s in samples if s[1] != SIGN_IN), default=start)
    return start, min(start + duration_s, max(last, start))


def summarise(
    samples: Iterable[Sequence], *, duration_s: float, since: float | None = None, until: float | None = None
) -> dict[str, dict]:
    """Per page: requests, throughput, errors, latency percentiles, SQL count and time, search hits.

    Only requests started in [since, until) count; sign-ins never do."""
    by_page: dict[str, list[Sequence]] = {}
    for sample in samples:
        if sample[1] == SIGN_IN or (since is not None and sample[0] < since):
            continue
        if until is not None and sample[0] >= until:
            continue
        by_page.setdefault(sample[1], []).append(sample)
    out: dict[str, dict] = {}
    for page, rows in by_page.items():
        ok = [r for r in rows if r[3]]
        times = [r[2] for r in ok]
        sql_counts = [r[5] for r in ok if r[5] >= 0]
        sql_ms = [r[6] for r in ok if r[6] >= 0]
        app_ms = [r[7] for r in ok if r[7] >= 0]
        found = [r[8] for r in ok if r[8] is not None]
        row = {
            "requests": len(rows),
            "errors": len(rows) - len(ok),
            "throughput_rps": _round(len(rows) / duration_s if duration_s else None, 2),
            "p50_ms": _round(percentile(times, 50)),
            "p95_ms": _round(percentile(times, 95)),
            "p99_ms": _round(percentile(times, 99)),
            "max_ms": _round(max(times) if times else None),
            "sql_queries_median": statistics.median(sql_counts) if sql_counts else None,
            "sql_queries_max": max(sql_counts) if sql_counts else None,
            "sql_ms_p50": _round(percentile(sql_ms, 50)),
            "sql_ms_p95": _round(percentile(sql_ms, 95)),
            "app_ms_p50": _round(percentile(app_ms, 50)),
            "db_share_p50": _round(
                statistics.median([r[6] / r[7] for r in ok if r[7] > 0 and r[6] >= 0]) if app_ms else None, 2
            ),
        }
        if found:
            row["found_rate"] = _round(sum(found) / len(found), 3)
            variants: dict[str, list[bool]] = {}
            for r in ok:
                if r[8] is not None and r[9]:
                    variants.setdefault(r[9], []).append(r[8])
            row["found_by_variant"] = {k: _round(sum(v) / len(v), 3) for k, v in sorted(variants.items())}
        budget = BUDGETS.get(page)
        if budget is not None:
            row["budget_p95_ms"] = budget
            row["within_budget"] = bool(row["p95_ms"] is not None and row["p95_ms"] <= budget and not row["errors"])
        out[page] = row
    return dict(sorted(out.items(), key=lambda item: ALL_PAGES.index(item[0]) if item[0] in ALL_PAGES else 99))


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        return ""


def machine_info() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _read("/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    mem_kb = next(
        (int(line.split()[1]) for line in _read("/proc/meminfo").splitlines() if line.startswith("MemTotal:")), 0
    )
    import django

    info = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
    }
    for package in ("gunicorn", "locust", "psycopg"):
        try:
            from importlib.metadata import version

            info[package] = version(package)
        except Exception:  # noqa: BLE001 - a missing package is just not reported
            info[package] = None
    return info


def cpu_check_ms(repeat: int = 3) -> float:
    """The best of `repeat` timings of a fixed pure-Python loop, in ms: the same work every time,
    so a higher figure means a slower CPU at that moment (on a shared virtual machine, the
    host's other guests). Compare it between runs before comparing their latencies."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i * i
        best = min(best, time.perf_counter() - start)
    return round(best * 1000, 1)


def load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def result_stem(result: dict) -> str:
    day = result["measured_at"][:10]
    tag = result["run"].get("tag")
    return f"{day}-{result['dataset']['clients']}" + (f"-{tag}" if tag else "")


def write_results(result: dict, out_dir: Path) -> tuple[Path, Path]:
    """bench/results/<date>-<clients>.json and .md"""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = result_stem(result)
    json_path = out_dir / f"{stem}.json"
    md_path = out_dir / f"{stem}.md"
    json_path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(markdown(result), encoding="utf-8")
    return json_path, md_path


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


BURST_WINDOW_S = 0.1
CROWDED = 5  # requests starting in the same 100 ms window: 4 sync workers on 2 cores are then all busy


def arrival_pattern(samples: Iterable[Sequence], *, since: float, until: float) -> dict:
    """How the measured requests were spread in time: requests started per 100 ms window.

    A steady stream of independent users at 20 requests/s is a Poisson stream of 2 per window:
    about 14% of the windows empty, about 14% of the requests in a window of 5 or more
    (poisson_reference). Users that send in step (locust's constant_throughput from a common
    start) leave most windows empty and send most requests in crowds, which the server then
    serves all at once."""
    starts = [s[0] for s in samples if s[1] != SIGN_IN and since <= s[0] < until]
    windows = max(1, int((until - since) / BURST_WINDOW_S))
    counts = [0] * windows
    for start in starts:
        counts[min(windows - 1, int((start - since) / BURST_WINDOW_S))] += 1
    crowded = sum(n for n in counts if n >= CROWDED)
    return {
        "window_ms": int(BURST_WINDOW_S * 1000),
        "mean": _round(len(starts) / windows, 2),
        "empty_share": _round(counts.count(0) / windows, 3),
        "crowded_share": _round(crowded / len(starts), 3) if starts else None,
        "max": max(counts),
    }


def markdown(result: dict) -> str:
    ds, run, machine, db = result["dataset"], result["run"], result["machine"], result["database"]
    lines = [
        f"# Benchmark: {ds['clients']:,} client systems ({result['measured_at'][:16].replace('T', ' ')} UTC)",
        "",
        f"{run['server']} on 127.0.0.1, load by {run['load_generator']} at {run['rate_rps']} requests "
        f"per second on average; measured for {run['duration_s']} s, from {run['warmup_s']} s after the last "
        "simulated user signed in."
        + (f" Partial run `{run['tag']}`: only {', '.join(run.get('pages', []))} loaded." if run.get("tag") else ""),
        "",
        "| page | requests | req/s | errors | p50 ms | p95 ms | p99 ms | budget p95 | met | SQL queries "
        "| SQL ms p50 | app ms p50 | DB share |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for page, row in result["pages"].items():
        met = "—" if "within_budget" not in row else ("yes" if row["within_budget"] else "**no**")
        lines.append(
            f"| {page} | {row['requests']} | {_fmt(row['throughput_rps'], 2)} | {row['errors']} | "
            f"{_fmt(row['p50_ms'])} | {_fmt(row['p95_ms'])} | {_fmt(row['p99_ms'])} | "
            f"{_fmt(row.get('budget_p95_ms'))} | {met} | {_fmt(row['sql_queries_max'])} | {_fmt(row['sql_ms_p50'])} | "
            f"{_fmt(row['app_ms_p50'])} | {_fmt(row['db_share_p50'], 2)} |"
        )
    searches = {p: r for p, r in result["pages"].items() if "found_rate" in r}
    if searches:
        lines += ["", "Search hits (the wanted client system on the first page of results):", ""]
        for page, row in searches.items():
            parts = ", ".join(f"{k} {v:.0%}" for k, v in row.get("found_by_variant", {}).items())
            lines.append(f"- {page}: {row['found_rate']:.0%} ({parts})")
    lines += [
        "",
        "SQL queries: the most any request of the page ran; SQL ms: time inside the database driver "
        "(database plus loopback); app ms: the Django application's time in the server; DB share: SQL ms / app ms "
        "(median over requests). Latencies are the load generator's (client side, over HTTP).",
        "",
        "## Data",
        "",
        f"- {ds['clients']:,} client systems, {_fmt(ds.get('people'))} people, {_fmt(ds.get('cases'))} cases, "
        f"{_fmt(ds.get('timeline'))} timeline events and notes ({_fmt(ds.get('phase_changes'))} phase changes + "
        f"{_fmt(ds.get('notes'))} activity notes), {_fmt(ds.get('audit_events'))} audit events, "
        f"{_fmt(ds.get('rows'))} rows in all",
        f"- built by `bench_build` (seed {ds.get('seed')}) in {_fmt(ds.get('build_s'), 0)} s on {ds.get('built_on')}",
        f"- Sari's open cases: {_fmt(ds.get('worker_open_cases'))}; Ratna's open cases: "
        f"{_fmt(ds.get('supervisor_open_cases'))}; cases in Hendra's region: {_fmt(ds.get('manager_cases'))}",
        "",
        "## Machine",
        "",
        f"- CPU: {machine['cpu']}, {machine['cores']} cores; RAM {machine['ram_gib']} GiB; {machine['os']}",
        f"- {db['version']}; shared_buffers {db.get('shared_buffers')}, work_mem {db.get('work_mem')}",
        f"- Python {machine['python']}, Django {machine['django']}, gunicorn {machine.get('gunicorn')}, "
        f"locust {machine.get('locust')}, psycopg {machine.get('psycopg')}",
        f"- database read into the OS cache before the run (pg_prewarm): {_fmt(run.get('prewarmed_blocks'))} blocks\n"
        + (_arrivals_line(run["arrivals"]) if run.get("arrivals") else "")
        + (
            f"- CPU check (a fixed Python loop, lower is faster): {run['cpu_check_ms_before']} ms before the run, "
            f"{run.get('cpu_check_ms_after')} ms after\n"
            if run.get("cpu_check_ms_before")
            else ""
        )
        + f"- load average before the run {run.get('load_before')}, after {run.get('load_after')}"
        + (f"; {run['note']}" if run.get("note") else ""),
        "",
    ]
    return "\n".join(lines)


def poisson_reference(mean: float) -> tuple[float, float]:
    """For a Poisson stream of `mean` requests per window: the share of empty windows, and the
    share of requests that start in a window of CROWDED or more (P(K >= CROWDED - 1): a request
    sees the others of its window as a Poisson count)."""
    term, below = math.exp(-mean), 0.0
    for k in range(CROWDED - 1):
        below += term
        term *= mean / (k + 1)
    return math.exp(-mean), 1 - below


def _arrivals_line(a: dict) -> str:
    empty, crowded = poisson_reference(a["mean"])
    return (
        f"- requests started per {a['window_ms']} ms: {a['mean']} on average, none in {a['empty_share']:.0%} of "
        f"the windows, {a['crowded_share']:.0%} of the requests in a window of {CROWDED} or more, at most "
        f"{a['max']} (a Poisson stream of the same mean: {empty:.0%} and {crowded:.0%})\n"
    )


def write_summary(out_dir: Path) -> Path | None:
    """bench/results/summary.md: the latest result of each size side by side, with growth against the
    smallest size (the issue's "latency at 1M within 1.5x of 10k")."""
    latest: dict[int, dict] = {}
    for path in sorted(out_dir.glob("*.json")):
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
            clients = result["dataset"]["clients"]
        except (ValueError, KeyError):
            continue
        if result["run"].get("tag"):  # partial runs (some pages only) are not compared
            continue
        if clients not in latest or result["measured_at"] >= latest[clients]["measured_at"]:
            latest[clients] = result
    if not latest:
        return None
    sizes = sorted(latest)
    base = latest[sizes[0]]
    lines = [
        "# Benchmark summary: p95 latency (ms) by data size",
        "",
        f"Latest run of each size in this folder; {base['run']['rate_rps']} requests per second. Growth is p95 "
        f"against {sizes[0]:,} client systems (limit {GROWTH_LIMIT}x); budget is the issue's p95 at 1,000,000.",
        "",
        "| page | " + " | ".join(f"{s:,}" for s in sizes) + " | growth | budget | SQL queries | SQL ms p50 (largest) |",
        "|---|" + "---:|" * len(sizes) + "---:|---:|---:|---:|",
    ]
    largest = latest[sizes[-1]]
    for page, budget in PAGES + EXTRA_PAGES:
        cells = [latest[s]["pages"].get(page, {}).get("p95_ms") for s in sizes]
        if not any(cells):
            continue
        first, last = cells[0], cells[-1]
        growth = f"{last / first:.1f}x" if first and last else "—"
        if first and last and last / first > GROWTH_LIMIT:
            growth = f"**{growth}**"
        big = largest["pages"].get(page, {})
        if budget is None:
            shown_budget = "—"
        else:
            shown_budget = f"**{budget}**" if last is not None and last > budget else str(budget)
        lines.append(
            f"| {page} | "
            + " | ".join(_fmt(c) for c in cells)
            + f" | {growth} | {shown_budget} | {_fmt(big.get('sql_queries_max'))} | {_fmt(big.get('sql_ms_p50'))} |"
        )
    lines += ["", "Runs:", ""]
    for s in sizes:
        r = latest[s]
        lines.append(
            f"- {s:,}: {r['measured_at'][:16].replace('T', ' ')} UTC, load average before {r['run'].get('load_before')}"
            f" (`{result_stem(r)}.md`)"
        )
    path = out_dir / "summary.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def now_iso() -> str:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
