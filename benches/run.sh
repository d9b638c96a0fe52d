#!/usr/bin/env bash
# benches/run.sh: time mimeo against its peers in the same run, and report
# ratios (peer time / mimeo time; higher is better for mimeo).
#
#   SHARED=../shared RUNS=5 benches/run.sh
#
# Needs the peers installed by $SHARED/bench/setup.sh (pandoc, the typst
# Python binding, groff). Inputs: the sample (content/global-uprisings.md)
# and the 8× input ($SHARED/bench/input/roundtable-x8.md). Times are medians
# of RUNS runs after a warm-up (cpu = user+sys, from $SHARED/bench/lib/timeit.py);
# peak RSS from one /usr/bin/time -v run.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
B=$(cd "$SHARED/bench" && pwd)
RUNS=${RUNS:-5}
OUT=${OUT:-/tmp/mimeo-bench}
PY=$(python3 -c 'import sys; print(sys.executable)')
PANDOC=${PANDOC:-$($PY -c 'import pypandoc; print(pypandoc.get_pandoc_path())' 2>/dev/null || command -v pandoc)}
FILTER=$B/filters/participants.lua
cargo build --release --quiet
MIMEO=$PWD/target/release/mimeo
export SOURCE_DATE_EPOCH=1600000000
rm -rf "$OUT"; mkdir -p "$OUT"

# cpu seconds (median) of a command, from timeit.py's key=value output
cpu() { $PY "$B/lib/timeit.py" -n "$RUNS" --label x -- "$@" | sed -E 's/.*cpu_s ([0-9.]+).*/\1/'; }
peak() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/{printf "%.1f", $2/1024}'; }
ratio() { $PY -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{a/b:.1f}x' if b>0 else 'inf')" "$1" "$2"; }

printf '%-10s %-8s %10s %10s %10s %8s %10s\n' input format mimeo_cpu peer peer_cpu ratio peak_MiB
for IN in content/global-uprisings.md "$B/input/roundtable-x8.md"; do
  name=$(basename "$IN" .md); D=$OUT/$name; mkdir -p "$D/typst"
  cp "$B/roundtable.typ" "$D/typst/"
  "$PANDOC" -s --lua-filter "$FILTER" --template "$B/typst-main.pandoc" "$IN" -t typst -o "$D/typst/main.typ"
  "$PANDOC" -s --lua-filter "$FILTER" "$IN" -t ms --include-in-header="$B/ms-tty.roff" --include-after-body="$B/ms-tty-end.roff" -o "$D/groff.ms"

  m=$(cpu "$MIMEO" build "$IN" --format pdf --layout a5 --out "$D/m" -q)
  p=$(cpu "$PY" "$B/lib/typst_compile.py" "$D/typst/main.typ" "$D/typst.pdf")
  typst=$p
  printf '%-10s %-8s %10s %10s %10s %8s %10s\n' "$name" pdf "$m" typst "$p" "$(ratio "$p" "$m")" "$(peak "$MIMEO" build "$IN" --format pdf --layout a5 --out "$D/m" -q)"

  m=$(cpu "$MIMEO" build "$IN" --format epub --out "$D/m" -q)
  p=$(cpu "$PANDOC" -s --lua-filter "$FILTER" "$IN" -t epub3 -o "$D/pandoc.epub")
  epub=$p
  printf '%-10s %-8s %10s %10s %10s %8s %10s\n' "$name" epub "$m" pandoc "$p" "$(ratio "$p" "$m")" "$(peak "$MIMEO" build "$IN" --format epub --out "$D/m" -q)"

  m=$(cpu "$MIMEO" build "$IN" --format txt --layout zine-72 --out "$D/m" -q)
  p=$(cpu "$PANDOC" -s --lua-filter "$FILTER" "$IN" -t plain --columns=72 -o "$D/pandoc.txt")
  g=$(cpu sh -c 'exec groff -ms -k -Tutf8 -P-cbou "$1" >"$2"' groff "$D/groff.ms" "$D/groff.txt")
  pk=$(peak "$MIMEO" build "$IN" --format txt --layout zine-72 --out "$D/m" -q)
  printf '%-10s %-8s %10s %10s %10s %8s %10s\n' "$name" txt "$m" pandoc "$p" "$(ratio "$p" "$m")" "$pk"
  printf '%-10s %-8s %10s %10s %10s %8s %10s\n' "$name" txt "$m" groff "$g" "$(ratio "$g" "$m")" "$pk"

  # All three editions in one build (the EPUB's page list reuses the PDF's
  # pagination) against the three peers' runs added up; the bar is mimeo
  # at 0.05 of the peers (a ratio of 20x).
  m=$(cpu "$MIMEO" build "$IN" --out "$D/m" -q)
  sum=$($PY -c "print(round($typst + $epub + $p, 4))")
  pk=$(peak "$MIMEO" build "$IN" --out "$D/m" -q)
  printf '%-10s %-8s %10s %10s %10s %8s %10s\n' "$name" all3 "$m" sum3 "$sum" "$(ratio "$sum" "$m")" "$pk"
done
