#!/usr/bin/env bash
# benches/import.sh: `mimeo import` at 10k and 100k units (issue 28 and 29
# ask for linear time): SRT cues, distinct speakers in plain text,
# oTranscribe timestamp spans, and the seed roundtable (under 50 ms).
# Prints each time and the 100k/10k ratio (~10 when linear). Not a test.
#
#   benches/import.sh                  # builds and times the release binary
#   MIMEO=target/debug/mimeo benches/import.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${MIMEO:-}" ]; then
  cargo build --release --quiet
  MIMEO=$PWD/target/release/mimeo
fi
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

python3 - "$W" <<'PY'
import json, sys
out = sys.argv[1]
def clock(ms, sep):
    return f"{ms // 3600000:02}:{ms // 60000 % 60:02}:{ms // 1000 % 60:02}{sep}{ms % 1000:03}"
for n in (10_000, 100_000):
    k = n // 1000
    # SRT: n cues, two speakers taking turns every three cues.
    with open(f"{out}/cues-{k}k.srt", "w") as f:
        for i in range(n):
            who = "Ana" if i // 3 % 2 == 0 else "Ben"
            a, b = i * 2000, i * 2000 + 1500
            f.write(f"{i + 1}\n{clock(a, ',')} --> {clock(b, ',')}\n{who}: cue number {i} of the talk.\n\n")
    # Plain text: n turns by n/2 distinct speakers, each speaking twice.
    with open(f"{out}/speakers-{k}k.txt", "w") as f:
        f.write("A Very Long Meeting\n\n")
        for i in range(n):
            f.write(f"Speaker{i % (n // 2)}: turn {i} says a few words here.\n\n")
    # oTranscribe: n timestamp spans in n paragraphs.
    spans = "".join(
        f'<p><span class="timestamp" data-timestamp="{i * 2}.0">{i}</span> Ana: line {i}.</p>'
        for i in range(n)
    )
    with open(f"{out}/spans-{k}k.otr", "w") as f:
        json.dump({"text": spans, "media": "a.mp3", "media-time": "0"}, f)
PY

# Seconds for one import (best of 3 for the big files, of 20 for the seed).
best() {
  local runs=$1; shift
  python3 - "$runs" "$@" <<'PY'
import subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
best = float("inf")
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    best = min(best, time.perf_counter() - t)
print(f"{best:.3f}")
PY
}
printf '%-10s %10s %10s %7s\n' input 10k 100k ratio
for kind in cues:srt speakers:txt spans:otr; do
  name=${kind%%:*} ext=${kind##*:}
  a=$(best 3 "$MIMEO" import "$W/$name-10k.$ext")
  b=$(best 3 "$MIMEO" import "$W/$name-100k.$ext")
  printf '%-10s %9ss %9ss %6.1f×\n' "$name" "$a" "$b" "$(python3 -c "print($b / $a)")"
done
printf 'seed roundtable.txt: %ss\n' "$(best 20 "$MIMEO" import tests/fixtures/import/roundtable.txt)"
