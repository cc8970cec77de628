#!/usr/bin/env bash
# Builds the production binary with profile-guided optimisation (PGO).
#
# usage: scripts/build-release.sh
#
#   1. builds an instrumented release binary (target/pgo-train/);
#   2. runs it on a training workload in a temporary directory: a generated export of
#      20,000 customers (seed 7; the benchmark uses seed 42 and other sizes) run twice,
#      the second time against the first set (changes.csv), a small export with
#      --xlsx, the bundled sample, explain and catalog lookup;
#   3. merges the profile with llvm-profdata (LLVM_PROFDATA, else the toolchain's
#      llvm-tools component, else llvm-profdata-NN on PATH, newest first; the first one
#      that reads the profile is used);
#   4. builds the release binary with the profile into target/pgo/ and prints its path:
#      target/pgo/release/upgrade-recon. The reports are the same as a plain
#      `cargo build --release` binary's, byte for byte; it is faster (docs/performance.md).
#
# Exit status: 0 when the PGO binary was built, 1 on any error, 2 when no
# llvm-profdata can read the profile (install one: `rustup component add llvm-tools`,
# or Debian's llvm-19); `cargo build --release --locked` still builds a plain binary.

set -euo pipefail
export LC_ALL=C

case "${1:-}" in
    -h | --help)
        sed -n '4p' "$0" | sed 's/^# //'
        exit 0
        ;;
    "") ;;
    *)
        sed -n '4p' "$0" | sed 's/^# //' >&2
        exit 1
        ;;
esac

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
TRAIN_TARGET=$ROOT/target/pgo-train
FINAL_TARGET=$ROOT/target/pgo
WORK=$(mktemp -d "${TMPDIR:-/tmp}/upgrade-recon-pgo.XXXXXX")
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

# Candidates for llvm-profdata, best first.
profdata_candidates() {
    if [[ -n ${LLVM_PROFDATA:-} ]]; then
        echo "$LLVM_PROFDATA"
    fi
    local sysroot host
    sysroot=$(rustc --print sysroot)
    host=$(rustc -vV | sed -n 's/^host: //p')
    echo "$sysroot/lib/rustlib/$host/bin/llvm-profdata"
    compgen -c llvm-profdata- | sort -t- -k3 -n -r | uniq
    echo llvm-profdata
}

echo "==> instrumented build (target/pgo-train)"
rm -rf "$WORK/profiles"
CARGO_TARGET_DIR=$TRAIN_TARGET RUSTFLAGS="-Cprofile-generate=$WORK/profiles" \
    cargo build --release --locked --bin upgrade-recon
TRAIN_BIN=$TRAIN_TARGET/release/upgrade-recon

# A run exits 3 when it has rejected rows or unknown values to report; that is a
# finished run here.
run_ok() {
    local rc=0
    "$@" >/dev/null 2>"$WORK/train.err" || rc=$?
    if [[ $rc != 0 && $rc != 3 ]]; then
        echo "build-release: training step failed (exit $rc): $*" >&2
        head -n 20 "$WORK/train.err" >&2
        exit 1
    fi
}

echo "==> training run"
# Only the training runs' profiles count, not the build scripts' of the build above.
rm -rf "$WORK/profiles"
run_ok "$TRAIN_BIN" generate --customers 20000 --seed 7 --out "$WORK/large"
run_ok "$TRAIN_BIN" run --input "$WORK/large" --out "$WORK/night1" --as-of 2026-11-24 --quiet
run_ok "$TRAIN_BIN" run --input "$WORK/large" --out "$WORK/night2" --as-of 2026-11-25 --quiet \
    --previous "$WORK/night1"
run_ok "$TRAIN_BIN" generate --customers 500 --seed 11 --out "$WORK/small"
run_ok "$TRAIN_BIN" run --input "$WORK/small" --out "$WORK/workbook" --as-of 2026-11-24 --quiet --xlsx
run_ok "$TRAIN_BIN" run --input fixtures/sample --out "$WORK/sample" --as-of 2026-11-24 --quiet
run_ok "$TRAIN_BIN" explain --input fixtures/sample --customer fc4a23df-c32a-413c-8fb7-f8e51b624f4f --as-of 2026-11-24
run_ok "$TRAIN_BIN" catalog lookup "Microsoft 365 E3"

MERGED=$WORK/merged.profdata
PROFDATA=
while read -r candidate; do
    if command -v "$candidate" >/dev/null 2>&1 &&
        "$candidate" merge -o "$MERGED" "$WORK/profiles" 2>"$WORK/merge.err"; then
        PROFDATA=$candidate
        break
    fi
done < <(profdata_candidates)
if [[ -z $PROFDATA ]]; then
    echo "build-release: no llvm-profdata could read the profile; install one" \
        "(rustup component add llvm-tools, or apt-get install llvm-19) or set LLVM_PROFDATA" >&2
    exit 2
fi
echo "==> profile merged with $PROFDATA"

echo "==> optimised build (target/pgo)"
CARGO_TARGET_DIR=$FINAL_TARGET RUSTFLAGS="-Cprofile-use=$MERGED" \
    cargo build --release --locked --bin upgrade-recon
echo "$FINAL_TARGET/release/upgrade-recon"
