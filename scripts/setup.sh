#!/usr/bin/env bash
# Idempotent set-up shared by `npm start` and `npm test`: Debian packages, npm
# dependencies, TypeScript build and the native addon. Fast when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
  echo "berth: set-up must run as root (containers need it)" >&2
  exit 1
fi

# Debian packages the engine and its tests use.
packages=(runc conmon busybox-static iproute2 nftables tini docker-registry skopeo apache2-utils git libzstd-dev zstd)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "berth: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi

# npm dependencies, reinstalled only when the lock file changes.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.berth-lock-hash ] || [ "$(cat node_modules/.berth-lock-hash)" != "$lock_hash" ]; then
  echo "berth: installing npm dependencies" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$lock_hash" > node_modules/.berth-lock-hash
fi

# Build: TypeScript (incremental) and the N-API addon when its sources changed.
npx tsc -p tsconfig.json
# The CLI is also bundled into one file: it starts ~7 ms faster than resolving
# dozens of modules, which matters for a command run per keystroke of a script.
npx esbuild src/cli/main.ts --bundle --platform=node --target=node20 --format=cjs --outfile=dist/berth-cli.js --log-level=warning
if [ -f native/binding.gyp ]; then
  addon=native/build/Release/berth_native.node
  if [ ! -f "$addon" ] || [ -n "$(find native -path native/build -prune -o -newer "$addon" -type f -print | head -1)" ]; then
    echo "berth: building native addon" >&2
    npx node-gyp rebuild --directory native >/dev/null
  fi
fi
