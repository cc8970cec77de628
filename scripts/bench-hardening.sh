#!/usr/bin/env bash
# Hostile-input benchmark of upgrade-recon (issue 14): time and peak memory for one
# customer whose work grows, to show that both grow linearly with its input.
#
# usage: scripts/bench-hardening.sh [conflicts|subscriptions|users|all]
#
#   conflicts      one customer, N of our Business Essentials subscriptions and N
#                  other-partner E3 subscriptions that conflict with every upgrade
#                  (N = 1,000 2,000 4,000 8,000): 4N blocked pairs each naming N
#                  subscriptions as evidence.
#   subscriptions  the same shape for N = 12,500 25,000 50,000 (time per customer).
#   users          one customer, 40 Business Essentials subscriptions and U users
#                  holding it with Yammer disabled (U = 12,500 25,000 50,000): 160
#                  eligible pairs each naming U users — the output is 160 U rows,
#                  quadratic by nature; memory must not follow it.
#
# Prints one line per size: input bytes, wall seconds, peak RSS, report bytes.
# Builds the release binary first; inputs go to a temporary folder, removed at exit.

set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --release --locked --quiet
BIN=${CARGO_TARGET_DIR:-target}/release/upgrade-recon
WORK=$(mktemp -d "${TMPDIR:-/tmp}/upgrade-recon-hostile.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# generate SHAPE N DIR: writes the four input files of one hostile customer.
generate() {
    python3 - "$@" <<'PY'
import os, sys
shape, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(out, exist_ok=True)
def write(name, header, rows):
    with open(os.path.join(out, name), "w", newline="") as f:
        f.write(header + "\n")
        for row in rows:
            f.write(row + "\n")
write("customers.csv", "customer_id,company_name", ["c1,Hostile GmbH"])
write("admin_relationships.csv", "customer_id,status,services", ["c1,active,*"])
if shape == "users":
    subs = (f"s{i},c1,Office 365 Business Essentials,active,10,this_partner" for i in range(40))
    users = (f"c1,user{i}@hostile.example,Office 365 Business Essentials,Yammer" for i in range(n))
else:
    subs = [f"s{i},c1,Office 365 Business Essentials,active,10,this_partner" for i in range(n)]
    subs += [f"x{i},c1,ENTERPRISEPACK,active,10,other_partner" for i in range(n)]
    users = []
write("subscriptions.csv", "subscription_id,customer_id,offer,status,quantity,channel", subs)
write("license_assignments.csv", "customer_id,user_principal_name,offer,disabled_services", users)
PY
}

measure() {
    local shape=$1 n=$2 dir=$WORK/$1-$2
    generate "$shape" "$n" "$dir"
    local input_bytes
    input_bytes=$(cat "$dir"/*.csv | wc -c)
    /usr/bin/time -f '%e %M' -o "$WORK/time" "$BIN" run --input "$dir" --out "$dir/out" \
        --as-of 2026-11-24 --quiet
    read -r seconds kib <"$WORK/time"
    local report_bytes
    report_bytes=$(cat "$dir"/out/*.csv | wc -c)
    printf '%-13s N=%-6s input %10s B   %6.2f s   peak RSS %5d MiB   reports %12s B\n' \
        "$shape" "$n" "$input_bytes" "$seconds" $((kib / 1024)) "$report_bytes"
    rm -rf "$dir"
}

case "${1:-all}" in
    conflicts) sizes=(conflicts:1000 conflicts:2000 conflicts:4000 conflicts:8000) ;;
    subscriptions) sizes=(conflicts:12500 conflicts:25000 conflicts:50000) ;;
    users) sizes=(users:12500 users:25000 users:50000) ;;
    all) sizes=(conflicts:1000 conflicts:2000 conflicts:4000 conflicts:8000
                conflicts:12500 conflicts:25000 conflicts:50000
                users:12500 users:25000 users:50000) ;;
    *) sed -n '4p' "$0" | sed 's/^# //' >&2; exit 1 ;;
esac
for size in "${sizes[@]}"; do
    measure "${size%%:*}" "${size##*:}"
done
