#!/bin/sh
# Exhausts the slab and aborts, as the runtime did at depth 10000: a crash by SIGABRT.
ulimit -c 0
echo "countdown 10000"
echo "memory.c:266:valk_slab_aquire || Attempted to aquire, when the slab is already full" >&2
kill -s ABRT $$
