#!/usr/bin/env bash
# The close-to-the-wire goals: the whole process against `curl` fetching the same token list from the same
# server, the least any client can do.
#
#   benches/wire.sh               # from the repository root; needs hyperfine, curl, python3, /usr/bin/time
#   TOKENS="10000" ROUNDS=5 benches/wire.sh   # quicker, and less sure
#   BIN=/tmp/old-build OUT=target/bench-wire-before benches/wire.sh
#
# For each N in $TOKENS (default "10000 100000") against `serve --tokens N`:
# 1. `list --output json` vs `curl` of GET /api/accounts/{id}/api_tokens with the same token;
# 2. `--dump-screen 120x40` (the console's first loaded frame) vs the same `curl`;
# 3. peak resident set (`/usr/bin/time -v`) of both, against the size of the JSON the server sent.
# At 10,000 also `list --output json` vs Mailtrap's official Python SDK (benches/python_sdk_list.py in
# $SDK_VENV, default /tmp/sdkvenv, installed from PyPI when missing; SDK=0 skips it), and `lint --output
# json` (the findings of every hygiene rule) vs `list --output json`, the goal being lint within 1.5x of
# list (LINT=0 skips it).
#
# The machine is shared, so a pair is never timed as "all of A, then all of B": each of $ROUNDS rounds times
# both commands $RUNS times, the order swapping every round, and the ratio quoted is the median of the
# rounds' ratios of medians (a burst of load hits both sides of one round). The load average is printed
# beside the figures. Twelve rounds by default: on two shared cores one round's ratio moves by ±0.2, and
# the median of five moved by ±0.05 between runs, as much as the margin a ratio near its goal has.
#
# The simulator enforces 150 requests per 10 s per token on its own clock; hyperfine's untimed `--prepare`
# moves that clock 11 s forward before every run, and the script checks the request log for any non-200.
set -euo pipefail

cd "$(dirname "$0")/.."
TOKENS=${TOKENS:-10000 100000}
ROUNDS=${ROUNDS:-12}
RUNS=${RUNS:-5}
SDK=${SDK:-1}
LINT=${LINT:-1}
SDK_VENV=${SDK_VENV:-/tmp/sdkvenv}
OUT=${OUT:-target/bench-wire}
mkdir -p "$OUT"

# BIN=path/to/another/build measures that binary instead (an older commit's, for a before-and-after).
if [[ -z ${BIN:-} ]]; then
    cargo build --release --quiet --bin mailtrap-tokens
    BIN=$PWD/target/release/mailtrap-tokens
fi

if [[ $SDK == 1 ]] && { [[ ! -x "$SDK_VENV/bin/python" ]] || ! "$SDK_VENV/bin/python" -c 'import mailtrap' 2>/dev/null; }; then
    python3 -m venv "$SDK_VENV"
    "$SDK_VENV/bin/pip" install --quiet mailtrap
fi

# shellcheck source=benches/serve-env.sh
source benches/serve-env.sh
trap stop_serve EXIT

RESULTS=$OUT/results.tsv
: >"$RESULTS"

# pair NAME_A CMD_A NAME_B CMD_B LABEL: ROUNDS rounds of hyperfine over both, alternating which goes first;
# appends "LABEL<TAB>round<TAB>median_a<TAB>median_b" (seconds) to $RESULTS.
pair() {
    local name_a=$1 cmd_a=$2 name_b=$3 cmd_b=$4 label=$5 round json
    for round in $(seq 1 "$ROUNDS"); do
        json=$OUT/$label-$round.json
        if ((round % 2)); then
            hyperfine -N --warmup 1 --runs "$RUNS" --style none --prepare "$FREE_WINDOW" \
                --export-json "$json" -n "$name_a" "$cmd_a" -n "$name_b" "$cmd_b" >/dev/null
        else
            hyperfine -N --warmup 1 --runs "$RUNS" --style none --prepare "$FREE_WINDOW" \
                --export-json "$json" -n "$name_b" "$cmd_b" -n "$name_a" "$cmd_a" >/dev/null
        fi
        python3 - "$json" "$name_a" "$name_b" "$label" "$round" >>"$RESULTS" <<'EOF'
import json, sys
path, a, b, label, rnd = sys.argv[1:]
med = {r["command"]: r["median"] for r in json.load(open(path))["results"]}
print(f"{label}\t{rnd}\t{med[a]}\t{med[b]}")
EOF
    done
}

# peak_rss CMD…: the "Maximum resident set size" /usr/bin/time -v reports, in KiB.
peak_rss() {
    eval "$FREE_WINDOW"
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}'
}

