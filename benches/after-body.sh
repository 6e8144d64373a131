#!/usr/bin/env bash
# How long a command takes after the token list's body starts to arrive: from the first read of more than
# 20 kB (the body flowing) to the process's exit, from the kernel's own syscall tracepoints (`perf record
# -e syscalls:…`, cheap enough not to move the figure as `strace` does). That is the part of a run that is
# the client's alone: what comes before it is the server building the list, which both `curl` and we wait
# for. Needs `perf` and the rights to read tracepoints (root).
#
#   BIN=target/release/mailtrap-tokens benches/after-body.sh 10000 7 list --output json
#   benches/after-body.sh 100000 5 curl            # the same list fetched by curl, the physical baseline
#
# Arguments: the number of tokens for `serve --tokens N`, the number of runs, then the command (its
# arguments after BIN, or `curl`). Prints the median and each run's figure, in ms. SERVE_BIN=path serves
# the list from another build than BIN (an older client against this simulator, for a before-and-after).
set -euo pipefail
cd "$(dirname "$0")/.."
tokens=$1 runs=$2
shift 2
BIN=${BIN:-$PWD/target/release/mailtrap-tokens}
# shellcheck source=benches/serve-env.sh
source benches/serve-env.sh
trap stop_serve EXIT
client=$BIN
BIN=${SERVE_BIN:-$BIN}
start_serve --tokens "$tokens"
BIN=$client
clock=$(mktemp)
echo '{"advance_seconds":11}' >"$clock"
if [[ $1 == curl ]]; then
    command=(curl -sf -o /dev/null --oauth2-bearer "$MAILTRAP_API_TOKEN"
        "$MAILTRAP_API_URL/api/accounts/$MAILTRAP_ACCOUNT_ID/api_tokens")
else
    command=("$BIN" "$@")
fi
data=$(mktemp)
for _ in $(seq 1 "$runs"); do
    # A fresh window of the simulator's rate limit before every run.
    curl -sf -o /dev/null -X POST -H content-type:application/json -d @"$clock" "$MAILTRAP_API_URL/__sim/clock"
    perf record -q -o "$data" -e syscalls:sys_exit_recvfrom -e syscalls:sys_exit_read \
        -e syscalls:sys_enter_exit_group -- "${command[@]}" >/dev/null 2>&1
    perf script -i "$data" -F time,event,trace 2>/dev/null | python3 -c '
import re, sys
first = end = None
for line in sys.stdin:
    m = re.match(r"\s*([\d.]+):\s+(\S+)\s+(.*)", line)
    if not m:
        continue
    t, event, trace = float(m.group(1)), m.group(2), m.group(3)
    ret = re.search(r"0x([0-9a-f]+)", trace)
    if first is None and "exit_re" in event and ret and 20000 < int(ret.group(1), 16) < 1 << 40:
        first = t
    if "exit_group" in event:
        end = t
print("%.1f" % ((end - first) * 1000) if first is not None and end is not None else "nan")'
done | python3 -c '
import statistics, sys
runs = [float(x) for x in sys.stdin.read().split() if x != "nan"]
print("after the body starts: median %.1f ms (%s)" % (statistics.median(runs), " ".join("%.1f" % r for r in runs)))'
rm -f "$data" "$clock"
