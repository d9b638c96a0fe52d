#!/usr/bin/env bash
# benches/catalog.sh: what the distributor's kit (issue 32) costs, and
# whether it grows linearly. N synthetic titles (tiny sources, one
# plain-text edition each) are batched with and without a `catalog:`
# section, for N = 1,000 and N = 10,000 (BIG=...), in the same run:
#   batch      the batch alone (parse, render, write the editions)
#   +kit       the same batch writing the kit too (site, feeds, ONIX, Atom,
#              the printed catalogue of N titles set by the PDF backend)
#   re-run     the batch again with nothing changed (every edition skipped,
#              every kit file compared and left as it is)
# Linear work gives a BIG/SMALL ratio near 10.
#
#   benches/catalog.sh                         # the release build
#   MIMEO=target/debug/mimeo SMALL=200 BIG=2000 benches/catalog.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SMALL=${SMALL:-1000}
BIG=${BIG:-10000}
if [ -z "${MIMEO:-}" ]; then cargo build --release --quiet; MIMEO=target/release/mimeo; fi
MIMEO=$(realpath "$MIMEO")
W=${OUT:-$(mktemp -d /tmp/mimeo-catalog-bench.XXXXXX)}
export SOURCE_DATE_EPOCH=1600000000

# wall seconds of one run
seconds() { python3 -c 'import subprocess,sys,time; t=time.monotonic(); r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL); print(f"{time.monotonic()-t:.2f}"); sys.exit(r.returncode)' "$@"; }

run() {
  local n=$1 dir="$W/$1"
  rm -rf "$dir"; mkdir -p "$dir/s"
  python3 - "$dir/s" "$n" <<'PY'
import sys, os
folder, n = sys.argv[1], int(sys.argv[2])
languages = ["en", "fa", "de", "es"]
kinds = ["interview", "roundtable", "talk", "hearing"]
for i in range(n):
    with open(os.path.join(folder, f"t{i:06}.md"), "w") as f:
        f.write(f"---\ntitle: Talk {i}\nkind: {kinds[i % 4]}\nlanguage: {languages[i % 4]}\n"
                f"description: The {i}th talk of the distro.\nparticipants:\n  - name: Ann {i}\n---\nAnn: Talk number {i}.\n")
PY
  printf 'defaults:\n  editions: [screen-80]\n  name: "{source}.{ext}"\nsources:\n  - "s/*.md"\n' > "$dir/plain.yaml"
  cp "$dir/plain.yaml" "$dir/kit.yaml"
  printf 'catalog:\n  title: Bench distro\n  base-url: https://bench.example/\n' >> "$dir/kit.yaml"
  local plain kit again
  plain=$(cd "$dir" && seconds "$MIMEO" batch plain.yaml --out plain -q)
  kit=$(cd "$dir" && seconds "$MIMEO" batch kit.yaml --out kit -q)
  again=$(cd "$dir" && seconds "$MIMEO" batch kit.yaml --out kit -q)
  echo "$n $plain $kit $again"
}
small=$(run "$SMALL")
big=$(run "$BIG")
printf '%-8s %8s %8s %8s\n' titles batch +kit re-run
printf '%-8s %8s %8s %8s\n' $small
printf '%-8s %8s %8s %8s\n' $big
python3 - "$small" "$big" <<'PY'
import sys
s = [float(x) for x in sys.argv[1].split()]
b = [float(x) for x in sys.argv[2].split()]
print(f"the kit adds {b[2] / b[1]:.2f}x to the batch of {int(b[0])} titles ({b[2] - b[1]:.2f} s)")
print(f"{int(b[0])}/{int(s[0])} titles: batch {b[1] / s[1]:.1f}x, +kit {b[2] / s[2]:.1f}x, re-run {b[3] / s[3]:.1f}x (linear: {b[0] / s[0]:.0f}x)")
PY
