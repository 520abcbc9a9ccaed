import { describe, expect, it } from 'vitest';
import { checkSpec } from './check-spec.js';
import { dixitPreset, spertPreset, withEncoder } from './presets.js';
import { mergeSpec, resolveSpec } from './resolve-spec.js';

describe('presets', () => {
  it('carry the papers\' hyper-parameters and pass the checks', () => {
    const spert = spertPreset();
    checkSpec(spert);
    expect(spert.training.batchSize).toBe(2);
    expect(spert.training.epochs).toBe(20);
    expect(spert.training.sampling).toEqual({ strategy: 'spert', negativeEntities: 100, negativeRelations: 100, maxWidth: 10 });
    expect(spert.relationHead.config.threshold).toBe(0.4);
    expect(spert.spanHead.config.widthDim).toBe(25);
    expect(spert.training.clipNorm).toBe(1);
    const dixit = dixitPreset();
    checkSpec(dixit);
    expect(dixit.training.batchSize).toBe(1);
    expect(dixit.training.earlyStoppingPatience).toBe(20);
    expect(dixit.training.optimizer.lr).toEqual({ kind: 'step-decay', lr: 1e-3, factor: 0.99, every: 100 });
    expect(dixit.spanHead.config.widthDim).toBe(20);
    expect(dixit.maxSpanWidth).toBe(10);
  });

  it('bert:<model> switches the encoder and, for SpERT, the peak lr back to 5e-5', () => {
    const spec = withEncoder(spertPreset(), 'bert:bert-base-cased');
    expect(spec.encoder.name).toBe('bert-encoder.v1');
    expect(spec.encoder.config.model).toBe('bert-base-cased');
    expect(spec.training.optimizer.lr).toMatchObject({ kind: 'linear-warmup-decay', peakLr: 5e-5 });
    expect(() => withEncoder(spertPreset(), 'gpt')).toThrow(/unknown encoder "gpt"/);
  });
});

describe('mergeSpec', () => {
  it('merges objects key by key and replaces arrays and scalars', () => {
    expect(mergeSpec({ a: { b: 1, c: [1, 2] }, d: 2 }, { a: { c: [3] }, d: null })).toEqual({ a: { b: 1, c: [3] }, d: null });
  });

  it('takes the override config alone when a component is renamed', () => {
    const base = { spanHead: { name: 'x.v1', config: { widthDim: 25, useCls: true } } };
    expect(mergeSpec(base, { spanHead: { name: 'y.v1', config: { other: 1 } } })).toEqual({ spanHead: { name: 'y.v1', config: { other: 1 } } });
    expect(mergeSpec(base, { spanHead: { config: { widthDim: 3 } } })).toEqual({ spanHead: { name: 'x.v1', config: { widthDim: 3, useCls: true } } });
  });
});

describe('resolveSpec', () => {
  it('lays a config over the preset', () => {
    const spec = resolveSpec('dixit', { overrides: { training: { epochs: 3 }, encoder: { config: { lstmLayers: 1 } } } });
    expect(spec.training.epochs).toBe(3);
    expect(spec.training.batchSize).toBe(1);
    expect(spec.encoder.config.lstmLayers).toBe(1);
    expect(spec.encoder.config.lstmHiddenDim).toBe(200);
  });

  it('accepts the preset and the encoder short form inside the config', () => {
    const spec = resolveSpec(undefined, { overrides: { preset: 'spert', encoder: 'bert:/models/tiny' } });
    expect(spec.preset).toBe('spert');
    expect(spec.encoder.config.model).toBe('/models/tiny');
  });

  it('names the file and every bad field', () => {
    const bad = () =>
      resolveSpec('spert', {
        source: 'my.json',
        overrides: { training: { batchSize: 0, epoch: 3, sampling: { negativeEntities: -1 } }, maxKeptSpans: 'all' },
      });
    expect(bad).toThrow(/^my\.json: /);
    expect(bad).toThrow(/training\.batchSize must be an integer >= 1, got 0/);
    expect(bad).toThrow(/training\.epoch is not a known field/);
    expect(bad).toThrow(/training\.sampling\.negativeEntities must be an integer >= 0, got -1/);
    expect(bad).toThrow(/maxKeptSpans must be an integer >= 1 or null, got "all"/);
    expect(() => resolveSpec('crf')).toThrow(/unknown preset "crf"; known: spert, dixit/);
    expect(() => resolveSpec('spert', { overrides: { preset: 'dixit' } })).toThrow(/"preset" is "dixit" but the preset asked for is "spert"/);
  });
});
