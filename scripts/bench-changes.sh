#!/usr/bin/env bash
# Cost of changes.csv at scale; anyone can rerun it.
#
# usage: scripts/bench-changes.sh [CUSTOMERS=100000] [RUNS=5]
#
#   1. builds the release binary (--locked) and generates bench-data/<CUSTOMERS>/
#      (seed 42) unless it exists;
#   2. a first run into a scratch set; a copy of it without decisions.bin (as a set of
#      the version before the record, read back from its CSVs);
#   3. RUNS times, one after the other so that all see the same machine: a run into a
#      fresh folder (no previous set), a second run over the first's output (the
#      previous set is the record in --out), and a run with --previous the copy
#      without record (the CSV fallback);
#   4. `diff` of two sets with records and of two without, once each;
#   5. prints the median wall time, the median CPU time (user + system: what the
#      comparison adds, less sensitive than wall time to other load on the machine)
#      and the highest peak RSS of each kind of run.

set -euo pipefail
export LC_ALL=C

CUSTOMERS=${1:-100000}
RUNS=${2:-5}
AS_OF=2026-11-24

cd "$(dirname "${BASH_SOURCE[0]}")/.."
TARGET_DIR=${CARGO_TARGET_DIR:-target}
BIN=$TARGET_DIR/release/upgrade-recon
DATA=${DATA:-bench-data/$CUSTOMERS}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/upgrade-recon-changes.XXXXXX")
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

cargo build --release --locked --quiet
if [[ ! -f $DATA/customers.csv ]]; then
    "$BIN" generate --customers "$CUSTOMERS" --seed 42 --out "$DATA"
fi
cat "$DATA"/*.csv >/dev/null

# Runs "$@" and appends "<wall s> <peak RSS KiB> <user + system s>" to the file named by $1.
measure() {
    local log=$1
    shift
    /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" "$@"
    awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$WORK/time" >>"$log"
}

median() {
    sort -n | awk '{ v[NR] = $1 } END {
        if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.3f", m }'
}

RUN=("$BIN" run --input "$DATA" --as-of "$AS_OF" --quiet)

"${RUN[@]}" --out "$WORK/set"
cp -r "$WORK/set" "$WORK/older"
rm "$WORK/older/decisions.bin"
python3 - "$WORK/older/summary.json" <<'PY'
import json, sys
path = sys.argv[1]
summary = json.load(open(path))
summary["reports"] = [r for r in summary["reports"] if r["file"] != "decisions.bin"]
json.dump(summary, open(path, "w"), indent=2)
PY

for _ in $(seq "$RUNS"); do
    rm -rf "$WORK/fresh"
    measure "$WORK/none" "${RUN[@]}" --out "$WORK/fresh"
    measure "$WORK/record" "${RUN[@]}" --out "$WORK/set"
    rm -rf "$WORK/fallback"
    measure "$WORK/csv" "${RUN[@]}" --out "$WORK/fallback" --previous "$WORK/older"
done
grep -q '"source": "out"' "$WORK/set/summary.json"
grep -q '"source": "previous"' "$WORK/fallback/summary.json"

measure "$WORK/diff-record" "$BIN" diff "$WORK/set" "$WORK/fresh" --out "$WORK/d1"
measure "$WORK/diff-csv" "$BIN" diff "$WORK/older" "$WORK/older" --out "$WORK/d2"

printf '%-44s %8s %9s %10s\n' "$CUSTOMERS customers, $RUNS runs each" "wall" "CPU" "peak RSS"
for kind in none record csv diff-record diff-csv; do
    case $kind in
        none) label="run, no previous set" ;;
        record) label="run over the previous set (decisions.bin)" ;;
        csv) label="run, --previous set without record (CSVs)" ;;
        diff-record) label="diff, two sets with records" ;;
        diff-csv) label="diff, two sets without records" ;;
    esac
    time=$(cut -d' ' -f1 "$WORK/$kind" | median)
    cpu=$(cut -d' ' -f3 "$WORK/$kind" | median)
    rss=$(cut -d' ' -f2 "$WORK/$kind" | sort -n | tail -n 1)
    printf '%-44s %7ss %8ss %6s MiB\n' "$label" "$time" "$cpu" "$((rss / 1024))"
done
ls -l "$WORK/set/decisions.bin" "$WORK/set/blocked_upgrades.csv" "$WORK/set/eligible_upgrades.csv" |
    awk '{ printf "%12d bytes  %s\n", $5, $NF }' | sed "s|$WORK/set/||"
