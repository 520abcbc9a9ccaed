import { describe, expect, it } from 'vitest';
import { checkSpec } from './check-spec.js';
import { ji2020Preset } from './ji2020-preset.js';
import { PRESET_NAMES, preset, withEncoder } from './presets.js';
import { resolveSpec } from './resolve-spec.js';
import { twoPhasePreset } from './two-phase-preset.js';
import { negativeSamplingOf } from '../training/samplers.js';

describe('ji2020 and twophase presets', () => {
  it('are known by name', () => {
    expect(PRESET_NAMES).toEqual(['spert', 'dixit', 'ji2020', 'twophase', 'stsn']);
    expect(preset('ji2020')).toEqual(ji2020Preset());
    expect(preset('twophase')).toEqual(twoPhasePreset());
  });

  it('ji2020 carries the paper\'s settings (sections 3.4, 4.2): batch 8, dropout 0.2, width 50, 30 x gold negatives, 0.4 L_s + 0.6 L_r', () => {
    const spec = ji2020Preset();
    checkSpec(spec);
    expect(spec.training.batchSize).toBe(8);
    expect(spec.training.sampling).toEqual({ strategy: 'ratio', ratio: 30, maxWidth: 10 });
    expect(spec.training.loss).toEqual({ kind: 'weighted-sum', entityWeight: 0.4, relationWeight: 0.6 });
    expect(spec.training.lossReduction).toBe('mean');
    expect(spec.spanHead).toMatchObject({ name: 'ji2020-span-head.v1', config: { widthDim: 50, dropout: 0.2, attention: 'multi-head', numHeads: 8, spanSpecific: true, sentenceLevel: true } });
    expect(spec.entityClassifier.config.dropout).toBe(0.2);
    expect(spec.relationHead).toMatchObject({ name: 'ji2020-relation-head.v1', config: { dropout: 0.2, attention: 'multi-head', relationActivation: 'sigmoid', threshold: 0.4, local: true, sentenceLevel: true } });
    expect(spec.maxSpanWidth).toBe(10);
  });

  it('twophase carries the paper\'s settings (sections 3, 4.2): two-phase components, SpERT sampling, Eq. 16 loss, 120 epochs, weight decay 1e-2', () => {
    const spec = twoPhasePreset();
    checkSpec(spec);
    expect(spec.training.loss).toEqual({ kind: 'two-phase' });
    expect(spec.training.sampling).toEqual({ strategy: 'spert', negativeEntities: 100, negativeRelations: 100, maxWidth: 10 });
    expect(spec.training.epochs).toBe(120);
    expect(spec.training.optimizer.weightDecay).toBe(0.01);
    expect(spec.spanHead).toMatchObject({ name: 'two-phase-span-head.v1', config: { gated: true, useCls: true } });
    expect(spec.entityClassifier).toMatchObject({ name: 'two-phase-entity-classifier.v1', config: { twoPhase: true } });
    expect(spec.relationHead).toMatchObject({
      name: 'two-phase-relation-head.v1',
      config: { numEntityTypes: 'auto', twoPhase: true, gated: true, biFeatures: true, multiFeatures: true, maxDistance: 10 },
    });
  });

  it('bert:<model> restores the papers\' peak lr 5e-5; the BiLSTM default is 1e-3', () => {
    for (const name of ['ji2020', 'twophase']) {
      expect(preset(name).training.optimizer.lr).toMatchObject({ kind: 'linear-warmup-decay', peakLr: 1e-3 });
      expect(withEncoder(preset(name), 'bert:bert-base-cased').training.optimizer.lr).toMatchObject({ peakLr: 5e-5 });
    }
    expect(withEncoder(preset('dixit'), 'bert:x').training.optimizer.lr).toEqual(preset('dixit').training.optimizer.lr);
    // spert with the BiLSTM learns faster at 3e-3 (see spertPreset); BERT gets the paper's 5e-5 back.
    expect(preset('spert').training.optimizer.lr).toMatchObject({ kind: 'linear-warmup-decay', peakLr: 3e-3, warmupProportion: 0.1 });
    expect(withEncoder(preset('spert'), 'bert:x').training.optimizer.lr).toMatchObject({ peakLr: 5e-5 });
  });

  it('checks the ratio sampling and the loss fields, naming them', () => {
    const bad = () =>
      resolveSpec('ji2020', {
        source: 'ji.json',
        overrides: { training: { sampling: { ratio: -1, negativeEntities: 3 }, loss: { entityWeight: 'x' } } },
      });
    expect(bad).toThrow(/^ji\.json: /);
    expect(bad).toThrow(/training\.sampling\.ratio must be an integer >= 0, got -1/);
    expect(bad).toThrow(/training\.sampling\.negativeEntities is not a known field/);
    expect(bad).toThrow(/training\.loss\.entityWeight must be a number in \[0, Infinity\], got "x"/);
    expect(() => resolveSpec('twophase', { overrides: { training: { loss: { kind: 'focal' } } } })).toThrow(/training\.loss\.kind must be one of "weighted-sum", "two-phase", "stsn", got "focal"/);
    expect(() => resolveSpec('twophase', { overrides: { training: { loss: { kind: 'two-phase', entityWeight: 1 } } } })).toThrow(/training\.loss\.entityWeight is not a known field/);
    // A spec without training.loss (saved before the field existed) still passes.
    const old = ji2020Preset() as { training: { loss?: unknown } };
    delete old.training.loss;
    expect(() => checkSpec(old)).not.toThrow();
  });

  it('negativeSamplingOf gives the datasets options of a preset (for statistics), null for all-spans', () => {
    expect(negativeSamplingOf(ji2020Preset())).toEqual({ strategy: 'ratio', ratio: 30, maxWidth: 10 });
    expect(negativeSamplingOf(twoPhasePreset())).toEqual({ strategy: 'spert', negativeEntities: 100, negativeRelations: 100, maxWidth: 10 });
    expect(negativeSamplingOf(preset('dixit'))).toBeNull();
  });
});
