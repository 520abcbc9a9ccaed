import { fusedKernelsEnabled } from '@spanrel/tensor-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../command.js';
import { startBackend } from '../model-runtime.js';
import { specFromFlags } from './train.js';

describe('spanrel train --no-fused', () => {
  it('sets training.optimizer.fused to false, next to --epochs, and leaves it unset otherwise', () => {
    const spec = specFromFlags({ preset: 'spert', epochs: '3', 'no-fused': true });
    expect(spec.training.optimizer.fused).toBe(false);
    expect(spec.training.epochs).toBe(3);
    expect(spec.training.optimizer.weightDecay).toBe(specFromFlags({ preset: 'spert' }).training.optimizer.weightDecay);
    expect(specFromFlags({ preset: 'spert' }).training.optimizer.fused).toBeUndefined();
  });

  afterAll(async () => {
    await startBackend({ backend: 'cpu' }, { out: () => {}, err: () => {} });
  });

  it("turns tensor-core's fused kernels off for the run, and a command without it turns them back on", async () => {
    const lines: string[] = [];
    const io = { out: () => {}, err: (line: string) => lines.push(line) } satisfies CliIO;
    await startBackend({ backend: 'cpu', 'no-fused': true }, io);
    expect(fusedKernelsEnabled()).toBe(false);
    expect(lines.join('\n')).toMatch(/fused kernels off \(op-by-op path\)/);
    await startBackend({ backend: 'cpu' }, io);
    expect(fusedKernelsEnabled()).toBe(true);
  });
});
