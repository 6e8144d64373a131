#!/usr/bin/env bash
# The start-up goal: whole-process start-up against `serve --tokens 10000`.
#
#   benches/startup.sh            # from the repository root; needs hyperfine, curl and python3
#
# 1. `mailtrap-tokens --dump-screen 120x40` (the console's first loaded frame) vs `list --output json`.
# 2. `list --output json` vs the same listing through Mailtrap's official Python SDK
#    (benches/python_sdk_list.py, installed into $SDK_VENV, default /tmp/sdkvenv).
#
# The simulator enforces Mailtrap's 150 requests per 10 s per token on its own clock. So that no timed run
# waits on the rate limit, hyperfine's untimed `--prepare` step moves the simulator's clock 11 s forward
# (POST /__sim/clock) before every run; at the end the script checks the request log for any non-200.
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-20}
TOKENS=${TOKENS:-10000}
SDK_VENV=${SDK_VENV:-/tmp/sdkvenv}
OUT=${OUT:-target/bench-startup}
mkdir -p "$OUT"

if [[ ! -x "$SDK_VENV/bin/python" ]] || ! "$SDK_VENV/bin/python" -c 'import mailtrap' 2>/dev/null; then
    python3 -m venv "$SDK_VENV"
    "$SDK_VENV/bin/pip" install --quiet mailtrap
fi
SDK_VERSION=$("$SDK_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("mailtrap"))')

cargo build --release --quiet --bin mailtrap-tokens
BIN=$PWD/target/release/mailtrap-tokens

# shellcheck source=benches/serve-env.sh
source benches/serve-env.sh
trap stop_serve EXIT
start_serve --tokens "$TOKENS"

FREE_WINDOW="curl -sf -o /dev/null -X POST -H 'content-type: application/json' \
-d '{\"advance_seconds\":11}' $MAILTRAP_API_URL/__sim/clock"
curl -sf -o /dev/null -X DELETE "$MAILTRAP_API_URL/__sim/requests"

# Sanity: all three produce a listing of every token before anything is timed.
LISTED=$("$BIN" list --output json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
SDK_LISTED=$("$SDK_VENV/bin/python" benches/python_sdk_list.py | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
"$BIN" --dump-screen 120x40 >"$OUT/dump.txt"
echo "tokens listed: mailtrap-tokens $LISTED, Python SDK $SDK_LISTED (mailtrap $SDK_VERSION)"

hyperfine --warmup 3 --runs "$RUNS" --style basic --prepare "$FREE_WINDOW" \
    --export-json "$OUT/startup.json" \
    -n dump-screen "$BIN --dump-screen 120x40" \
    -n list-json "$BIN list --output json" \
    -n python-sdk "$SDK_VENV/bin/python benches/python_sdk_list.py" \
    >"$OUT/hyperfine.txt"
cat "$OUT/hyperfine.txt"

NOT_OK=$(curl -sf "$MAILTRAP_API_URL/__sim/requests" |
    python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["status"] != 200))')

python3 - "$OUT/startup.json" "$NOT_OK" <<'EOF'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
med = {name: r["median"] * 1000 for name, r in results.items()}
print()
print("medians (ms): " + ", ".join(f"{n} {m:.1f}" for n, m in med.items()))
dump_ratio = med["dump-screen"] / med["list-json"]
sdk_ratio = med["python-sdk"] / med["list-json"]
print(f"dump-screen / list-json = {dump_ratio:.2f}  (goal <= 3)  {'PASS' if dump_ratio <= 3 else 'FAIL'}")
print(f"python-sdk / list-json  = {sdk_ratio:.1f}  (goal >= 10)  {'PASS' if sdk_ratio >= 10 else 'FAIL'}")
print(f"requests not answered 200 during the runs: {sys.argv[2]}")
EOF
