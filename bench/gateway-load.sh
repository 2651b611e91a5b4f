#!/usr/bin/env bash
# Gateway load: a fresh server (embedded H2, HTTP rate limits and identify limits off), N gateway
# sessions from several load processes, messages posted into their one guild at a fixed rate.
#   bench/gateway-load.sh [GatewayLoad options, e.g. --sessions 5000 --processes 2 --messages 50 --rate 5 --compress zstd-stream --churn 20 --out r.json]
# Prints the JSON result: server heap and RSS per idle session, deliveries/s, POST-to-receipt latency,
# messages lost or delivered twice, reconnections and resumes (churn). Sessions come from the client SDK.
# GATEHOUSE_JAVA_OPTS sets the server's JVM options (default -Xmx2g).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME; JAVA_HOME=$(./gatehouse java-home)
[ -f server/target/gatehouse.jar ] && [ -f bench/target/gatehouse-bench.jar ] || ./mvnw -B -q -DskipTests package
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
work=$(mktemp -d)
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" ${GATEHOUSE_JAVA_OPTS:--Xmx2g} --enable-native-access=ALL-UNNAMED -jar server/target/gatehouse.jar serve --host 127.0.0.1 --port "$port" \
  --no-rate-limits --no-identify-limits --data-dir "$work" > "$work/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
"$JAVA_HOME/bin/java" -Xmx1g --enable-native-access=ALL-UNNAMED -cp bench/target/gatehouse-bench.jar dev.gatehouse.bench.GatewayLoad \
  --url "http://127.0.0.1:$port" --server-pid "$server" --jcmd "$JAVA_HOME/bin/jcmd" "$@"
