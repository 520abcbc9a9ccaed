#!/usr/bin/env bash
# Runs the pinned pnpm (the `packageManager` field), installing it into .tools/
# on first use, so a machine with only Node 20 and npm needs nothing else.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="$(node -p "require('$root/package.json').packageManager.split('@')[1]")"
bin="$root/.tools/node_modules/.bin"
if [ ! -x "$bin/pnpm" ] || [ "$("$bin/pnpm" --version)" != "$version" ]; then
  npm install --silent --no-save --prefix "$root/.tools" "pnpm@$version" >&2
fi
export PATH="$bin:$PATH"
export TURBO_TELEMETRY_DISABLED=1
export ONNXRUNTIME_NODE_INSTALL_CUDA=skip
exec pnpm "$@"
