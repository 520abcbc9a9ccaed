import * as tf from '@tensorflow/tfjs-core';
import { Rng, checkGradients, expectNoLeak, initBackend, registry } from '@spanrel/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinearEntityClassifier, entityCrossEntropy, spansToTensor } from '../index.js';
import { disposeEncoding, fakeEncoding, maxAbsDiff, randomSpans } from '../test-support.js';
import { STSN_HYPERPARAMETERS, StsnSpanHead, StsnTagger, StsnTokenInteraction, stsnJointLoss, tagCrossEntropy } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('StsnSpanHead ("stsn-span-head.v1")', () => {
  const lengths = [8, 5];
  const dim = 4; // D of the decoder view
  const fake = fakeEncoding(lengths, dim, 1);
  const spanLists = randomSpans(lengths, [6, 3], 4, new Rng(2));
  const { spans, spanMask } = spansToTensor(spanLists); // [B=2, S=6, 2]
  const head = registry.build<StsnSpanHead>('stsn-span-head.v1', { inputDim: dim, widthDim: 3, numWidths: 4, seed: 3 });

  afterAll(() => {
    disposeEncoding(fake);
    tf.dispose([spans, spanMask]);
    head.dispose();
  });

  it('has the paper defaults: width embedding 150, no [CLS], all of it for relations', () => {
    const plain = new StsnSpanHead({ inputDim: 10 });
    expect(plain.config()).toEqual({ inputDim: 10, widthDim: 150, numWidths: 100, widthDropout: 0, useCls: false, initStd: 0.02, seed: 0 });
    expect([plain.poolDim, plain.outputDim, plain.relationDim]).toEqual([20, 170, 170]);
    plain.dispose();
    expect(registry.build<StsnSpanHead>('stsn-span-head.v1', head.config()).config()).toEqual(head.config());
  });

  it('is [h_start; h_end (inclusive); width embedding] (naive check); padding spans give 0', () => {
    const reps = tf.tidy(() => head.embed(fake.enc, spans, spanMask, false).arraySync());
    const table = head.parameters().get('width.weight')!.arraySync() as number[][];
    reps.forEach((row, b) =>
      row.forEach((rep, s) => {
        const span = spanLists[b][s];
        if (!span) return expect(rep.every((v) => v === 0)).toBe(true);
        const [start, end] = span;
        const expected = [...fake.hidden[b][start], ...fake.hidden[b][end - 1], ...table[Math.min(end - start, 3)]];
        expect(maxAbsDiff(rep, expected)).toBeLessThan(1e-6);
      }),
    );
    tf.tidy(() => {
      expect(head.relationFeatures(head.embed(fake.enc, spans, spanMask, false)).shape).toEqual([2, 6, 11]);
    });
  });

  it('has correct gradients w.r.t. the view, and leaks no tensor', () => {
    const small = fakeEncoding([5], dim, 4);
    const { spans: s, spanMask: m } = spansToTensor([[[0, 1], [1, 4], [3, 5]]]);
    checkGradients((h) => head.embed({ ...small.enc, hidden: h as tf.Tensor3D }, s, m, false), [small.enc.hidden], { eps: 1e-2 });
    disposeEncoding(small);
    tf.dispose([s, m]);
    expect(() => new StsnSpanHead({ inputDim: dim, pooling: 'max' } as never)).toThrow(/unknown config field\(s\) "pooling"/);
    expectNoLeak(() => head.embed(fake.enc, spans, spanMask, true));
  });
});

describe('STSN forward, interaction to entity loss (the wiring the joint model uses)', () => {
  it('sends the gradients of L_L + L_E to every parameter but the last L-R-A, and leaks no tensor', () => {
    const lengths = [6, 4];
    const fake = fakeEncoding(lengths, 5, 11); // encoder states, D = 5
    const tags = ['O', 'B-Peop', 'I-Peop', 'B-Org'];
    const interaction = new StsnTokenInteraction({ inputDim: 5, hiddenDim: 4, numHeads: 2, numLayers: 2, seed: 12 });
    const tagger = new StsnTagger({ inputDim: interaction.outputDim, tags, labelDim: 3, seed: 13 });
    const spanHead = new StsnSpanHead({ inputDim: tagger.outputDim, widthDim: 2, numWidths: 11, seed: 14 });
    const classifier = new LinearEntityClassifier({ inputDim: spanHead.outputDim, numTypes: 2, seed: 15 });
    const gold = tf.tensor2d([[1, 2, 0, 3, 0, 0], [0, 3, 0, 0, 0, 0]], undefined, 'int32'); // [B, T]
    const { spans, spanMask } = spansToTensor([[[0, 2], [3, 4], [4, 6]], [[1, 2], [0, 3]]]);
    const labels = tf.tensor2d([[1, 2, 0], [2, 0, 0]], undefined, 'int32'); // entity classes

    const forward = (training: boolean) =>
      tf.tidy(() => {
        const views = interaction.apply(fake.enc.hidden, fake.enc.mask, training); // [B, T, 4] each
        const tagLogits = tagger.logits(views.label); // [B, T, 4]
        const tagIds = training ? gold : tagger.predict(tagLogits, fake.enc.mask); // [B, T]
        const { entity } = tagger.decoderInputs(views, tagIds, fake.enc.mask); // hidden [B, T, 7]
        const reps = spanHead.embed(entity, spans, spanMask, training); // [B, S, 16]
        const logits = classifier.classify(reps, training); // [B, S, 3]
        const tagLoss = tagCrossEntropy(tagLogits, gold, fake.enc.mask);
        const entityLoss = entityCrossEntropy(logits, labels, spanMask);
        return stsnJointLoss({ tagLoss, entityLoss, relationLoss: tf.scalar(0) });
      });
    const named = new Map([interaction, tagger, spanHead, classifier].flatMap((m) => [...m.parameters()].map(([name, v]) => [v, `${m.name}:${name}`] as const)));
    const variables = [...named.keys()];
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => forward(true), variables);
      expect(Number.isFinite(value.dataSync()[0])).toBe(true);
      const withoutGradient = variables.filter((v) => !grads[v.name] || tf.max(tf.abs(grads[v.name])).dataSync()[0] === 0).map((v) => named.get(v)!);
      // Without a relation loss, only the last layer's L-R-A (whose H_R^N feeds nothing but the
      // relation decoder) gets no gradient; the earlier H_R reach L_E through H_C and E&R-L-A.
      expect(withoutGradient.length).toBe(16);
      expect(withoutGradient.every((name) => name.startsWith('stsn-token-interaction.v1:layers.1.lra.'))).toBe(true);
    });
    expectNoLeak(() => forward(false));
    expectNoLeak(() => forward(true));
    disposeEncoding(fake);
    tf.dispose([gold, spans, spanMask, labels]);
    for (const m of [interaction, tagger, spanHead, classifier]) m.dispose();
  });

  it('STSN_HYPERPARAMETERS holds section 4.1', () => {
    expect(STSN_HYPERPARAMETERS).toMatchObject({ learningRate: 5e-5, warmupProportion: 0.1, weightDecay: 0.01, batchSize: 4, widthDim: 150, labelDim: 150, maxSpanWidth: 10, numLayers: 4, numHeads: 8, relationThreshold: 0.4, epochs: 100 });
  });
});
