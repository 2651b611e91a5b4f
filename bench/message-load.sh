#!/usr/bin/env bash
# Measures POST /api/v10/channels/{id}/messages on a fresh server, on H2 or PostgreSQL:
#   bench/message-load.sh h2|postgresql [MessageLoad options, e.g. --concurrency 32 --seconds 30]
# Starts the server on a free port with rate limits off (the load would otherwise measure the
# limiter), runs the load from a second JVM, prints the JSON result and stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-h2}; shift || true
export JAVA_HOME; JAVA_HOME=$(./gatehouse java-home)
[ -f server/target/gatehouse.jar ] && [ -f bench/target/gatehouse-bench.jar ] || ./mvnw -B -q -DskipTests package
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
work=$(mktemp -d)
args=(serve --host 127.0.0.1 --port "$port" --no-rate-limits --data-dir "$work")
if [ "$db" = postgresql ]; then
  schema="bench_$(date +%s)"
  args+=(--database-url jdbc:postgresql://127.0.0.1:5432/test --database-user postgres --database-schema "$schema")
fi
"$JAVA_HOME/bin/java" ${GATEHOUSE_JAVA_OPTS:--Xmx1g} -jar server/target/gatehouse.jar "${args[@]}" > "$work/server.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true
  if [ "$db" = postgresql ]; then psql -q -h 127.0.0.1 -U postgres test -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
"$JAVA_HOME/bin/java" -jar bench/target/gatehouse-bench.jar --url "http://127.0.0.1:$port" --label "$db" "$@"
