#!/usr/bin/env bash
# `make bench`: build (or reuse) one PostgreSQL database per size, then measure every size over HTTP.
#
#   BENCH_PG        server URL without the database name (default postgres://postgres@127.0.0.1:5432)
#   BENCH_SIZES     client systems per database (default "10000 100000 1000000")
#   BENCH_RATE      requests per second (default 20); BENCH_DURATION measured seconds (default 60)
#   BENCH_ARRIVALS  poisson (default: random gaps) or fixed (locust's constant_throughput, bursts)
#   BENCH_NOTE      a remark stored with the results (e.g. what else ran on the machine)
#
# All builds come first, so that the measurements run back to back under the same conditions.
# Databases are named dampingi_bench_<size>; results go to bench/results/ (see docs/performance.md).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
BENCH_PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
SIZES=${BENCH_SIZES:-"10000 100000 1000000"}
export DAMPINGI_LOCAL_TRIAL=1 DJANGO_SECURE_COOKIES=0

for n in $SIZES; do
    "$PY" manage.py bench_build --clients "$n" --database-url "$BENCH_PG/dampingi_bench_$n" --reuse
done
for n in $SIZES; do
    "$PY" manage.py bench_http --database-url "$BENCH_PG/dampingi_bench_$n" \
        --rate "${BENCH_RATE:-20}" --duration "${BENCH_DURATION:-60}" --note "${BENCH_NOTE:-}" \
        --arrivals "${BENCH_ARRIVALS:-poisson}"
done
largest=$(printf '%s\n' $SIZES | sort -n | tail -1)
"$PY" manage.py bench_explain --database-url "$BENCH_PG/dampingi_bench_$largest"
