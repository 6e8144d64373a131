#!/bin/sh
# A hand-off command for the tests. It records what it was given in $FAKE_HANDOFF_DIR (call-N.stdin,
# call-N.argv, call-N.env), then behaves as its first argument says: ok, fail, or hang.
dir="${FAKE_HANDOFF_DIR:?FAKE_HANDOFF_DIR is not set}"
n=$(ls "$dir" | grep -c '\.argv$')
n=$((n + 1))
cat > "$dir/call-$n.stdin"
printf '%s\n' "$@" > "$dir/call-$n.argv"
env > "$dir/call-$n.env"
case "$1" in
  ok) echo "stored" >&2; exit 0 ;;
  fail) printf 'vault: permission denied\nsecond line\n' >&2; exit 3 ;;
  hang) exec sleep 600 ;;
  *) echo "unknown mode $1" >&2; exit 64 ;;
esac
