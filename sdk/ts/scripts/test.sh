#!/usr/bin/env bash
# The TypeScript SDK's checks, in order:
#   1. the generated code has not drifted: src/gen/fructus from proto/
#      (buf + protoc-gen-es, pinned in package-lock.json) and
#      src/gen/openapi.ts from openapi.json (openapi-typescript);
#   2. tsc --noEmit over src, tests and examples;
#   3. a devnet (FRUCTUS_BIN, a temporary home, free 127.0.0.1 ports) is
#      started; its /openapi.json must equal the committed openapi.json;
#   4. vitest: the conformance vectors (sdk/vectors/tx.json) and the devnet
#      tests (bank send, income claim, a TS-signed device reading seen over
#      WebSocket, parallel broadcasts, decoding without a signer).
# After a deliberate change of proto/ or of the API (a new module, route or
# message), run it once with FRUCTUS_SDK_REGEN=1: it then rewrites
# src/gen and openapi.json (from the devnet's /openapi.json) instead of
# checking them; commit the result.
# Needs `npm ci` first. Every step has a time limit.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${FRUCTUS_BIN:?set FRUCTUS_BIN to the fructus binary, e.g. \$CARGO_TARGET_DIR/debug/fructus}"
export PATH="$PWD/node_modules/.bin:$PATH"

work="$(mktemp -d)"
devnet_pid=""
cleanup() {
    if [ -n "$devnet_pid" ]; then
        kill "$devnet_pid" 2>/dev/null || true
        wait "$devnet_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${FRUCTUS_SDK_REGEN:-}" ]; then
    echo "--> regenerating src/gen/fructus from proto/ (FRUCTUS_SDK_REGEN)"
    rm -rf src/gen/fructus
    timeout 120 buf generate ../../proto --template buf.gen.yaml
fi
echo "--> generated code matches proto/ and openapi.json"
timeout 120 buf generate ../../proto --template buf.gen.yaml -o "$work/gen"
if ! diff -r src/gen/fructus "$work/gen/src/gen/fructus" >/dev/null; then
    diff -r src/gen/fructus "$work/gen/src/gen/fructus" | head -40 >&2 || true
    echo "src/gen/fructus is stale: run \`npm run gen\` and commit the result" >&2
    exit 1
fi
timeout 120 openapi-typescript openapi.json -o "$work/openapi.ts" >/dev/null 2>&1
if ! diff -q src/gen/openapi.ts "$work/openapi.ts" >/dev/null; then
    echo "src/gen/openapi.ts is stale: run \`npm run gen\` and commit the result" >&2
    exit 1
fi

echo "--> devnet on 127.0.0.1"
read -r api_port p2p_port gossip_port < <(node -e '
const net = require("node:net");
const ports = [];
const next = () => {
  if (ports.length === 3) { console.log(ports.join(" ")); return; }
  const s = net.createServer().listen(0, "127.0.0.1", () => { ports.push(s.address().port); s.close(next); });
};
next();')
home="$work/home"
"$FRUCTUS_BIN" --home "$home" --keyring-backend test devnet \
    --api-listen "127.0.0.1:$api_port" --p2p-listen "127.0.0.1:$p2p_port" \
    --gossip-listen "127.0.0.1:$gossip_port" > "$work/devnet.log" 2>&1 &
devnet_pid=$!
api="http://127.0.0.1:$api_port"
ready=""
for _ in $(seq 1 60); do
    height="$(node -e '
fetch(process.argv[1] + "/v1/status", { signal: AbortSignal.timeout(2000) })
  .then((r) => r.json()).then((s) => console.log(s.latest_height ?? 0)).catch(() => console.log(0));' "$api")"
    if [ "$height" -ge 2 ]; then
        ready=1
        break
    fi
    sleep 1
done
if [ -z "$ready" ]; then
    echo "the devnet did not reach height 2 within 60 s; its log:" >&2
    cat "$work/devnet.log" >&2
    exit 1
fi
timeout 30 node -e '
fetch(process.argv[1] + "/openapi.json", { signal: AbortSignal.timeout(10000) })
  .then((r) => r.text()).then((t) => require("node:fs").writeFileSync(process.argv[2], t));' "$api" "$work/openapi.json"
if [ -n "${FRUCTUS_SDK_REGEN:-}" ]; then
    echo "--> rewriting openapi.json and src/gen/openapi.ts from the devnet (FRUCTUS_SDK_REGEN)"
    node -e '
const fs = require("node:fs");
fs.writeFileSync(process.argv[2], JSON.stringify(JSON.parse(fs.readFileSync(process.argv[1], "utf8")), null, 4) + "\n");' \
        "$work/openapi.json" openapi.json
    timeout 120 openapi-typescript openapi.json -o src/gen/openapi.ts >/dev/null 2>&1
fi
if ! node -e '
const fs = require("node:fs");
const a = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
const b = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
require("node:assert").deepStrictEqual(a, b);' openapi.json "$work/openapi.json" 2>/dev/null; then
    echo "openapi.json differs from the node's /openapi.json: refresh it from a devnet and run \`npm run gen\`" >&2
    exit 1
fi

echo "--> tsc --noEmit (src, tests, examples)"
timeout 300 tsc --noEmit

echo "--> vitest (vectors + devnet)"
FRUCTUS_API="$api" FRUCTUS_HOME="$home" timeout 600 vitest run
