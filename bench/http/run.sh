#!/usr/bin/env bash
# HTTP benchmark: wrk against `gauntlet http`, same target, same settings, alternating rounds.
#
# Installs nginx and wrk from Debian's packages (needs root or sudo), starts nginx on 127.0.0.1 with a tiny
# static response, then runs `wrk -t1 -c64 -d10s` and `gauntlet http -c 64 -d 10s` alternately, three rounds
# each, and writes requests/s and the generator's CPU per request (user+sys from /usr/bin/time) for both to
# bench/results/http.md. Goal (issue 7): Gauntlet >= 0.9x wrk's requests/s and <= 1.2x wrk's CPU per request.
# Then, once, `gauntlet http --rate` at half of wrk's mean rate: the achieved rate, drops and CPU per request of
# the open model (wrk2, its peer, is not packaged by Debian).
#
# Usage: bench/http/run.sh [--rounds N] [--duration 10s] [--connections 64] [--port 18080] [--out FILE]
# Run it on a quiet machine: both generators and nginx share its cores, so anything else running skews both.
set -euo pipefail

ROUNDS=3
DURATION=10s
CONNECTIONS=64
PORT=18080
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/bench/results/http.md"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n 2,12p "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

SUDO=""
[[ $(id -u) -ne 0 ]] && SUDO="sudo"
need() { command -v "$1" >/dev/null 2>&1; }
if ! need nginx || ! need wrk || [[ ! -x /usr/bin/time ]]; then
  echo "installing nginx, wrk and time from Debian's packages" >&2
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq nginx-light wrk time >/dev/null || $SUDO apt-get install -y -qq nginx wrk time >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

