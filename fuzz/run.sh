#!/usr/bin/env bash
# Bounded fuzzing of every target, for CI: `fuzz/run.sh [SECONDS_PER_TARGET]` (default 60).
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`); skips with a message otherwise.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz: SKIPPED, no nightly toolchain" >&2
  exit 0
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: SKIPPED, cargo-fuzz is not installed (cargo install cargo-fuzz)" >&2
  exit 0
fi
for target in decode_tokens parse_config; do
  mkdir -p "corpus/$target"
  echo "fuzz: $target for ${seconds}s"
  cargo +nightly fuzz run "$target" "corpus/$target" seeds/"$target" -- \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1
done
