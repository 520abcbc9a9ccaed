import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BEST_MODEL_DIR } from '../training/train.js';
import { MODEL_CONFIG_FILE } from './model-files.js';

/** A model folder itself, or the output folder of `spanrel train` holding one in `model/` (what `spanrel predict --model` and `spanrel serve --model` take). */
export function resolveModelFolder(dir: string): string {
  if (existsSync(join(dir, MODEL_CONFIG_FILE))) return dir;
  if (existsSync(join(dir, BEST_MODEL_DIR, MODEL_CONFIG_FILE))) return join(dir, BEST_MODEL_DIR);
  throw new Error(`${dir}: not a model folder (no ${MODEL_CONFIG_FILE}, nor ${join(BEST_MODEL_DIR, MODEL_CONFIG_FILE)})`);
}
