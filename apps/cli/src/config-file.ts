import { readFileSync } from 'node:fs';
import { parseJsonText } from '@spanrel/datasets';

/** The JSON object of a `--config` file ({} when no path is given); errors name the file. */
export function readConfigFile(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read the config (${(e as Error).message})`);
  }
  const parsed = parseJsonText(text, path);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${path}: the config must be a JSON object`);
  return parsed as Record<string, unknown>;
}
