#!/usr/bin/env bash
# Installs the compatibility suite's Node packages exactly as package-lock.json pins them; run by
# the build (compat/pom.xml) before the tests, and again only when the lockfile changes.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "compat: Node.js 20+ and npm are needed for the bot library tests (discord.js, Oceanic.js)" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "compat: Node.js 20+ is needed, found $(node --version)" >&2
  exit 1
fi

stamp=node_modules/.gatehouse-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

# zlib-sync, erlpack and zstd-napi are native addons: build them against this Node's own headers
# when it ships them, rather than downloading a header bundle
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi
npm ci --no-audit --no-fund
echo "$want" > "$stamp"
