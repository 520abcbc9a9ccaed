# Sourced by scripts/check-example.sh (or by hand: see below). Starts a local npm
# registry (Verdaccio) on 127.0.0.1 only, with its storage in a folder of ours, and
# publishes every workspace package to it with `pnpm publish`, the project's release
# path: `workspace:*` ranges become versions, and `files` / `exports` are what a user
# gets. @spanrel/* and spanrel are served from that folder only (never proxied);
# every other package comes through the uplink, the npm registry npm itself uses.
# Nothing is published anywhere else: the registry, the user config and the token
# are throwaway, and the publish refuses to run unless npm and pnpm both point at
# the local registry.
#
#   source scripts/local-registry.sh
#   registry_start "$folder"      # sets REGISTRY_URL, exports npm_config_registry / npm_config_userconfig
#   registry_publish              # pnpm -r publish of the (built) workspace
#   registry_stop                 # also run by the caller's EXIT trap
#
# Verdaccio itself is installed with npm into .tools/verdaccio on first use.

VERDACCIO_VERSION=6.8.0
registry_pid=""

registry_stop() {
  if [ -n "$registry_pid" ] && kill -0 "$registry_pid" 2>/dev/null; then
    kill "$registry_pid" 2>/dev/null || true
    wait "$registry_pid" 2>/dev/null || true
  fi
  registry_pid=""
}

# registry_start FOLDER: Verdaccio with config, storage, users and log in FOLDER.
registry_start() {
  local dir="$1" root tools port uplink token
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  tools="$root/.tools/verdaccio"
  if [ "$(node -p "try { require('$tools/node_modules/verdaccio/package.json').version } catch { '' }")" != "$VERDACCIO_VERSION" ]; then
    npm install --no-audit --no-fund --loglevel=error --no-save --prefix "$tools" "verdaccio@$VERDACCIO_VERSION" >&2
  fi
  rm -rf "$dir/storage" "$dir/htpasswd"
  mkdir -p "$dir/storage"
  port="$(node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")"
  # The uplink is the registry npm is configured with (normally https://registry.npmjs.org/), read before we point npm at ours.
  uplink="$(npm config get registry)"
  cat >"$dir/config.yaml" <<YAML
storage: $dir/storage
listen: 127.0.0.1:$port
auth:
  htpasswd:
    file: $dir/htpasswd
    # a throwaway user: cheap bcrypt, as every authenticated request verifies it
    algorithm: bcrypt
    rounds: 4
uplinks:
  npm:
    url: $uplink
    timeout: 120s
    max_fails: 5
packages:
  '@spanrel/*':
    access: \$all
    publish: \$authenticated
  'spanrel':
    access: \$all
    publish: \$authenticated
  '**':
    access: \$all
    publish: \$authenticated
    proxy: npm
max_body_size: 50mb
web:
  enable: false
log: { type: stdout, format: pretty, level: warn }
YAML
  "$tools/node_modules/.bin/verdaccio" --config "$dir/config.yaml" --listen "127.0.0.1:$port" >"$dir/verdaccio.log" 2>&1 &
  registry_pid=$!
  REGISTRY_URL="http://127.0.0.1:$port/"
  # Up within 30 s, or fail with its log.
  if ! node -e "
    const until = Date.now() + 30000;
    (async () => {
      for (;;) {
        try { if ((await fetch('${REGISTRY_URL}-/ping')).ok) return; } catch {}
        if (Date.now() > until) process.exit(1);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();"; then
    echo "local-registry: Verdaccio did not start on $REGISTRY_URL" >&2; cat "$dir/verdaccio.log" >&2; return 1
  fi
  # A throwaway user on it (Verdaccio's htpasswd in $dir), whose token only this registry knows.
  token="$(node -e "
    fetch('${REGISTRY_URL}-/user/org.couchdb.user:ci', {
      method: 'PUT', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ci', password: require('node:crypto').randomUUID() }),
    }).then(async (r) => { const b = await r.json(); if (!b.token) throw new Error(r.status + ' ' + JSON.stringify(b)); console.log(b.token); });")"
  printf 'registry=%s\n//127.0.0.1:%s/:_authToken=%s\n' "$REGISTRY_URL" "$port" "$token" >"$dir/npmrc"
  # Every npm / pnpm from here on (this shell and its children) uses the local registry and this user config only.
  export npm_config_userconfig="$dir/npmrc"
  export npm_config_registry="$REGISTRY_URL"
  export REGISTRY_URL
}

# registry_publish LOGDIR: every non-private workspace package (built already) to the
# local registry, one `pnpm publish` per package, all at once; then checks the registry
# serves each name@version, and drops the token (installs need none).
registry_publish() {
  local logs="$1" root npm_registry pnpm_registry dir name failed=0
  local -a pids=() names=()
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  npm_registry="$(npm config get registry)"
  pnpm_registry="$(cd "$root" && bash scripts/pnpm.sh config get registry)"
  if [ "$npm_registry" != "$REGISTRY_URL" ] || [ "$pnpm_registry" != "$REGISTRY_URL" ]; then
    echo "local-registry: refusing to publish: npm points at $npm_registry and pnpm at $pnpm_registry, not $REGISTRY_URL" >&2
    return 1
  fi
  mkdir -p "$logs"
  for dir in "$root"/packages/*/ "$root"/apps/*/; do
    [ -f "$dir/package.json" ] || continue
    [ "$(node -p "require('${dir}package.json').private === true")" = true ] && continue
    name="$(node -p "require('${dir}package.json').name")"
    (cd "$dir" && bash "$root/scripts/pnpm.sh" publish --registry "$REGISTRY_URL" --no-git-checks --access public) >"$logs/${name//\//+}.log" 2>&1 &
    pids+=($!)
    names+=("$name")
  done
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
      echo "local-registry: pnpm publish of ${names[$i]} failed:" >&2; cat "$logs/${names[$i]//\//+}.log" >&2; failed=1
    fi
  done
  [ "$failed" = 0 ] || return 1
  node -e "
    const names = process.argv.slice(1);
    (async () => {
      for (const name of names) {
        const version = require('$root/' + (name === 'spanrel' ? 'apps/cli' : 'packages/' + name.split('/')[1]) + '/package.json').version;
        const r = await fetch('$REGISTRY_URL' + name.replace('/', '%2f'));
        const doc = r.ok ? await r.json() : {};
        if (!doc.versions?.[version]) { console.error('local-registry: ' + name + '@' + version + ' is not on the local registry'); process.exit(1); }
        console.log('  published ' + name + '@' + version);
      }
    })();" "${names[@]}"
  printf 'registry=%s\n' "$REGISTRY_URL" >"$npm_config_userconfig"
}
