#!/usr/bin/env bash
# fuzz/run.sh TARGET [SECONDS]: run one cargo-fuzz target, niced, with its
# seeds (fuzz/seeds/TARGET, small valid inputs) read beside the generated
# corpus (fuzz/corpus/TARGET, not committed). Crashes land in fuzz/artifacts.
# SANITIZER=address for an ASan build; the default, none, builds faster and
# still catches every panic, overflow (debug assertions are on), hang and
# runaway allocation.
set -euo pipefail
cd "$(dirname "$0")"
target=$1 seconds=${2:-270}
mkdir -p "corpus/$target"
seeds=()
[ -d "seeds/$target" ] && seeds=("seeds/$target")
exec nice -n 10 cargo +nightly fuzz run -O -a -s "${SANITIZER:-none}" "$target" "corpus/$target" "${seeds[@]}" -- \
  -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
