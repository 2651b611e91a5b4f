#!/usr/bin/env bash
# Gateway load: a fresh server (embedded H2, HTTP rate limits and identify limits off), N gateway
# sessions from several load processes, messages posted into their one guild at a fixed rate.
#   bench/gateway-load.sh [--baseline|--floor-only] [GatewayLoad options, e.g. --sessions 5000 --processes 2 --messages 50 --rate 5 --compress zstd-stream --churn 20 --out r.json]
# Prints the JSON result: server heap and RSS per idle session, time to READY, deliveries/s,
# POST-to-receipt latency, the server's CPU per delivery, messages lost or delivered twice,
# reconnections and resumes (churn). Sessions come from the client SDK.
# --baseline runs the same load on the floor first (bench BareBroadcaster: bare Netty, Hello, READY
# and one serialised body written to every session), then on Gatehouse, and prints the two side by
# side with Gatehouse/floor ratios; with --out r.json the floor's result goes to r.floor.json.
# --floor-only runs the floor alone. GATEHOUSE_JAVA_OPTS sets the server's JVM options (default -Xmx2g).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME; JAVA_HOME=$(./gatehouse java-home)
[ -f server/target/gatehouse.jar ] && [ -f bench/target/gatehouse-bench.jar ] || ./mvnw -B -q -DskipTests package
mode=gatehouse
case "${1:-}" in
  --baseline) mode=both; shift ;;
  --floor-only) mode=floor; shift ;;
esac
args=("$@")
out=
for i in "${!args[@]}"; do [ "${args[$i]}" = "--out" ] && out=${args[$((i + 1))]}; done
work=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }; rm -rf "$work"; }
trap cleanup EXIT

# run KIND RESULT [options]: starts KIND (gatehouse or floor) on a free port, runs the load on it, stops it
run() {
  local kind=$1 result=$2; shift 2
  local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  if [ "$kind" = floor ]; then
    # shellcheck disable=SC2086
    "$JAVA_HOME/bin/java" ${GATEHOUSE_JAVA_OPTS:--Xmx2g} --enable-native-access=ALL-UNNAMED -cp bench/target/gatehouse-bench.jar \
      dev.gatehouse.bench.floor.BareBroadcaster "$port" > "$work/$kind.log" 2>&1 &
  else
    mkdir -p "$work/data"
    # shellcheck disable=SC2086
    "$JAVA_HOME/bin/java" ${GATEHOUSE_JAVA_OPTS:--Xmx2g} --enable-native-access=ALL-UNNAMED -jar server/target/gatehouse.jar serve \
      --host 127.0.0.1 --port "$port" --no-rate-limits --no-identify-limits --data-dir "$work/data" > "$work/$kind.log" 2>&1 &
  fi
  server=$!
  for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  local status=0
  "$JAVA_HOME/bin/java" -Xmx1g --enable-native-access=ALL-UNNAMED -cp bench/target/gatehouse-bench.jar dev.gatehouse.bench.GatewayLoad \
    --url "http://127.0.0.1:$port" --server-pid "$server" --jcmd "$JAVA_HOME/bin/jcmd" "$@" --out "$result" || status=$?
  kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=
  return $status
}

case "$mode" in
  gatehouse) run gatehouse "${out:-$work/gatehouse.json}" "${args[@]}" ;;
  floor) run floor "${out:-$work/floor.json}" "${args[@]}" ;;
  both)
    floor_out=$work/floor.json; gatehouse_out=$work/gatehouse.json
    if [ -n "$out" ]; then floor_out=${out%.json}.floor.json; gatehouse_out=$out; fi
    status=0
    run floor "$floor_out" "${args[@]}" --label floor || status=$?
    run gatehouse "$gatehouse_out" "${args[@]}" --label gatehouse || status=$?
    "$JAVA_HOME/bin/java" -cp bench/target/gatehouse-bench.jar dev.gatehouse.bench.LoadCompare "$gatehouse_out" "$floor_out"
    exit $status
    ;;
esac
