#!/usr/bin/env bash
# Voice load: a fresh server (embedded H2, HTTP rate limits and identify limits off, TLS with its
# self-signed certificate), N voice channels of M members, S speakers each at 50 packets a second,
# from separate load processes; or, with --baseline, the same load through the bare relay (bench's
# BareRelay: the floor for this machine).
#   bench/voice-load.sh [--baseline] [VoiceLoad options, e.g. --channels 160 --members 10 --speakers 2 --seconds 20 --processes 2 --out r.json]
# Prints the JSON result: forwarded packets/s, send-to-receipt latency p50/p99/p999, lost and
# duplicated packets, and the relay process's CPU per forwarded packet. Exits 1 when anything was
# lost or doubled. GATEHOUSE_JAVA_OPTS sets the server's JVM options (default -Xmx2g).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME; JAVA_HOME=$(./gatehouse java-home)
[ -f server/target/gatehouse.jar ] && [ -f bench/target/gatehouse-bench.jar ] || ./mvnw -B -q -DskipTests package
baseline=0
if [ "${1:-}" = "--baseline" ]; then baseline=1; shift; fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
free_udp() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
channels=20; members=10
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in --channels) channels=${args[$((i + 1))]} ;; --members) members=${args[$((i + 1))]} ;; esac
done
work=$(mktemp -d)
cp=bench/target/gatehouse-bench.jar
if [ "$baseline" = 1 ]; then
  udp=$(free_udp)
  "$JAVA_HOME/bin/java" -Xmx1g -cp "$cp" dev.gatehouse.bench.voice.BareRelay --port "$udp" --channels "$channels" --members "$members" \
    > "$work/relay.log" 2>&1 &
  relay=$!
  trap 'kill $relay 2>/dev/null || true; wait $relay 2>/dev/null || true; rm -rf "$work"' EXIT
  for _ in $(seq 1 100); do grep -q READY "$work/relay.log" 2>/dev/null && break; sleep 0.1; done
  "$JAVA_HOME/bin/java" -Xmx1g -cp "$cp" dev.gatehouse.bench.voice.VoiceLoad --relay "127.0.0.1:$udp" --relay-pid "$relay" "$@"
else
  port=$(free_port); tls=$(free_port); udp=$(free_udp)
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" ${GATEHOUSE_JAVA_OPTS:--Xmx2g} --enable-native-access=ALL-UNNAMED -jar server/target/gatehouse.jar serve \
    --host 127.0.0.1 --port "$port" --tls-port "$tls" --voice-udp-port "$udp" --no-rate-limits --no-identify-limits \
    --data-dir "$work" > "$work/server.log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
  for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  "$JAVA_HOME/bin/java" -Xmx1g -cp "$cp" dev.gatehouse.bench.voice.VoiceLoad --url "http://127.0.0.1:$port" \
    --cert "$work/tls/gatehouse-dev.crt" --relay-pid "$server" "$@"
fi
