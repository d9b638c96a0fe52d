#!/usr/bin/env bash
# benches/batch.sh: `mimeo batch` over 110 editions (5 sources × every
# built-in layout): editions per second, the speed-up of all cores over one
# (RAYON_NUM_THREADS=1) and the cost of a no-op re-run, measured in one run.
#
#   SHARED=../shared benches/batch.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
X8=$(cd "$SHARED/bench/input" && pwd)/roundtable-x8.md
cargo build --release --quiet
MIMEO=$PWD/target/release/mimeo
W=${OUT:-/tmp/mimeo-batch-bench}
rm -rf "$W"; mkdir -p "$W"
export SOURCE_DATE_EPOCH=1600000000

# Sources: the sample, the 8× input, and the sample's body repeated 2, 3, 4 times.
cp content/global-uprisings.md "$W/sample.md"
cp "$X8" "$W/x8.md"
for k in 2 3 4; do
  python3 - "$W/sample.md" "$W/x$k.md" "$k" <<'PY'
import sys
src, dst, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(src, encoding="utf-8").read()
front, body = text.split("\n---\n", 1)
bodies = [body] + [body.replace("\n## ", f"\n## (part {i}) ") for i in range(2, k + 1)]
open(dst, "w", encoding="utf-8").write(front + "\n---\n" + "\n".join(bodies))
PY
done
# The bilingual layouts are built from a translation only.
layouts=$("$MIMEO" layouts | awk '!/-parallel /{print $1}' | paste -sd, -)
printf 'defaults:\n  editions: [%s]\nsources:\n  - "*.md"\n' "$layouts" > "$W/editions.yaml"
n=$(( $(echo "$layouts" | tr ',' '\n' | wc -l) * 5 ))

# wall seconds of one run
seconds() { python3 -c 'import subprocess,sys,time; t=time.monotonic(); subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL); print(time.monotonic()-t)' "$@"; }
full=$(seconds "$MIMEO" batch "$W/editions.yaml" --out "$W/out" --force -q)
serial=$(RAYON_NUM_THREADS=1 seconds "$MIMEO" batch "$W/editions.yaml" --out "$W/out" --force -q)
full2=$(seconds "$MIMEO" batch "$W/editions.yaml" --out "$W/out" --force -q)
noop=$(seconds "$MIMEO" batch "$W/editions.yaml" --out "$W/out" -q)
python3 - "$n" "$(nproc)" "$full" "$full2" "$serial" "$noop" <<'PY'
import sys
n, cores = int(sys.argv[1]), int(sys.argv[2])
full, full2, serial, noop = map(float, sys.argv[3:])
best = min(full, full2)
print(f"editions: {n} on {cores} cores")
print(f"parallel run: {best:.2f} s ({n / best:.1f} editions/s)")
print(f"serial run:   {serial:.2f} s; speed-up {serial / best:.2f}x")
print(f"no-op re-run: {noop:.3f} s = {100 * noop / best:.1f}% of a full run")
PY
