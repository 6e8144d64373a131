#!/usr/bin/env bash
# The idle and memory goals: the console's idle cost and peak memory, measured from outside in a real
# pseudo-terminal (a private tmux server, 120×40).
#
#   benches/idle.sh               # from the repository root; needs tmux, curl and python3
#   BIN=/tmp/old-build benches/idle.sh
#
# 1. Countdown on screen: the console against `serve` (the demo seed shows "resets in H:MM:SS"); CPU time
#    (utime+stime from /proc/PID/stat, and the scheduler's nanosecond count from /proc/PID/task/*/schedstat)
#    over IDLE_SECONDS (10) of no input.
# 2. No countdown on screen: against `serve --seed benches/seed-no-expiry.json` (no token expires); context
#    switches of every thread (/proc/PID/task/*/status) over the same span, which starts after the first load
#    and ends before the first auto-refresh (30 s): a console that sleeps until then switches 0 times.
# 3. Memory: against `serve --tokens 10000`, VmHWM (peak resident set) from /proc/PID/status once the table
#    shows all of them (the seed's own beside the 10,000).
# 4. Memory once settled: against `serve --tokens 100000`, VmHWM after the table shows all its tokens and
#    SETTLE_SECONDS (3) more, when the console has made everything it makes after its first frame (the
#    findings, every row's texts, the filter's texts, the other orders) and saved its drift snapshot. Twice,
#    against the same simulator and state directory: the second look reads the first's snapshot and compares
#    with it, as every look after the first does. The goal is the JSON's size twice over.
#
# The simulator runs in its own process, so none of its work is counted.
set -euo pipefail

cd "$(dirname "$0")/.."
IDLE_SECONDS=${IDLE_SECONDS:-10}
SETTLE_SECONDS=${SETTLE_SECONDS:-3}
# BIN=path/to/another/build measures that binary instead (an older commit's, for a before-and-after).
if [[ -z ${BIN:-} ]]; then
    cargo build --release --quiet --bin mailtrap-tokens
    BIN=$PWD/target/release/mailtrap-tokens
fi
# shellcheck source=benches/serve-env.sh
source benches/serve-env.sh

SOCKET=mtt-bench-$$
TMUX_CMD=(tmux -L "$SOCKET" -f /dev/null)
cleanup() {
    "${TMUX_CMD[@]}" kill-server 2>/dev/null || true
    stop_serve
}
# A state directory of its own: the drift snapshots of earlier runs (or of the user) play no part.
STATE_HOME=$(mktemp -d)
trap 'cleanup; rm -rf "$STATE_HOME"' EXIT

# Starts the console (live mode, against the exported MAILTRAP_* of the current serve) in a 120×40 pane and
# waits until the pane shows `$1`; sets CONSOLE_PID.
start_console() {
    local ready=$1
    "${TMUX_CMD[@]}" kill-server 2>/dev/null || true
    "${TMUX_CMD[@]}" new-session -d -s bench -x 120 -y 40 \
        -e "MAILTRAP_API_URL=$MAILTRAP_API_URL" -e "MAILTRAP_API_TOKEN=$MAILTRAP_API_TOKEN" \
        -e "MAILTRAP_ACCOUNT_ID=$MAILTRAP_ACCOUNT_ID" -e "XDG_STATE_HOME=$STATE_HOME" "exec $BIN"
    CONSOLE_PID=$("${TMUX_CMD[@]}" list-panes -t bench -F '#{pane_pid}')
    for _ in $(seq 1 300); do
        if "${TMUX_CMD[@]}" capture-pane -p -t bench | grep -qF "$ready"; then
            return 0
        fi
        sleep 0.1
    done
    echo "the console never showed \"$ready\"; its screen:" >&2
    "${TMUX_CMD[@]}" capture-pane -p -t bench >&2
    return 1
}

# How many tokens the current serve lists in its first account (the seed's own beside the synthetic ones).
listed_count() {
    curl -sf -H "Authorization: Bearer $MAILTRAP_API_TOKEN" \
        "$MAILTRAP_API_URL/api/accounts/$MAILTRAP_ACCOUNT_ID/api_tokens" |
        python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'
}

# CPU time of the whole process in ms, from utime+stime (clock ticks; fields 14 and 15 after the command name).
cpu_ms_stat() {
    local fields
    fields=$(sed 's/.*) //' "/proc/$1/stat")
    awk -v hz="$(getconf CLK_TCK)" '{ print ($12 + $13) * 1000 / hz }' <<<"$fields"
}

# CPU time of every thread in ms, from the scheduler's nanosecond count.
cpu_ms_sched() {
    cat /proc/"$1"/task/*/schedstat | awk '{ ns += $1 } END { printf "%.1f\n", ns / 1e6 }'
}

# Voluntary and involuntary context switches summed over every thread.
switches() {
    cat /proc/"$1"/task/*/status | awk '/^(non)?voluntary_ctxt_switches/ { n += $2 } END { print n }'
}