WORK="$(mktemp -d)"
NGINX_PID=""
cleanup() {
  if [[ -n "$NGINX_PID" ]] && kill -0 "$NGINX_PID" 2>/dev/null; then
    kill "$NGINX_PID"
    for _ in $(seq 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# One worker process, access log off, keep-alive without a request limit: the cheapest server nginx can be.
mkdir -p "$WORK/logs"
cat > "$WORK/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000000;
  keepalive_timeout 120s;
  client_body_temp_path $WORK/body;
  proxy_temp_path $WORK/proxy;
  fastcgi_temp_path $WORK/fastcgi;
  uwsgi_temp_path $WORK/uwsgi;
  scgi_temp_path $WORK/scgi;
  server {
    listen 127.0.0.1:$PORT;
    location / { default_type text/plain; return 200 "ok"; }
  }
}
CONF
"$NGINX" -p "$WORK" -c "$WORK/nginx.conf" &
NGINX_PID=$!
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$PORT/" >/dev/null 2>&1 && break
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  sleep 0.1
done

echo "building gauntlet (Release)" >&2
dotnet build "$ROOT/src/Gauntlet.Cli/Gauntlet.Cli.csproj" -c Release -v quiet -nologo >/dev/null
GAUNTLET="$ROOT/src/Gauntlet.Cli/bin/Release/net10.0/gauntlet.dll"
URL="http://127.0.0.1:$PORT/"

# Runs a command under /usr/bin/time; prints "REQUESTS_PER_SECOND CPU_SECONDS".
measure() {
  local log="$WORK/run.log" times="$WORK/time.txt"
  /usr/bin/time -f "%U %S" -o "$times" "$@" >"$log" 2>&1
  local rps cpu
  rps="$(awk '/^Requests\/sec:/ { print $2 }' "$log")"
  cpu="$(awk '{ printf "%.3f", $1 + $2 }' "$times")"
  if [[ -z "$rps" ]]; then echo "run.sh: no Requests/sec in the output of: $*" >&2; cat "$log" >&2; exit 4; fi
  echo "$rps $cpu"
}

# gauntlet http writes its reports to gauntlet-results/<timestamp> under the current folder: keep them in the work folder.
cd "$WORK"
SECONDS_RUN="${DURATION%s}"
# The machine may be shared: the load average before and after says how busy it was around the measurement.
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
declare -a ROWS
for round in $(seq "$ROUNDS"); do
  for tool in wrk gauntlet; do
    startup=0
    if [[ $tool == wrk ]]; then
      read -r rps cpu < <(measure wrk -t1 -c"$CONNECTIONS" -d"$DURATION" "$URL")
    else
      # The .NET process's fixed cost (runtime start, JIT, one request per connection), measured in the same round,
      # so the table can also show the CPU per request of the load itself.
      read -r _ startup < <(measure dotnet "$GAUNTLET" http "$URL" -c "$CONNECTIONS" -n "$CONNECTIONS")
      read -r rps cpu < <(measure dotnet "$GAUNTLET" http "$URL" -c "$CONNECTIONS" -d "$DURATION")
    fi
    us="$(awk -v c="$cpu" -v r="$rps" -v s="$SECONDS_RUN" 'BEGIN { printf "%.2f", (r > 0 ? c / (r * s) * 1e6 : 0) }')"
    steady="$(awk -v c="$cpu" -v f="$startup" -v r="$rps" -v s="$SECONDS_RUN" 'BEGIN { printf "%.2f", (r > 0 ? (c - f) / (r * s) * 1e6 : 0) }')"
    echo "round $round: $tool: $rps requests/s, $cpu s CPU ($startup s start-up), $us us/request ($steady without start-up)" >&2
    ROWS+=("$round|$tool|$rps|$cpu|$us|$startup|$steady")
  done
done

# The open model at half of wrk's closed rate: what holding a fixed arrival rate (wrk2's job; wrk2 is not packaged
# by Debian) costs per request, next to wrk's closed loop measured above.
read -r wrk_mean_rps < <(printf '%s\n' "${ROWS[@]}" | awk -F'|' '$2 == "wrk" { r += $3; n++ } END { printf "%.0f\n", r / n / 2 }')
OPEN_RATE="$wrk_mean_rps"
/usr/bin/time -f "%U %S" -o "$WORK/time.txt" dotnet "$GAUNTLET" http "$URL" -c "$CONNECTIONS" -d "$DURATION" --rate "$OPEN_RATE" >"$WORK/open.log" 2>&1 || true
OPEN_ACHIEVED="$(awk '/Arrivals:/ { for (i = 1; i <= NF; i++) if ($i == "achieved") { sub(/\/s.*/, "", $(i + 1)); print $(i + 1) } }' "$WORK/open.log")"
# The wrk-like summary's counts line ("  29,000 ok, 0 failed, 0 timed out, 0 cut off, 12 dropped"), which comes after
# the run's console report (whose own lines also say "ok,").
OPEN_OK="$(awk '/^ +[0-9,]+ ok, / { v = $1; gsub(/,/, "", v); print v }' "$WORK/open.log" | tail -n 1)"
OPEN_DROPPED="$(awk '/^ +[0-9,]+ ok, / { for (i = 1; i <= NF; i++) if ($i ~ /^dropped/) { v = $(i - 1); gsub(/,/, "", v); print v } }' "$WORK/open.log" | tail -n 1)"
OPEN_CPU="$(awk '{ printf "%.3f", $1 + $2 }' "$WORK/time.txt")"
OPEN_US="$(awk -v c="$OPEN_CPU" -v n="${OPEN_OK:-0}" 'BEGIN { printf "%.2f", (n > 0 ? c / n * 1e6 : 0) }')"
echo "open model: $OPEN_RATE/s requested, ${OPEN_ACHIEVED:-?}/s achieved, ${OPEN_OK:-?} ok, ${OPEN_DROPPED:-?} dropped, $OPEN_CPU s CPU, $OPEN_US us/request" >&2

LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

summary() {
  local tool="$1"
  printf '%s\n' "${ROWS[@]}" | awk -F'|' -v t="$tool" '$2 == t { r += $3; u += $5; w += $7; n++ } END { printf "%.0f %.2f %.2f\n", r / n, u / n, w / n }'
}
read -r wrk_rps wrk_us wrk_steady < <(summary wrk)
read -r g_rps g_us g_steady < <(summary gauntlet)
ratio_rps="$(awk -v a="$g_rps" -v b="$wrk_rps" 'BEGIN { printf "%.2f", a / b }')"
ratio_cpu="$(awk -v a="$g_us" -v b="$wrk_us" 'BEGIN { printf "%.2f", a / b }')"
ratio_steady="$(awk -v a="$g_steady" -v b="$wrk_steady" 'BEGIN { printf "%.2f", a / b }')"

mkdir -p "$(dirname "$OUT")"
{
  echo "# HTTP benchmark: gauntlet http against wrk"
  echo
  echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs) ($(nproc) cores), $(uname -sr)."
  echo "Commit: $(git -C "$ROOT" rev-parse --short HEAD). Date: $(date -u +%Y-%m-%dT%H:%MZ)."
  echo "Target: nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///'), one worker, \`return 200 \"ok\"\` on 127.0.0.1:$PORT."
  echo "Command: \`wrk -t1 -c$CONNECTIONS -d$DURATION\` and \`gauntlet http -c $CONNECTIONS -d $DURATION\`, alternating, $ROUNDS rounds each."
  echo "CPU per request: the generator's user+sys seconds (/usr/bin/time) over its requests (requests/s x duration)."
  echo "Load average (1, 5, 15 min) before the first round: $LOAD_BEFORE; after the last: $LOAD_AFTER ($(nproc) cores)."
  echo
  echo "Start-up: the CPU of \`gauntlet http -c $CONNECTIONS -n $CONNECTIONS\` in the same round (runtime start, JIT); wrk's is taken as 0."
  echo
  echo "| round | generator | requests/s | CPU s | CPU us/request | start-up CPU s | CPU us/request without start-up |"
  echo "|---:|---|---:|---:|---:|---:|---:|"
  for row in "${ROWS[@]}"; do IFS='|' read -r a b c d e f g <<<"$row"; echo "| $a | $b | $c | $d | $e | $f | $g |"; done
  echo
  echo "| | wrk | gauntlet | gauntlet / wrk | goal |"
  echo "|---|---:|---:|---:|---|"
  echo "| requests/s (mean) | $wrk_rps | $g_rps | ${ratio_rps}x | >= 0.9x |"
  echo "| CPU us/request (mean) | $wrk_us | $g_us | ${ratio_cpu}x | <= 1.2x |"
  echo "| CPU us/request without start-up (mean) | $wrk_steady | $g_steady | ${ratio_steady}x | (for reference) |"
  echo
  echo "Open model: \`gauntlet http -c $CONNECTIONS -d $DURATION --rate $OPEN_RATE\` (half of wrk's mean closed rate), once, after the rounds."
  echo
  echo "| requested/s | achieved/s | ok | dropped | CPU s | CPU us/request (with start-up) | / wrk's closed CPU us/request |"
  echo "|---:|---:|---:|---:|---:|---:|---:|"
  echo "| $OPEN_RATE | ${OPEN_ACHIEVED:-?} | ${OPEN_OK:-?} | ${OPEN_DROPPED:-?} | $OPEN_CPU | $OPEN_US | $(awk -v a="$OPEN_US" -v b="$wrk_us" 'BEGIN { printf "%.2fx", a / b }') |"
} >"$OUT"
cat "$OUT"
