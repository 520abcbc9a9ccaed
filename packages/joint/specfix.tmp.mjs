// Writes, into each copied run folder, the spec `spanrel compare` resolves from the config, after checking it is the same spec (key order aside).
import { readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
const joint = await import('@spanrel/joint');
const dir = process.argv[2];
const cfg = JSON.parse(readFileSync(`${dir}/compare-config.json`, 'utf8'));
for (const name of process.argv.slice(3)) {
  const spec = joint.variantSpec(name, { overrides: cfg[name], source: 'x' });
  const statePath = `${dir}/${name}/checkpoint/trainer-state.json`;
  const state = JSON.parse(readFileSync(statePath, 'utf8'));
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(spec)), state.spec)) throw new Error(`${name}: specs differ`);
  state.spec = spec;
  writeFileSync(statePath, JSON.stringify(state));
  writeFileSync(`${dir}/${name}/run.json`, JSON.stringify(spec, null, 2));
  console.log(name, 'ok');
}
