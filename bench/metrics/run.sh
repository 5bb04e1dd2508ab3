#!/usr/bin/env bash
# Export on against export off, the way a user meets it: `gauntlet tcp builtin:echo` as its own process (start-up
# included), interleaved rounds, medians. "on" serves the Prometheus endpoint and exports OTLP to a port where nothing
# listens (the export still runs every second), and a scraper reads /metrics every second as Prometheus would.
# Usage: bench/metrics/run.sh [rounds] [seconds]   (build first: dotnet build -c Release src/Gauntlet.Cli)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-5}"; seconds="${2:-5}"
g=src/Gauntlet.Cli/bin/Release/net10.0/gauntlet
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
rate() { python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['scenarios'][0]; print(s['counts']['ok']/s['issuingSeconds'])" "$1"; }
on=(); off=()
for r in $(seq "$rounds"); do
  "$g" tcp builtin:echo -c 16 -d "${seconds}s" -o "$work/off-$r" >/dev/null
  off+=("$(rate "$work/off-$r/result.json")")
  port=$((19500 + r))
  ( for _ in $(seq $((seconds + 3))); do sleep 1; curl -s "http://127.0.0.1:$port/metrics" >/dev/null || true; done ) &
  "$g" tcp builtin:echo -c 16 -d "${seconds}s" --metrics "127.0.0.1:$port" --otlp http://127.0.0.1:9 -o "$work/on-$r" >/dev/null
  wait
  on+=("$(rate "$work/on-$r/result.json")")
  echo "round $r: off ${off[-1]} ops/s, on ${on[-1]} ops/s"
done
python3 - "${off[*]}" "${on[*]}" <<'PY'
import statistics, sys
off = [float(x) for x in sys.argv[1].split()]; on = [float(x) for x in sys.argv[2].split()]
ratios = [b / a for a, b in zip(off, on)]
print(f"median off {statistics.median(off):.0f} ops/s, on {statistics.median(on):.0f} ops/s; "
      f"ratio on/off median {statistics.median(ratios):.3f} (min {min(ratios):.3f}, max {max(ratios):.3f})")
PY
