#!/bin/sh
# A tiny key-value store for the linearizable-kv example: one file per key in DIR, a lock around every access.
# Each run is one client operation, chosen from the operation id: reads (half), writes of the id, and
# compare-and-sets from the value this agent last saw to the id, on two keys. It prints what it does in
# Jepsen's notation, first its intent, then (for a read) what it read:
#   read [k0]            read [k0 17]          write [k1 23]          cas [k0 [17 29]]
# A compare-and-set that finds another value exits 1 (it took no effect).
# MODE stale: each agent keeps a cache of the values it has seen and serves its reads from it, never
# invalidated by other agents' writes: the bug. MODE fresh: every read goes to the store.
# usage: kv.sh DIR MODE AGENT ID
set -eu
dir=$1 mode=$2 agent=$3 id=$4
mkdir -p "$dir/cache-$agent"
n=$((id % 10))
key="k$(( (id / 10) % 2 ))"
store="$dir/$key" cache="$dir/cache-$agent/$key" seen="$dir/cache-$agent/seen-$key"
exec 9>"$dir/lock"
case $n in
  0|1|2|3|4)
    echo "read [$key]"
    if [ "$mode" = stale ] && [ -f "$cache" ]; then
      v=$(cat "$cache")
    else
      flock 9; v=$(cat "$store" 2>/dev/null || echo nil); flock -u 9
      echo "$v" > "$cache"
    fi
    echo "$v" > "$seen"
    echo "read [$key $v]" ;;
  5|6|7)
    echo "write [$key $id]"
    flock 9; echo "$id" > "$store"; flock -u 9
    echo "$id" > "$cache"; echo "$id" > "$seen" ;;
  *)
    old=$(cat "$seen" 2>/dev/null || echo nil)
    echo "cas [$key [$old $id]]"
    flock 9
    current=$(cat "$store" 2>/dev/null || echo nil)
    if [ "$current" = "$old" ]; then
      echo "$id" > "$store"; flock -u 9
      echo "$id" > "$cache"; echo "$id" > "$seen"
    else
      flock -u 9
      echo "$current" > "$seen"
      echo "mismatch: $current"
      exit 1
    fi ;;
esac
