# Sourced by the bench scripts: `start_serve ARGS…` runs `mailtrap-tokens serve ARGS…` in the background,
# exports the MAILTRAP_API_URL, MAILTRAP_API_TOKEN and MAILTRAP_ACCOUNT_ID it prints on its first three lines,
# and sets SERVE_PID. `stop_serve` ends it. Needs BIN (the built binary).

start_serve() {
    local out
    out=$(mktemp)
    "$BIN" serve "$@" >"$out" 2>/dev/null &
    SERVE_PID=$!
    for _ in $(seq 1 400); do
        [[ $(wc -l <"$out") -ge 3 ]] && break
        sleep 0.05
    done
    if [[ $(wc -l <"$out") -lt 3 ]]; then
        echo "serve $* did not print its environment" >&2
        rm -f "$out"
        return 1
    fi
    local key value
    while IFS='=' read -r key value; do
        case $key in
            MAILTRAP_API_URL | MAILTRAP_API_TOKEN | MAILTRAP_ACCOUNT_ID) export "$key=$value" ;;
        esac
    done < <(head -n 3 "$out")
    rm -f "$out"
}

stop_serve() {
    if [[ -n ${SERVE_PID:-} ]]; then
        kill "$SERVE_PID" 2>/dev/null || true
        wait "$SERVE_PID" 2>/dev/null || true
        SERVE_PID=
    fi
}
