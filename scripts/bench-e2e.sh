#!/usr/bin/env bash
# End-to-end benchmark of upgrade-recon; anyone can rerun it.
#
# usage: scripts/bench-e2e.sh [CUSTOMERS=100000] [RUNS=3]
#
#   1. builds the parse-floor example (--locked) and the production binary,
#      scripts/build-release.sh (profile-guided optimisation); where that cannot be
#      built (no llvm-profdata, or PGO=0 in the environment), the plain release
#      binary is measured instead, and the output says which (build=pgo|plain);
#   2. generates bench-data/<CUSTOMERS>/ with `upgrade-recon generate --seed 42`
#      unless that directory already holds the four input files;
#   3. RUNS times, one after the other: the parse floor (examples/parse_floor.rs: the
#      four files read once each with the csv crate, one thread per file), then
#      `upgrade-recon run --as-of 2026-11-24 --quiet --previous SET` (SET: a run of the
#      same input made once before, so that changes.csv is computed as every night
#      after the first), measuring its wall time and peak
#      RSS (GNU /usr/bin/time, else a python3 getrusage wrapper); takes the medians;
#   4. prints a table and whether the targets hold:
#      run median ≤ 3 × floor median, and peak RSS ≤ total input size.
#
# Exit status: 0 when the benchmark ran (targets held or not; set STRICT=1 to exit 1
# when a target is missed), 1 on any error. The page cache is warmed before every
# measurement (floor and run alike), so the numbers are for warm-cache runs.

set -euo pipefail
export LC_ALL=C

usage() {
    sed -n '4p' "$0" | sed 's/^# //'
}

case "${1:-}" in
    -h | --help)
        usage
        exit 0
        ;;
