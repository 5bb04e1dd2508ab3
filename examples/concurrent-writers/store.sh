#!/bin/sh
# A tiny store for the concurrent-writers example: one value per line in $STORE (default ./store.txt).
#   store.sh add VALUE            safe: takes a lock (flock) and writes a unique temp file, then renames it
#   store.sh add VALUE --unsafe   the storage CLI report's bug: read, wait, write a temp file named by the
#                                 millisecond, rename; no lock, so concurrent adds overwrite each other
#   store.sh list                 prints the values
#   store.sh check                the store's own check and repair, for after a crash: removes the temp files
#                                 that killed writers left behind, and fails if any line is not a whole value
set -eu
store="${STORE:-store.txt}"
case "${1:-}" in
  add)
    value="$2"
    if [ "${3:-}" = "--unsafe" ]; then
      current="$(cat "$store" 2>/dev/null || true)"
      sleep 0.005
      tmp="$store.$(date +%s%3N).tmp"
      { if [ -n "$current" ]; then printf '%s\n' "$current"; fi; printf '%s\n' "$value"; } > "$tmp"
      mv "$tmp" "$store"
    else
      exec 9>>"$store.lock"
      flock 9
      tmp="$(mktemp "$store.XXXXXX")"
      { cat "$store" 2>/dev/null || true; printf '%s\n' "$value"; } > "$tmp"
      mv "$tmp" "$store"
    fi
    ;;
  list)
    cat "$store" 2>/dev/null || true
    ;;
  check)
    stale=0
    for tmp in "$store".??????; do
      [ -e "$tmp" ] || continue
      rm -f "$tmp"
      stale=$((stale + 1))
    done
    values="$(grep -c . "$store" 2>/dev/null || true)"
    bad="$(grep -cvE '^agent[0-9]+-write[0-9]+$' "$store" 2>/dev/null || true)"
    echo "check: ${values:-0} values, $stale stale temp files removed, ${bad:-0} malformed lines"
    [ "${bad:-0}" -eq 0 ]
    ;;
  *)
    echo "usage: store.sh add VALUE [--unsafe] | store.sh list | store.sh check" >&2
    exit 2
    ;;
esac
