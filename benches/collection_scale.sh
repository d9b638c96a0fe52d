#!/usr/bin/env bash
# benches/collection_scale.sh: does a collection grow linearly with its
# pieces (issue 29)? N tiny pieces in one collection, N = 1,000 and
# N = 10,000 (BIG=...), in the same run: `mimeo check` (read every piece,
# resolve, check) and a text edition of the whole book. Linear work gives
# ratios near 10. Not a test.
#
#   benches/collection_scale.sh                 # the release build
#   MIMEO=target/debug/mimeo SMALL=200 BIG=2000 benches/collection_scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SMALL=${SMALL:-1000}
BIG=${BIG:-10000}
if [ -z "${MIMEO:-}" ]; then cargo build --release --quiet; MIMEO=target/release/mimeo; fi
MIMEO=$(realpath "$MIMEO")
W=$(mktemp -d /tmp/mimeo-collection-scale.XXXXXX)
trap 'rm -rf "$W"' EXIT
export SOURCE_DATE_EPOCH=1600000000

# CPU seconds (user + sys) of one run, best of 3.
seconds() {
  python3 - "$@" <<'PY'
import os, subprocess, sys
best = float("inf")
for _ in range(3):
    before = os.times()
    subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    after = os.times()
    best = min(best, after.children_user - before.children_user + after.children_system - before.children_system)
print(f"{best:.3f}")
PY
}

run() {
  local n=$1 dir="$W/$1"
  mkdir -p "$dir/pieces"
  python3 - "$dir" "$n" <<'PY'
import os, sys
folder, n = sys.argv[1], int(sys.argv[2])
with open(os.path.join(folder, "book.yaml"), "w") as book:
    book.write("title: A very long collection\nparts:\n")
    for i in range(n):
        name = f"pieces/p{i:06}.md"
        with open(os.path.join(folder, name), "w") as f:
            f.write(f"---\ntitle: Piece {i}\nparticipants:\n  - name: Ann {i}\n    bio: Ann.\n---\n"
                    f"## Question {i}?\n\nAnn {i}: Answer number {i}, in a few words.\n")
        book.write(f"  - {name}\n")
PY
  local check build
  check=$(cd "$dir" && seconds "$MIMEO" check book.yaml)
  build=$(cd "$dir" && seconds "$MIMEO" build book.yaml --format txt --layout zine-72 --out out -q)
  echo "$n $check $build"
}
small=$(run "$SMALL")
big=$(run "$BIG")
python3 - "$small" "$big" <<'PY'
import sys
(n1, c1, b1), (n2, c2, b2) = (list(map(float, a.split())) for a in sys.argv[1:])
print(f"{int(n1)} pieces: check {c1:.2f} s, zine {b1:.2f} s")
print(f"{int(n2)} pieces: check {c2:.2f} s, zine {b2:.2f} s")
print(f"{n2/n1:.0f}x the pieces: check {c2/c1:.1f}x the time, zine {b2/b1:.1f}x")
PY
