import { describe, expect, it } from 'vitest';
import { specFromFlags } from './train.js';

describe('spanrel train --no-fused', () => {
  it('sets training.optimizer.fused to false, next to --epochs, and leaves it unset otherwise', () => {
    const spec = specFromFlags({ preset: 'spert', epochs: '3', 'no-fused': true });
    expect(spec.training.optimizer.fused).toBe(false);
    expect(spec.training.epochs).toBe(3);
    expect(spec.training.optimizer.weightDecay).toBe(specFromFlags({ preset: 'spert' }).training.optimizer.weightDecay);
    expect(specFromFlags({ preset: 'spert' }).training.optimizer.fused).toBeUndefined();
  });
});
