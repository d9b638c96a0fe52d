#!/usr/bin/env bash
# benches/serve.sh: how long a saved edit takes to reach the browser with
# `mimeo serve` on the sample: from the write of a one-word change to the
# moment headless Chromium shows it (the zine view; then all three views).
# Release build; needs chromium (apt-get install chromium).
#
#   RUNS=20 benches/serve.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MIMEO_LATENCY_RUNS=${RUNS:-20} cargo test --release --locked --quiet --test serve -- \
  --ignored --exact save_to_browser_latency --nocapture 2>&1 | grep -E "save →|last rebuild|panicked|error"
