"""The results writer: statistics from samples, JSON and markdown files, the summary across sizes."""

import json

from dampingi.bench.results import (
    arrival_pattern,
    cpu_check_ms,
    markdown,
    measuring_window,
    percentile,
    poisson_reference,
    summarise,
    write_results,
    write_summary,
)


def sample(t, page, ms, ok=True, status=200, sql=5, sql_ms=2.0, app_ms=10.0, found=None, variant=None):
    return [t, page, ms, ok, status, sql, sql_ms, app_ms, found, variant]


def fake_samples(scale=1.0):
    rows = [sample(0.5, "sign in", 300.0)]
    for i in range(100):
        t = 10.0 + i * 0.1
        rows.append(sample(t, "worker caseload", scale * (20 + i), sql=12, sql_ms=4.0, app_ms=16.0))
        rows.append(
            sample(t, "client search by name", scale * 50, found=i % 4 != 0, variant="typo" if i % 4 == 0 else "exact")
        )
    rows.append(sample(15.0, "manager dashboard", 900.0, ok=False, status=500))
    return rows


def fake_result(clients, scale=1.0):
    pages = summarise(fake_samples(scale), duration_s=10.0, since=10.0)
    return {
        "measured_at": "2026-11-29T19:00:00Z",
        "dataset": {"clients": clients, "seed": 1, "people": 2 * clients, "cases": clients, "timeline": 9 * clients},
        "run": {
            "server": "gunicorn 4 sync workers",
            "load_generator": "locust",
            "rate_rps": 20,
            "duration_s": 10.0,
            "warmup_s": 10,
            "load_before": [0.1, 0.2, 0.3],
            "load_after": [0.4, 0.5, 0.6],
        },
        "machine": {"cpu": "Test CPU", "cores": 2, "ram_gib": 4.0, "os": "Linux", "python": "3.11", "django": "5.2"},
        "database": {"version": "PostgreSQL 15", "shared_buffers": "128MB", "work_mem": "4MB"},
        "pages": pages,
    }


def test_percentiles_interpolate_between_ranks():
    assert percentile([1, 2, 3, 4, 5], 50) == 3
    assert percentile(list(range(1, 101)), 95) == 95.05
    assert percentile([], 95) is None


def test_summary_counts_requests_errors_and_budgets_and_skips_sign_ins():
    pages = summarise(fake_samples(), duration_s=10.0, since=10.0)
    caseload = pages["worker caseload"]
    assert caseload["requests"] == 100 and caseload["errors"] == 0
    assert caseload["throughput_rps"] == 10.0
    assert caseload["p50_ms"] == 69.5 and caseload["p99_ms"] == 118.0
    assert caseload["sql_queries_max"] == 12 and caseload["db_share_p50"] == 0.25
    assert caseload["within_budget"] is True  # p95 114 ms <= 150
    search = pages["client search by name"]
    assert search["found_rate"] == 0.75 and search["found_by_variant"] == {"exact": 1.0, "typo": 0.0}
    assert pages["manager dashboard"]["errors"] == 1 and pages["manager dashboard"]["within_budget"] is False
    assert "sign in" not in pages
    assert list(pages)[0] == "worker caseload"


def test_arrival_pattern_tells_a_steady_stream_from_requests_sent_in_step():
    steady = [sample(10.01 + i * 0.05, "case page", 10.0) for i in range(200)]  # one every 50 ms
    in_step = [sample(10.0 + (i // 20) + 0.001 * (i % 20), "case page", 10.0) for i in range(200)]  # 20 at once
    calm = arrival_pattern([sample(9.0, "sign in", 1.0), *steady], since=10.0, until=20.0)
    assert calm == {"window_ms": 100, "mean": 2.0, "empty_share": 0.0, "crowded_share": 0.0, "max": 2}
    bursts = arrival_pattern(in_step, since=10.0, until=20.0)
    assert bursts["empty_share"] == 0.9 and bursts["crowded_share"] == 1.0 and bursts["max"] == 20


def test_the_markdown_reports_the_arrival_pattern():
    result = fake_result(10_000)
    result["run"]["arrivals"] = {"window_ms": 100, "mean": 2.0, "empty_share": 0.39, "crowded_share": 0.44, "max": 7}
    text = markdown(result)
    assert "none in 39% of the windows, 44% of the requests in a window of 5 or more, at most 7" in text
    assert "(a Poisson stream of the same mean: 14% and 14%)" in text


def test_the_poisson_reference_of_two_requests_per_window():
    empty, crowded = poisson_reference(2.0)
    assert round(empty, 3) == 0.135  # e**-2
    assert round(crowded, 3) == 0.143  # P(K >= 4) for K ~ Poisson(2)


def test_measuring_window_starts_after_the_last_sign_in_and_the_warmup():
    start, end = measuring_window(fake_samples(), warmup_s=5, duration_s=3)
    assert (start, end) == (5.8, 8.8)


def test_results_are_written_as_valid_json_and_a_markdown_table(tmp_path):
    json_path, md_path = write_results(fake_result(10_000), tmp_path)
    assert json_path.name == "2026-11-29-10000.json"
    data = json.loads(json_path.read_text())
    assert data["pages"]["worker caseload"]["p95_ms"] == 114.0
    text = md_path.read_text()
    assert "| page | requests | req/s | errors | p50 ms | p95 ms | p99 ms |" in text
    assert "| worker caseload | 100 | 10.00 | 0 | 69.5 | 114.0 | 118.0 | 150 | yes |" in text
    assert "| manager dashboard | 1 | 0.10 | 1 |" in text and "**no**" in text
    assert "Test CPU, 2 cores" in text and "PostgreSQL 15" in text
    assert "client search by name: 75% (exact 100%, typo 0%)" in text


def test_summary_compares_each_size_with_the_smallest(tmp_path):
    write_results(fake_result(10_000), tmp_path)
    write_results(fake_result(1_000_000, scale=2.0), tmp_path)
    text = write_summary(tmp_path).read_text()
    assert "| page | 10,000 | 1,000,000 | growth | budget |" in text
    assert "| worker caseload | 114.0 | 228.1 | **2.0x** | **150** |" in text


def test_no_summary_without_results(tmp_path):
    assert write_summary(tmp_path) is None


def test_the_cpu_check_times_the_same_work_and_the_markdown_shows_it():
    assert 0 < cpu_check_ms(repeat=1) < 10_000
    result = fake_result(10_000)
    result["run"].update(cpu_check_ms_before=61.5, cpu_check_ms_after=88.0)
    assert "CPU check (a fixed Python loop, lower is faster): 61.5 ms before the run, 88.0 ms after" in markdown(result)