for n in $TOKENS; do
    start_serve --tokens "$n"
    # A command line without quotes, so that hyperfine -N and eval read it alike.
    echo '{"advance_seconds":11}' >"$OUT/clock.json"
    FREE_WINDOW="curl -sf -o /dev/null -X POST -H content-type:application/json -d @$OUT/clock.json $MAILTRAP_API_URL/__sim/clock"
    LIST_URL="$MAILTRAP_API_URL/api/accounts/$MAILTRAP_ACCOUNT_ID/api_tokens"
    curl -sf -o /dev/null -X DELETE "$MAILTRAP_API_URL/__sim/requests"

    # Sanity before anything is timed: curl and list see the same number of tokens, the dump draws them.
    eval "$FREE_WINDOW"
    CURL_COUNT=$(curl -sf -H "Authorization: Bearer $MAILTRAP_API_TOKEN" "$LIST_URL" |
        python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    eval "$FREE_WINDOW"
    JSON_BYTES=$(curl -sf -o /dev/null -w '%{size_download}' -H "Authorization: Bearer $MAILTRAP_API_TOKEN" "$LIST_URL")
    eval "$FREE_WINDOW"
    LIST_COUNT=$("$BIN" list --output json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    if [[ $CURL_COUNT != "$LIST_COUNT" ]]; then
        echo "curl saw $CURL_COUNT tokens, list $LIST_COUNT" >&2
        exit 1
    fi
    eval "$FREE_WINDOW"
    "$BIN" --dump-screen 120x40 >"$OUT/dump-$n.txt"
    echo "tokens: $LIST_COUNT, JSON $JSON_BYTES bytes"

    # The same request as the client's: a bearer token, the whole body read and thrown away.
    CURL_N="curl -sf -o /dev/null --oauth2-bearer $MAILTRAP_API_TOKEN $LIST_URL"
    pair list "$BIN list --output json" curl "$CURL_N" "list-$n"
    pair dump "$BIN --dump-screen 120x40" curl "$CURL_N" "dump-$n"
    if [[ $SDK == 1 && $n == 10000 ]]; then
        pair sdk "$SDK_VENV/bin/python benches/python_sdk_list.py" list "$BIN list --output json" "sdk-$n"
    fi
    if [[ $LINT == 1 && $n == 10000 ]]; then
        pair lint "$BIN lint --output json" list "$BIN list --output json" "lint-$n"
    fi

    LIST_RSS=$(peak_rss "$BIN" list --output json)
    DUMP_RSS=$(peak_rss "$BIN" --dump-screen 120x40)
    CURL_RSS=$(peak_rss curl -sf -o /dev/null --oauth2-bearer "$MAILTRAP_API_TOKEN" "$LIST_URL")
    printf 'rss-%s\t%s\t%s\t%s\t%s\n' "$n" "$JSON_BYTES" "$LIST_RSS" "$DUMP_RSS" "$CURL_RSS" >>"$RESULTS"

    NOT_OK=$(curl -sf "$MAILTRAP_API_URL/__sim/requests" |
        python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["status"] != 200))')
    echo "requests not answered 200 at $n tokens: $NOT_OK"
    stop_serve
done

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$RESULTS" "$LOAD" <<'EOF'
import statistics, sys
from collections import defaultdict
path, load = sys.argv[1:]
rounds = defaultdict(list)
rss = {}
for line in open(path):
    fields = line.rstrip("\n").split("\t")
    if fields[0].startswith("rss-"):
        rss[int(fields[0][4:])] = [int(x) for x in fields[1:]]
    else:
        rounds[fields[0]].append((float(fields[2]), float(fields[3])))

goals = {"list": {10000: 1.2, 100000: 1.3}, "dump": {10000: 1.2, 100000: 1.3}}
print(f"\nload average at the end: {load}")
print("| work | tokens | ours (median) | other (median) | ratio (median of rounds) | goal |")
print("|---|---|---|---|---|---|")
for label, pairs in rounds.items():
    kind, n = label.split("-")
    n = int(n)
    a = statistics.median(p[0] for p in pairs) * 1000
    b = statistics.median(p[1] for p in pairs) * 1000
    ratio = statistics.median(p[0] / p[1] for p in pairs)
    if kind == "sdk":
        verdict = "PASS" if ratio >= 10 else "FAIL"
        print(f"| Python SDK / list | {n:,} | SDK {a:.1f} ms | list {b:.1f} ms | SDK {ratio:.1f}x slower | >= 10x {verdict} |")
    elif kind == "lint":
        verdict = "PASS" if ratio <= 1.5 else "FAIL"
        print(f"| lint --output json / list --output json | {n:,} | lint {a:.1f} ms | list {b:.1f} ms | {ratio:.2f}x | <= 1.5x {verdict} |")
    else:
        goal = goals[kind].get(n)
        verdict = "" if goal is None else f"<= {goal}x {'PASS' if ratio <= goal else 'FAIL'}"
        what = "list --output json" if kind == "list" else "--dump-screen 120x40"
        print(f"| {what} / curl | {n:,} | {a:.1f} ms | {b:.1f} ms | {ratio:.2f}x | {verdict} |")
for n, (json_bytes, list_kib, dump_kib, curl_kib) in sorted(rss.items()):
    limit = 2 * json_bytes / 1024
    for what, kib in (("list", list_kib), ("dump-screen", dump_kib)):
        # The goal is set where the tokens outweigh the program itself (curl alone is ~10 MiB).
        verdict = ("PASS" if kib <= limit else "FAIL") if n >= 100000 else "(no goal below 100,000)"
        print(f"peak RSS {what} at {n:,}: {kib / 1024:.1f} MiB, JSON {json_bytes / 1048576:.1f} MiB, "
              f"{kib * 1024 / json_bytes:.2f}x the JSON (goal <= 2x) {verdict}; curl {curl_kib / 1024:.1f} MiB")
EOF