esac
if (($# > 2)); then
    usage >&2
    exit 1
fi

CUSTOMERS=${1:-100000}
RUNS=${2:-3}
for value in "$CUSTOMERS" "$RUNS"; do
    if ! [[ $value =~ ^[0-9]+$ ]] || ((10#$value == 0)); then
        echo "bench-e2e: CUSTOMERS and RUNS must be positive integers, got '$value'" >&2
        usage >&2
        exit 1
    fi
done
CUSTOMERS=$((10#$CUSTOMERS))
RUNS=$((10#$RUNS))

SEED=42
AS_OF=2026-11-24
TARGET_RATIO=3
FILES="customers.csv subscriptions.csv admin_relationships.csv license_assignments.csv"

cd "$(dirname "${BASH_SOURCE[0]}")/.."
TARGET_DIR=${CARGO_TARGET_DIR:-target}
BIN=$TARGET_DIR/release/upgrade-recon
FLOOR=$TARGET_DIR/release/examples/parse_floor
DATA=bench-data/$CUSTOMERS

WORK=$(mktemp -d "${TMPDIR:-/tmp}/upgrade-recon-bench.XXXXXX")
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

# Median of the arguments (numbers), printed with 3 decimals.
median() {
    printf '%s\n' "$@" | sort -n | awk '
        { v[NR] = $1 }
        END {
            if (NR == 0) exit 1
            if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%.3f\n", m
        }'
}

# Largest of the arguments (integers).
maximum() {
    printf '%s\n' "$@" | sort -n | tail -n 1
}

# Floating-point arithmetic: calc 'a / b' prints the result with 3 decimals.
calc() {
    awk "BEGIN { printf \"%.3f\n\", $1 }"
}

# holds 'a <= b' prints PASS or FAIL.
holds() {
    awk "BEGIN { if ($1) print \"PASS\"; else print \"FAIL\" }"
}

# How wall time and peak RSS are measured: GNU time, else python3's getrusage.
if [[ -x /usr/bin/time ]] && /usr/bin/time -f '%e %M' -o /dev/null true 2>/dev/null; then
    MEASURE=gnu-time
elif command -v python3 >/dev/null 2>&1; then
    MEASURE=python3
    cat >"$WORK/measure.py" <<'PY'
# usage: measure.py RESULT_FILE COMMAND... ; writes "<wall seconds> <peak RSS KiB>"
import resource, subprocess, sys, time
start = time.monotonic()
code = subprocess.call(sys.argv[2:])
wall = time.monotonic() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if sys.platform == "darwin":
    rss //= 1024  # bytes there, KiB on Linux
with open(sys.argv[1], "w") as out:
    out.write(f"{wall:.3f} {rss}\n")
sys.exit(code if code >= 0 else 128 - code)
PY
else
    echo "bench-e2e: need GNU time (apt-get install time) or python3 to measure peak RSS" >&2
    exit 1
fi

# measure RESULT_FILE COMMAND... : runs COMMAND, writes "<wall s> <peak RSS KiB>" to
# RESULT_FILE and returns COMMAND's exit status.
measure() {
    local result=$1
    shift
    if [[ $MEASURE == gnu-time ]]; then
        /usr/bin/time -o "$result.raw" -f '%e %M' "$@" || { local rc=$?; tail -n 1 "$result.raw" >"$result"; return "$rc"; }
        # GNU time puts "Command exited with non-zero status N" first when N != 0.
        tail -n 1 "$result.raw" >"$result"
    else
        python3 "$WORK/measure.py" "$result" "$@"
    fi
}

echo "==> building (release, --locked)"
cargo build --release --locked --bin upgrade-recon --example parse_floor
BUILD=plain
if [[ ${PGO:-1} != 0 ]]; then
    echo "==> building the production binary (scripts/build-release.sh)"
    if scripts/build-release.sh >"$WORK/build-release.out"; then
        BIN=$(tail -n 1 "$WORK/build-release.out")
        BUILD=pgo
    else
        echo "    no PGO build (above); measuring the plain release binary"
    fi
fi
echo "    measuring $BIN (build=$BUILD)"

have_data() {
    local f
    for f in $FILES; do
        [[ -f $DATA/$f ]] || return 1
    done
}

if have_data; then
    echo "==> using existing $DATA"
else
    echo "==> generating $DATA ($CUSTOMERS customers, seed $SEED)"
    mkdir -p bench-data
    rm -rf "$DATA.partial"
    start=$(date +%s)
    "$BIN" generate --customers "$CUSTOMERS" --seed "$SEED" --out "$DATA.partial"
    rm -rf "$DATA"
    mv "$DATA.partial" "$DATA"
    echo "    generated in $(($(date +%s) - start)) s"
fi

input_bytes=0
for f in $FILES; do
    size=$(wc -c <"$DATA/$f")
    size=${size//[[:space:]]/}
    printf '    %-26s %12s bytes\n' "$f" "$size"
    input_bytes=$((input_bytes + size))
done
input_mib=$(calc "$input_bytes / 1048576")
echo "    input total: $input_bytes bytes ($input_mib MiB)"

# Reads the input once, so that floor and run alike find it in the page cache. Done
# before every measurement: the machines this was measured on drop clean cache pages
# now and then even with gigabytes free, and a run that reads from disk measures the disk.
warm() {
    local f
    for f in $FILES; do
        cat "$DATA/$f" >/dev/null
    done
}

# Floor and run alternate, so that both see the same machine: on a shared machine the
# speed drifts by several percent from one minute to the next.
# The nightly setting: each measured run compares with the previous night's set
# (changes.csv), written once here and read back by every round.
echo "==> the previous set for changes.csv (not measured)"
"$BIN" run --input "$DATA" --out "$WORK/previous" --as-of "$AS_OF" --quiet 2>"$WORK/run.err" || {
    rc=$?
    if [[ $rc != 3 ]]; then
        echo "bench-e2e: upgrade-recon run exited with $rc" >&2
        head -n 50 "$WORK/run.err" >&2
        exit 1
    fi
}
echo "==> $RUNS round(s) of parse floor then upgrade-recon run (run measured with $MEASURE)"
floor_times=()
run_times=()
run_rss=()
for ((i = 1; i <= RUNS; i++)); do
    warm
    "$FLOOR" "$DATA" >"$WORK/floor.out"
    t=$(sed -n 's/^parse_floor_seconds=//p' "$WORK/floor.out" | tail -n 1)
    if [[ -z $t ]]; then
        echo "bench-e2e: parse_floor printed no parse_floor_seconds line" >&2
        cat "$WORK/floor.out" >&2
        exit 1
    fi
    floor_times+=("$t")

    out="$WORK/reports-$i"
    rc=0
    warm
    measure "$WORK/measure.txt" "$BIN" run --input "$DATA" --out "$out" --as-of "$AS_OF" --quiet \
        --previous "$WORK/previous" 2>"$WORK/run.err" || rc=$?
    if [[ $rc != 0 && $rc != 3 ]]; then
        echo "bench-e2e: upgrade-recon run exited with $rc" >&2
        head -n 50 "$WORK/run.err" >&2
        exit 1
    fi
    read -r wall rss_kib <"$WORK/measure.txt"
    echo "    round $i: floor $t s; run $wall s, peak RSS $(calc "$rss_kib / 1024") MiB, exit $rc"
    run_times+=("$wall")
    run_rss+=("$rss_kib")
    rm -rf "$out"
done
floor_median=$(median "${floor_times[@]}")
run_median=$(median "${run_times[@]}")
peak_rss_kib=$(maximum "${run_rss[@]}")
peak_rss_mib=$(calc "$peak_rss_kib / 1024")

ratio=$(calc "$run_median / ($floor_median > 0 ? $floor_median : 0.001)")
rss_ratio=$(calc "$peak_rss_kib * 1024 / $input_bytes")
speed_ok=$(holds "$ratio <= $TARGET_RATIO")
memory_ok=$(holds "$peak_rss_kib * 1024 <= $input_bytes")

echo
printf '%-10s %10s %10s %10s %10s %10s %10s  %s\n' \
    customers "input MiB" "floor s" "run s" "run/floor" "RSS MiB" "RSS/input" targets
printf '%-10s %10s %10s %10s %10s %10s %10s  %s\n' \
    "$CUSTOMERS" "$input_mib" "$floor_median" "$run_median" "$ratio" "$peak_rss_mib" "$rss_ratio" \
    "run/floor<=$TARGET_RATIO:$speed_ok RSS<=input:$memory_ok"
echo "(medians of $RUNS run(s); RSS is the highest peak over the runs; $(nproc 2>/dev/null || echo '?') cores; build=$BUILD)"
echo "bench_e2e build=$BUILD customers=$CUSTOMERS input_bytes=$input_bytes floor_s=$floor_median run_s=$run_median ratio=$ratio peak_rss_kib=$peak_rss_kib rss_ratio=$rss_ratio speed=$speed_ok memory=$memory_ok"

if [[ ${STRICT:-0} == 1 && ($speed_ok != PASS || $memory_ok != PASS) ]]; then
    exit 1
fi