threads() {
    ls /proc/"$1"/task | wc -l
}

echo "== 1. countdown on screen: ${IDLE_SECONDS} s idle"
start_serve
start_console "resets in"
sleep 2 # let the first load's work finish
before_stat=$(cpu_ms_stat "$CONSOLE_PID")
before_sched=$(cpu_ms_sched "$CONSOLE_PID")
before_sw=$(switches "$CONSOLE_PID")
first=$("${TMUX_CMD[@]}" capture-pane -p -t bench | grep -o 'resets in [0-9:]*' | head -1)
sleep "$IDLE_SECONDS"
last=$("${TMUX_CMD[@]}" capture-pane -p -t bench | grep -o 'resets in [0-9:]*' | head -1)
after_stat=$(cpu_ms_stat "$CONSOLE_PID")
after_sched=$(cpu_ms_sched "$CONSOLE_PID")
after_sw=$(switches "$CONSOLE_PID")
cpu_stat=$(awk -v a="$after_stat" -v b="$before_stat" 'BEGIN { print a - b }')
cpu_sched=$(awk -v a="$after_sched" -v b="$before_sched" 'BEGIN { printf "%.1f", a - b }')
echo "screen went from \"$first\" to \"$last\""
echo "CPU over ${IDLE_SECONDS} s: ${cpu_sched} ms (schedstat), ${cpu_stat} ms (utime+stime, 10 ms ticks);" \
    "$((after_sw - before_sw)) context switches; $(threads "$CONSOLE_PID") threads"
verdict=$(awk -v c="$cpu_sched" 'BEGIN { print (c <= 100 ? "PASS" : "FAIL") }')
echo "goal 4a: <= 100 ms of CPU per 10 s with a countdown: $verdict"
"${TMUX_CMD[@]}" kill-server
stop_serve

echo
echo "== 2. no countdown on screen: ${IDLE_SECONDS} s idle, between auto-refreshes"
start_serve --seed benches/seed-no-expiry.json
start_console "Operator console"
loaded_at=$SECONDS
sleep 7 # past the status message's 6 s, so nothing on screen is due to change
before_sw=$(switches "$CONSOLE_PID")
before_sched=$(cpu_ms_sched "$CONSOLE_PID")
sleep "$IDLE_SECONDS"
after_sw=$(switches "$CONSOLE_PID")
after_sched=$(cpu_ms_sched "$CONSOLE_PID")
window_end=$((SECONDS - loaded_at))
woke=$((after_sw - before_sw))
echo "from ~7 s to ~${window_end} s after the table showed (auto-refresh every 30 s):" \
    "$woke context switches over $(threads "$CONSOLE_PID") threads," \
    "$(awk -v a="$after_sched" -v b="$before_sched" 'BEGIN { printf "%.2f", a - b }') ms of CPU"
echo "goal 4b: no wake-ups without a countdown: $([[ $woke -eq 0 ]] && echo PASS || echo FAIL)"
"${TMUX_CMD[@]}" kill-server
stop_serve

echo
echo "== 3. peak memory with 10,000 tokens"
start_serve --tokens 10000
start_console "Tokens ($(listed_count))"
sleep 1
hwm_kb=$(awk '/^VmHWM/ { print $2 }' "/proc/$CONSOLE_PID/status")
rss_kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$CONSOLE_PID/status")
echo "VmHWM ${hwm_kb} kB ($((hwm_kb / 1024)) MB), VmRSS now ${rss_kb} kB"
echo "goal 5: peak RSS <= 30 MB: $([[ $hwm_kb -le $((30 * 1024)) ]] && echo PASS || echo FAIL)"
"${TMUX_CMD[@]}" kill-server
stop_serve

echo
echo "== 4. peak memory once settled with 100,000 tokens, a first look and a second"
start_serve --tokens 100000
json_bytes=$(curl -sf -o /dev/null -w '%{size_download}' -H "Authorization: Bearer $MAILTRAP_API_TOKEN" \
    "$MAILTRAP_API_URL/api/accounts/$MAILTRAP_ACCOUNT_ID/api_tokens")
goal_kb=$((2 * json_bytes / 1024))
listed=$(listed_count)
for look in first second; do
    start_console "Tokens ($listed)"
    sleep "$SETTLE_SECONDS"
    hwm_kb=$(awk '/^VmHWM/ { print $2 }' "/proc/$CONSOLE_PID/status")
    rss_kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$CONSOLE_PID/status")
    echo "$look look: VmHWM ${hwm_kb} kB ($((hwm_kb / 1024)) MiB), VmRSS now ${rss_kb} kB;" \
        "JSON ${json_bytes} bytes, goal <= ${goal_kb} kB:" \
        "$([[ $hwm_kb -le $goal_kb ]] && echo PASS || echo FAIL)"
    "${TMUX_CMD[@]}" kill-server
done
ls "$STATE_HOME"/mailtrap-tokens/snapshots >/dev/null
