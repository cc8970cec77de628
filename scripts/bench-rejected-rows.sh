#!/usr/bin/env bash
# Peak memory of a run whose subscriptions.csv holds only bad rows (issue 14, item 4).
#
# usage: scripts/bench-rejected-rows.sh [ROWS=10000000]
#
# Builds the release binary (--locked), writes an input folder with one customer and
# ROWS/100, ROWS/10 and ROWS subscription rows that are all rejected (unknown
# customer, unknown status: two problems each), runs `upgrade-recon run --max-errors 0`
# on each under GNU /usr/bin/time and prints rows, input size, exit code, stderr lines,
# wall time and peak RSS. Only the first max(--max-errors, 100) + 1 rejected rows are
# kept, so peak RSS must stay flat as ROWS grows (it grew with ROWS before: 10 million
# bad rows took 4.85 GB).

set -euo pipefail
export LC_ALL=C

case "${1:-}" in
    -h | --help)
        sed -n '4p' "$0" | sed 's/^# //'
        exit 0
        ;;
esac
ROWS=${1:-10000000}
if ! [[ $ROWS =~ ^[0-9]+$ ]] || ((10#$ROWS < 100)); then
    echo "bench-rejected-rows: ROWS must be an integer of at least 100, got '$ROWS'" >&2
    exit 1
fi
ROWS=$((10#$ROWS))
if ! [[ -x /usr/bin/time ]]; then
    echo "bench-rejected-rows: needs GNU /usr/bin/time" >&2
    exit 1
fi

cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --release --locked --quiet
BIN=${CARGO_TARGET_DIR:-target}/release/upgrade-recon
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

printf '%12s %10s %5s %7s %8s %12s\n' rows input_MB exit stderr seconds peak_RSS_MB
for rows in $((ROWS / 100)) $((ROWS / 10)) "$ROWS"; do
    input=$WORK/input-$rows
    mkdir -p "$input"
    printf 'customer_id,company_name\nc1,Alpha\n' >"$input/customers.csv"
    printf 'customer_id,status,services\n' >"$input/admin_relationships.csv"
    printf 'customer_id,user_principal_name,offer\n' >"$input/license_assignments.csv"
    awk -v n="$rows" 'BEGIN {
        print "subscription_id,customer_id,offer,status,quantity"
        for (i = 0; i < n; i++) print "s" i ",c9,x,actve,1"
    }' >"$input/subscriptions.csv"
    size=$(du -cm "$input"/*.csv | tail -1 | cut -f1)
    set +e
    /usr/bin/time -f '%e %M' -o "$WORK/time" "$BIN" run --input "$input" --out "$WORK/out" \
        --as-of 2026-11-24 --max-errors 0 --quiet 2>"$WORK/stderr"
    code=$?
    set -e
    # GNU time puts "Command exited with non-zero status N" first.
    read -r seconds rss_kb < <(tail -1 "$WORK/time")
    printf '%12d %10d %5d %7d %8s %12d\n' "$rows" "$size" "$code" \
        "$(wc -l <"$WORK/stderr")" "$seconds" $((rss_kb / 1024))
    tail -2 "$WORK/stderr" | sed 's/^/             /'
    rm -rf "$input"
done
