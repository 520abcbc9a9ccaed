#!/usr/bin/env bash
# Checks that the packages work when installed the way a user installs them:
# builds the workspace, starts a local npm registry (Verdaccio, on 127.0.0.1 only,
# see scripts/local-registry.sh), publishes every package to it with `pnpm publish`
# (`workspace:*` ranges become versions; only the `files` a package publishes, through
# its `exports`), then, with plain npm and BY NAME from that registry:
#
#  1. installs each package ALONE into an empty folder and checks it against its
#     install-size budget (scripts/install-sizes.mjs prints the table package ->
#     node_modules size): the heads pull no onnxruntime / transformers.js / sharp and
#     stay under 100 MB, @spanrel/datasets and @spanrel/eval under 1 MB, @spanrel/report
#     (Vega charts) under 60 MB; and checks
#     that @spanrel/encoders without transformers.js imports fine and that a BERT
#     encoder then says which package to install;
#  2. installs examples/custom-architecture's packages into a copy of it OUTSIDE the
#     repository, checks the install (every spanrel package from the local registry,
#     one copy each, every import declared), compiles it against the published .d.ts
#     files and runs it;
#  3. bundles what examples/browser's page imports from those installed packages with
#     esbuild for the browser (their `browser` export condition: no Node built-in).
#
#   bash scripts/check-example.sh            # from anywhere
#   KEEP_EXAMPLE_DIR=1 bash scripts/check-example.sh   # keep the temp folder to look at
#
# Needs Node >= 20, npm and the npm registry (Verdaccio's uplink for third-party
# packages, and npm to install Verdaccio into .tools/verdaccio on first use).
# Downloads go through the shared npm cache (NPM_CONFIG_CACHE, default npm's own).
set -euo pipefail
unset NODE_PATH # (pnpm exec sets it) nothing may resolve from the workspace's node_modules
root="$(cd "$(dirname "$0")/.." && pwd)"
example="$root/examples/custom-architecture"
started=$SECONDS
step() { printf '\n== [%3ds] %s\n' "$((SECONDS - started))" "$*"; }

