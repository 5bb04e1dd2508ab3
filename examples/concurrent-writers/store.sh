#!/bin/sh
# A tiny store for the concurrent-writers example: one value per line in $STORE (default ./store.txt).
#   store.sh add VALUE            safe: takes a lock (flock) and writes a unique temp file, then renames it
#   store.sh add VALUE --unsafe   the storage CLI report's bug: read, wait, write a temp file named by the
#                                 millisecond, rename; no lock, so concurrent adds overwrite each other
#   store.sh list                 prints the values
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
  *)
    echo "usage: store.sh add VALUE [--unsafe] | store.sh list" >&2
    exit 2
    ;;
esac
