#!/usr/bin/env bash
# Checks that the packages work when installed the way a user installs them:
# builds the workspace, packs every package (`pnpm pack` turns `workspace:*`
# into real versions and keeps only the `files` a user gets), installs the
# tarballs with plain npm into a project OUTSIDE the repository, and runs
# examples/custom-architecture there. A broken `exports` map, a file missing
# from `files` or a dependency missing from a package.json fails it.
#
#   bash scripts/check-example.sh            # from anywhere
#   KEEP_EXAMPLE_DIR=1 bash scripts/check-example.sh   # keep the temp project to look at
#
# Needs Node >= 20, npm and the npm registry (for the third-party dependencies).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
example="$root/examples/custom-architecture"
started=$SECONDS
step() { printf '\n== [%3ds] %s\n' "$((SECONDS - started))" "$*"; }

# A fresh temp folder outside the repository, removed on exit (success or not).
tmp="$(mktemp -d "${TMPDIR:-/tmp}/spanrel-check-example.XXXXXX")"
case "$tmp/" in "$root"/*) echo "check-example: temp folder $tmp is inside the repository $root" >&2; exit 1 ;; esac
cleanup() {
  if [ -n "${KEEP_EXAMPLE_DIR:-}" ]; then echo "check-example: kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

step "build the workspace (turbo, cached)"
(cd "$root" && bash scripts/pnpm.sh build --output-logs=errors-only)

step "pack every package into $tmp/tarballs (pnpm -r pack)"
mkdir -p "$tmp/tarballs"
(cd "$root" && bash scripts/pnpm.sh -r pack --pack-destination "$tmp/tarballs" >/dev/null)
ls -l "$tmp/tarballs" | tail -n +2
# One tarball per package of the workspace, none missing.
for dir in "$root"/packages/*/ "$root"/apps/*/; do
  [ -f "$dir/package.json" ] || continue
  tarball="$(node -p "const p = require('${dir}package.json'); p.name.replace(/^@/, '').replace('/', '-') + '-' + p.version + '.tgz'")"
  [ -f "$tmp/tarballs/$tarball" ] || { echo "check-example: pnpm pack made no $tarball for $dir" >&2; exit 1; }
done
# No workspace: protocol may survive packing (npm could not resolve it).
for tarball in "$tmp"/tarballs/*.tgz; do
  if tar -xOzf "$tarball" package/package.json | grep -q '"workspace:'; then
    echo "check-example: $(basename "$tarball") still has a workspace: dependency" >&2; exit 1
  fi
done

step "copy examples/custom-architecture to $tmp/app and npm install the tarballs"
mkdir -p "$tmp/app"
(cd "$example" && tar --exclude=node_modules --exclude=dist --exclude=package-lock.json -cf - .) | (cd "$tmp/app" && tar -xf -)
(
  cd "$tmp/app"
  # onnxruntime-node comes with @huggingface/transformers (BERT encoders); never fetch its CUDA build here.
  # Also installs the example's devDependencies (typescript, @types/node).
  ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm install --no-audit --no-fund --loglevel=error \
    "$tmp"/tarballs/*.tgz @tensorflow/tfjs-core@4.22.0
)

step "check the install: every spanrel package from a tarball, one copy each, every import declared"
(
  cd "$tmp/app"
  node --input-type=module - <<'NODE'
    import { readFileSync, readdirSync } from "node:fs";
    import { builtinModules } from "node:module";
    import { join } from "node:path";
    const problems = [];

    // Installed from the tarballs, never from the registry, and not nested (one registry, one tfjs engine).
    const lock = JSON.parse(readFileSync("package-lock.json", "utf8")).packages;
    const ours = Object.entries(lock).filter(([path]) => /(^|\/)node_modules\/(@spanrel\/[^/]+|spanrel)$/.test(path));
    for (const [path, entry] of ours) {
      if (path.split("node_modules/").length > 2) problems.push(`${path}: a nested second copy`);
      if (!String(entry.resolved ?? "").startsWith("file:")) problems.push(`${path}: installed from ${entry.resolved ?? "the registry"}, not from a packed tarball`);
    }
    for (const path of Object.keys(lock)) {
      if (/node_modules\/.+\/node_modules\/@tensorflow\/tfjs-core$/.test(path)) problems.push(`${path}: a second copy of tfjs-core (backends would register on another engine)`);
    }

    // Every package a spanrel .js or .d.ts file imports is declared in that package's package.json.
    // (All tarballs sit side by side in node_modules, so an undeclared one would still resolve here,
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
    console.log(ours.map(([path, e]) => `${path.replace(/^node_modules\//, "")}@${e.version} (${e.resolved.replace(/^file:.*\//, "")})`).join("\n"));
NODE
)

step "compile the example against the packed .d.ts files (npm run build = tsc)"
(cd "$tmp/app" && npm run --silent build)

step "run the example (npm start = node dist/index.js)"
run_started=$SECONDS
(cd "$tmp/app" && npm start --silent)
echo "example ran in $((SECONDS - run_started)) s"

step "check-example passed"