# A fresh temp folder outside the repository, removed on exit (success or not);
# the registry is stopped on exit too.
tmp="$(mktemp -d "${TMPDIR:-/tmp}/spanrel-check-example.XXXXXX")"
case "$tmp/" in "$root"/*) echo "check-example: temp folder $tmp is inside the repository $root" >&2; exit 1 ;; esac
# shellcheck source=scripts/local-registry.sh
source "$root/scripts/local-registry.sh"
cleanup() {
  registry_stop
  if [ -n "${KEEP_EXAMPLE_DIR:-}" ]; then echo "check-example: kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The npm cache every install below shares (read before npm is pointed at the local registry).
npm_cache="${NPM_CONFIG_CACHE:-$(npm config get cache)}"
# onnxruntime-node comes with @huggingface/transformers (the CLI); never fetch its CUDA build here.
export ONNXRUNTIME_NODE_INSTALL_CUDA=skip
npm_install() { npm install --no-audit --no-fund --loglevel=error --cache "$npm_cache" "$@"; }

# Every package of the workspace: name and version.
packages=()
for dir in "$root"/packages/*/ "$root"/apps/*/; do
  [ -f "$dir/package.json" ] || continue
  packages+=("$(node -p "const p = require('${dir}package.json'); p.name + '@' + p.version")")
done

step "build the workspace (turbo, cached)"
(cd "$root" && bash scripts/pnpm.sh build --output-logs=errors-only)

step "start a local npm registry (Verdaccio $VERDACCIO_VERSION on 127.0.0.1)"
registry_start "$tmp/registry"
echo "registry $REGISTRY_URL (uplink for third-party packages: the npm registry)"

step "publish every package to it (pnpm publish, one per package, in parallel)"
registry_publish "$tmp/registry/publish-logs"
# Nothing published may keep the workspace: protocol (npm could not resolve it).
node -e "
  (async () => {
    for (const spec of process.argv.slice(1)) {
      const at = spec.lastIndexOf('@');
      const doc = await (await fetch(process.env.REGISTRY_URL + spec.slice(0, at).replace('/', '%2f'))).json();
      const manifest = doc.versions[spec.slice(at + 1)];
      const ranges = ['dependencies', 'peerDependencies', 'optionalDependencies'].flatMap((f) => Object.values(manifest[f] ?? {}));
      if (ranges.some((r) => r.startsWith('workspace:'))) { console.error('check-example: ' + spec + ' was published with a workspace: dependency'); process.exit(1); }
    }
  })();" "${packages[@]}"

step "npm install each package alone into an empty folder, and the example's packages into a copy of it (in parallel)"
mkdir -p "$tmp/alone" "$tmp/app"
pids=()
logs=()
for spec in "${packages[@]}"; do
  name="${spec%@*}"
  dir="$tmp/alone/$(node -p "'$name'.replace(/^@/, '').replace('/', '+')")"
  mkdir -p "$dir"
  echo '{ "name": "install-size-probe", "version": "0.0.0", "private": true }' >"$dir/package.json"
  (cd "$dir" && npm_install "$spec") >"$dir.log" 2>&1 &
  pids+=($!)
  logs+=("$dir.log")
done
(cd "$example" && tar --exclude=node_modules --exclude=dist --exclude=package-lock.json -cf - .) | (cd "$tmp/app" && tar -xf -)
# By name from the local registry, as a user would (plus the example's devDependencies: typescript, @types/node).
(cd "$tmp/app" && npm_install "${packages[@]}" @tensorflow/tfjs-core@4.22.0) >"$tmp/app.log" 2>&1 &
pids+=($!)
logs+=("$tmp/app.log")
failed=0
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then echo "check-example: npm install failed ($(basename "${logs[$i]}")):" >&2; cat "${logs[$i]}" >&2; failed=1; fi
done
[ "$failed" = 0 ] || exit 1

step "install sizes: each package installed alone (node_modules, du)"
node "$root/scripts/install-sizes.mjs" "$tmp/alone"

step "@spanrel/encoders without transformers.js: imports fine, a BERT encoder says what to install"
cp -r "$root/packages/encoders/fixtures/tiny-bert" "$tmp/tiny-bert"
(
  cd "$tmp/alone/spanrel+encoders"
  node --input-type=module - "$tmp/tiny-bert" <<'NODE'
    import assert from 'node:assert/strict';
    import { existsSync } from 'node:fs';
    const { BertEncoder, BiLstmCharCnnEncoder, TRANSFORMERS_MISSING } = await import('@spanrel/encoders');
    assert.equal(typeof BiLstmCharCnnEncoder, 'function');
    assert.ok(!existsSync('node_modules/@huggingface/transformers'), 'transformers.js was installed');
    assert.throws(() => new BertEncoder({ model: process.argv[2] }), (e) => {
      assert.equal(e.code, TRANSFORMERS_MISSING, e.stack);
      assert.match(e.message, /npm install @huggingface\/transformers@/);
      console.log(`new BertEncoder(...) -> ${e.message}`);
      return true;
    });
NODE
)

step "check the example's install: every spanrel package from the local registry, one copy each, every import declared"
(
  cd "$tmp/app"
  node --input-type=module - "$REGISTRY_URL" <<'NODE'
    import { readFileSync, readdirSync } from "node:fs";
    import { builtinModules } from "node:module";
    import { join } from "node:path";
    const registry = process.argv[2];
    const problems = [];

    // Installed by name from the local registry, and not nested (one registry, one tfjs engine).
    const lock = JSON.parse(readFileSync("package-lock.json", "utf8")).packages;
    const ours = Object.entries(lock).filter(([path]) => /(^|\/)node_modules\/(@spanrel\/[^/]+|spanrel)$/.test(path));
    for (const [path, entry] of ours) {
      if (path.split("node_modules/").length > 2) problems.push(`${path}: a nested second copy`);
      if (!String(entry.resolved ?? "").startsWith(registry)) problems.push(`${path}: installed from ${entry.resolved ?? "?"}, not from the local registry ${registry}`);
    }
    if (ours.length < 8) problems.push(`only ${ours.length} spanrel packages installed`);
    for (const path of Object.keys(lock)) {
      if (/node_modules\/.+\/node_modules\/@tensorflow\/tfjs-core$/.test(path)) problems.push(`${path}: a second copy of tfjs-core (backends would register on another engine)`);
    }

    // Every package a spanrel .js or .d.ts file imports is declared in that package's package.json.
    // (All packages sit side by side in node_modules, so an undeclared one would still resolve here,
    // but not in a project that installs only some of them.)
    const builtins = new Set(builtinModules);
    const specifier = /(?<![\w$.'"])(?:from|import|require)\s*\(?\s*(["'])((?:@[\w.-]+\/)?[\w][\w.-]*(?:\/[^"'\s]*)?)\1/g;
    for (const [path] of ours) {
      const pkg = JSON.parse(readFileSync(join(path, "package.json"), "utf8"));
      const declared = new Set([pkg.name, ...["dependencies", "peerDependencies", "optionalDependencies"].flatMap((f) => Object.keys(pkg[f] ?? {}))]);
      for (const file of readdirSync(join(path, "dist"), { recursive: true })) {
        if (!/\.(m?js|d\.m?ts)$/.test(file)) continue;
        for (const [, , spec] of readFileSync(join(path, "dist", file), "utf8").matchAll(specifier)) {
          const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
          if (spec.startsWith("node:") || builtins.has(name) || declared.has(name)) continue;
          problems.push(`${pkg.name}: dist/${file} imports "${spec}", which its package.json does not declare`);
        }
      }
    }

    if (problems.length > 0) { console.error(problems.join("\n")); process.exit(1); }
    console.log(ours.map(([path, e]) => `${path.replace(/^node_modules\//, "")}@${e.version} (${e.resolved})`).join("\n"));
NODE
)

step "compile the example against the published .d.ts files (npm run build = tsc)"
(cd "$tmp/app" && npm run --silent build)

step "run the example (npm start = node dist/index.js)"
run_started=$SECONDS
(cd "$tmp/app" && npm start --silent)
echo "example ran in $((SECONDS - run_started)) s"

step "bundle the installed packages for a browser (esbuild, platform browser: a Node built-in on the inference path fails)"
(
  cd "$tmp/app"
  # The calls examples/browser's page makes, from the packages as installed (their "browser" export condition).
  printf '%s\n' "import { loadModelFromUrl, splitSentences } from '@spanrel/joint';" "import { initBrowserBackend } from '@spanrel/tensor-core';" \
    "console.log(loadModelFromUrl, splitSentences, initBrowserBackend);" >browser-entry.mjs
  node --input-type=module - "$root/examples/browser/node_modules/esbuild/lib/main.js" <<'NODE'
    import { pathToFileURL } from "node:url";
    const esbuild = await import(pathToFileURL(process.argv[2]).href);
    const result = await esbuild.build({ entryPoints: ["browser-entry.mjs"], bundle: true, platform: "browser", format: "esm", write: false, metafile: true, logLevel: "error" })
      .catch((e) => { console.error("check-example: the published packages do not bundle for a browser"); process.exit(1); });
    const inputs = Object.keys(result.metafile.inputs);
    for (const entry of ["node_modules/@spanrel/joint/dist/browser.js", "node_modules/@spanrel/tensor-core/dist/browser.js"]) {
      if (!inputs.includes(entry)) { console.error(`check-example: the browser bundle does not come from ${entry}`); process.exit(1); }
    }
    // The BERT encoder is in that bundle, but transformers.js (an optional peer) is the page's to bring.
    const heavy = inputs.filter((input) => /@huggingface\/transformers|onnxruntime/.test(input));
    if (heavy.length > 0) { console.error(`check-example: the browser bundle pulls in ${heavy.join(", ")}`); process.exit(1); }
    console.log(`bundled for the browser: ${inputs.length} files, ${Math.round(result.outputFiles[0].contents.length / 1024)} KiB`);
NODE
)

step "check-example passed"
