#!/usr/bin/env bash
# benches/batch_scale.sh: does `mimeo batch` grow linearly with editions
# and sources? N tiny sources, one text edition each, for N = 10,000 and
# N = 100,000 (BIG=...), in the same run: the full build (parse, hash,
# check outputs against inputs, render, write) and the no-op re-run (every
# edition skipped). Linear work gives ratios near 10; the quadratic lookups
# issue #29 found (an edition's index, a source's, an output's clash)
# gave ~100.
#
#   benches/batch_scale.sh                 # the release build
#   MIMEO=target/debug/mimeo SMALL=2000 BIG=20000 benches/batch_scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SMALL=${SMALL:-10000}
BIG=${BIG:-100000}
if [ -z "${MIMEO:-}" ]; then cargo build --release --quiet; MIMEO=target/release/mimeo; fi
MIMEO=$(realpath "$MIMEO")
W=${OUT:-$(mktemp -d /tmp/mimeo-batch-scale.XXXXXX)}
export SOURCE_DATE_EPOCH=1600000000

# wall seconds of one run
seconds() { python3 -c 'import subprocess,sys,time; t=time.monotonic(); r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL); print(time.monotonic()-t); sys.exit(r.returncode)' "$@"; }

run() {
  local n=$1 dir="$W/$1"
  rm -rf "$dir"; mkdir -p "$dir/s"
  python3 - "$dir/s" "$n" <<'PY'
import sys, os
folder, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    with open(os.path.join(folder, f"t{i:06}.md"), "w") as f:
        f.write(f"---\ntitle: Talk {i}\nparticipants:\n  - name: Ann\n    bio: Ann.\n---\nAnn: Talk number {i}.\n")
PY
  printf 'defaults:\n  editions: [screen-80]\n  name: "{source}.{ext}"\nsources:\n  - "s/*.md"\n' > "$dir/m.yaml"
  local full noop
  full=$(cd "$dir" && seconds "$MIMEO" batch m.yaml --out out -q)
  noop=$(cd "$dir" && seconds "$MIMEO" batch m.yaml --out out -q)
  echo "$n $full $noop"
}
small=$(run "$SMALL")
big=$(run "$BIG")
rm -rf "$W"
python3 - "$small" "$big" <<'PY'
import sys
(n1, f1, z1), (n2, f2, z2) = (list(map(float, a.split())) for a in sys.argv[1:])
print(f"{int(n1)} editions: full {f1:.2f} s, no-op {z1:.2f} s")
print(f"{int(n2)} editions: full {f2:.2f} s, no-op {z2:.2f} s")
print(f"{n2/n1:.0f}x the editions: full {f2/f1:.1f}x the time, no-op {z2/z1:.1f}x")
PY
