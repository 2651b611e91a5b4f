#!/usr/bin/env bash
# Gateway load on a cluster: N nodes (serve --cluster) over a fresh PostgreSQL schema and a NATS
# server of this run's own, behind a TCP balancer (bench TcpBalancer) that the nodes name as their
# public URL, so a client that resumes goes through it as through any load balancer. HTTP rate
# limits and identify limits are off, as for every load program.
#   bench/cluster-load.sh [--nodes N] [--drain] [GatewayLoad options, e.g. --sessions 5000 --processes 2 --messages 60 --rate 6 --out r.json]
# Sessions are spread over the nodes by the balancer. With --drain they all connect to node 1 and
# node 1 gets SIGTERM halfway through the messages: the report's "drain" says how many sessions
# moved and how long until all had resumed on the others. Needs PostgreSQL on 127.0.0.1:5432 (user
# postgres, database test, as the tests use) and nats-server; GATEHOUSE_JAVA_OPTS sets the nodes'
# JVM options (default -Xmx1g); GATEHOUSE_BENCH_LOGS=dir keeps the nodes' and the balancer's logs.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME; JAVA_HOME=$(./gatehouse java-home)
[ -f server/target/gatehouse.jar ] && [ -f bench/target/gatehouse-bench.jar ] || ./mvnw -B -q -DskipTests package
nodes=2; drain=0; rest=()
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes=$2; shift 2 ;;
    --drain) drain=1; shift ;;
    *) rest+=("$1"); shift ;;
  esac
done
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work=$(mktemp -d)
schema="gh_bench_$(date +%s)_$$"
pids=()
nats_pid=
cleanup() {
  # the nodes drain into NATS when stopped: NATS goes last
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ -n "$nats_pid" ]; then kill "$nats_pid" 2>/dev/null || true; wait "$nats_pid" 2>/dev/null || true; fi
  if [ -n "${GATEHOUSE_BENCH_LOGS:-}" ]; then mkdir -p "$GATEHOUSE_BENCH_LOGS" && cp "$work"/*.log "$GATEHOUSE_BENCH_LOGS"/; fi
  psql -h 127.0.0.1 -U postgres -d test -q -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
nats_port=$(free_port)
nats-server -a 127.0.0.1 -p "$nats_port" -js -sd "$work/nats" > "$work/nats.log" 2>&1 &
nats_pid=$!
balancer=$(free_port)
backends=(); node_pids=(); node_urls=()
for i in $(seq 1 "$nodes"); do
  port=$(free_port)
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" ${GATEHOUSE_JAVA_OPTS:--Xmx1g} --enable-native-access=ALL-UNNAMED -jar server/target/gatehouse.jar serve \
    --host 127.0.0.1 --port "$port" --public-url "http://127.0.0.1:$balancer" --no-tls --no-voice --no-rate-limits \
    --no-identify-limits --cluster "nats://127.0.0.1:$nats_port" --node-name "bench-$i" \
    --database-url jdbc:postgresql://127.0.0.1:5432/test --database-user postgres --database-schema "$schema" \
    > "$work/node-$i.log" 2>&1 &
  pids+=($!); node_pids+=($!); node_urls+=("http://127.0.0.1:$port"); backends+=("127.0.0.1:$port")
  # one at a time: the first migrates the schema
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
done
# two balancer processes on one port (SO_REUSEPORT): a connection costs the balancer two files,
# and a process may open 20,000 here, so one balancer would refuse a storm of 10,000 sessions
for b in 1 2; do
  "$JAVA_HOME/bin/java" -Xmx256m --enable-native-access=ALL-UNNAMED -cp bench/target/gatehouse-bench.jar \
    dev.gatehouse.bench.cluster.TcpBalancer "$balancer" "${backends[@]}" > "$work/balancer-$b.log" 2>&1 &
  pids+=($!)
done
sleep 1
args=(--url "http://127.0.0.1:$balancer" --jcmd "$JAVA_HOME/bin/jcmd")
if [ "$nodes" = 1 ] || [ "$drain" = 1 ]; then
  args+=(--server-pid "${node_pids[0]}") # memory per session: of the node that holds them all
fi
if [ "$drain" = 1 ]; then
  args+=(--ws "${node_urls[0]/http/ws}" --drain-pid "${node_pids[0]}" --drain-url "${node_urls[0]}")
fi
"$JAVA_HOME/bin/java" -Xmx1g --enable-native-access=ALL-UNNAMED -cp bench/target/gatehouse-bench.jar dev.gatehouse.bench.GatewayLoad \
  "${args[@]}" "${rest[@]}"
