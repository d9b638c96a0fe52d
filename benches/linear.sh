#!/usr/bin/env bash
# benches/linear.sh: is mimeo linear in book length? Builds the a5 PDF of
# books of about 6,000, 50,000 and 500,000 words (benches/book.py: prose
# from the machine's licence texts and the sample, dealt out in a seeded
# order; generated here, never committed) and prints words per second of
# CPU time (median of RUNS runs, from $SHARED/bench/lib/timeit.py), the
# time per word against the smallest book's, and the peak RSS.
#
#   SHARED=../shared RUNS=3 benches/linear.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
B=$(cd "$SHARED/bench" && pwd)
RUNS=${RUNS:-3}
OUT=${OUT:-/tmp/mimeo-linear}
PY=$(python3 -c 'import sys; print(sys.executable)')
cargo build --release --quiet
MIMEO=$PWD/target/release/mimeo
export SOURCE_DATE_EPOCH=1600000000
rm -rf "$OUT"; mkdir -p "$OUT"

cpu() { $PY "$B/lib/timeit.py" -n "$RUNS" --label x -- "$@" | sed -E 's/.*cpu_s ([0-9.]+).*/\1/'; }
peak() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/{printf "%.1f", $2/1024}'; }

printf '%-8s %9s %9s %10s %12s %9s\n' book words cpu_s words/s per_word_vs peak_MiB
first=""
for size in 6000 50000 500000; do
  book=$OUT/book-$size.md
  words=$($PY benches/book.py "$size" "$book")
  t=$(cpu "$MIMEO" build "$book" --format pdf --layout a5 --out "$OUT/out" -q)
  p=$(peak "$MIMEO" build "$book" --format pdf --layout a5 --out "$OUT/out" -q)
  per=$($PY -c "print($t/$words)")
  first=${first:-$per}
  printf '%-8s %9s %9s %10.0f %12s %9s\n' "$size" "$words" "$t" \
    "$($PY -c "print($words/$t)")" "$($PY -c "print(f'{$per/$first:.2f}x')")" "$p"
done
