#!/usr/bin/env bash
# Export on against export off, the way a user meets it: `gauntlet tcp builtin:echo` as its own process (start-up
# included), interleaved rounds, medians. "on" serves the Prometheus endpoint and exports OTLP to a port where nothing
# listens (the export still runs every second), and a scraper reads /metrics every second as Prometheus would.
# Writes bench/results/metrics.md. Usage: bench/metrics/run.sh [rounds] [seconds]
# The CLI is $GAUNTLET_CLI (bench/run passes the published, precompiled one), else the Release build
# (dotnet build -c Release src/Gauntlet.Cli).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-5}"; seconds="${2:-5}"
g="${GAUNTLET_CLI:-src/Gauntlet.Cli/bin/Release/net10.0/gauntlet}"
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
python3 - "${off[*]}" "${on[*]}" "$rounds" "$seconds" "$(git rev-parse --short HEAD)" > bench/results/metrics.md <<'PY'
import datetime, statistics, sys
off = [float(x) for x in sys.argv[1].split()]; on = [float(x) for x in sys.argv[2].split()]
rounds, seconds, commit = sys.argv[3], sys.argv[4], sys.argv[5]
ratios = [b / a for a, b in zip(off, on)]
median = statistics.median(ratios)
print(f"""# Live export on against off

What it costs to watch a run live. `bench/metrics/run.sh {rounds} {seconds}` runs `gauntlet tcp builtin:echo -c 16 -d {seconds}s` as its own
process (start-up included), alternating export off and export on, {rounds} rounds. "On" serves the Prometheus endpoint
(`--metrics`), which a scraper reads every second, and also exports OTLP every second (to a port where nothing listens,
so every export is attempted and fails). The figure is operations per second over the issuing time, from each run's
`result.json`.

Command: `bench/run metrics` ({datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit}).

| round | off (ops/s) | on (ops/s) | on / off |
|---|---|---|---|""")
for i, (a, b) in enumerate(zip(off, on), 1):
    print(f"| {i} | {a:,.0f} | {b:,.0f} | {b / a:.3f} |")
print(f"| **median** | **{statistics.median(off):,.0f}** | **{statistics.median(on):,.0f}** | **{median:.3f}** |")
print(f"""
Goal: within 5% of export off (ratio >= 0.95): **{'met' if median >= 0.95 else 'missed'}**, median {median:.3f}, range {min(ratios):.3f} to {max(ratios):.3f}.

Where the cost is: nothing is added to the workers' path. Counters and gauges are read only when the exporter
collects. The latency histograms are replayed once a second by the collector thread: one `Histogram.Record` per
operation of that second, with its tags, into the SDK's aggregation. On two cores that thread competes with the
workers.""")
PY
cat bench/results/metrics.md | tail -8
