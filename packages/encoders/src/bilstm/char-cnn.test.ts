import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeak, initBackend, registry } from '@spanrel/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Vocabulary } from '../vocab/vocabulary.js';
import { CharCnn } from './char-cnn.js';
import { charIdsOf } from './char-ids.js';
import './register.js';

// The cpu backend through tensor-core (this package has no direct dependency on it).
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** The char CNN written as plain loops: every valid window, every filter, ReLU, max. */
function naiveCharCnn(cnn: CharCnn, ids: number[][]): number[][] {
  const { charDim, widths, filtersPerWidth: F } = cnn.config();
  const table = cnn.embedding.weight.arraySync() as number[][];
  return ids.map((word) => {
    const out: number[] = [];
    widths.forEach((w, wi) => {
      const kernel = cnn.kernels[wi].arraySync() as number[][][]; // [w, charDim, F]
      const bias = cnn.biases[wi].arraySync() as number[];
      const windows = Math.max(1, word.length - w + 1);
      for (let f = 0; f < F; f++) {
        let best = -Infinity;
        for (let p = 0; p < windows; p++) {
          let sum = bias[f];
          for (let k = 0; k < w; k++) {
            const c = word[p + k]; // past the word's end: padding, the 0 vector
            if (c === undefined) continue;
            for (let d = 0; d < charDim; d++) sum += table[c][d] * kernel[k][d][f];
          }
          best = Math.max(best, Math.max(0, sum));
        }
        out.push(best);
      }
    });
    return out;
  });
}

describe('CharCnn', () => {
  const chars = new Vocabulary([...'abcdefghij']);
  const words = ['abcdefg', 'ab', 'j', 'hij', 'abcd', 'zz']; // shorter than the widest window, unknown chars
  const cnn = new CharCnn({ numChars: chars.size, charDim: 3, widths: [2, 4], filtersPerWidth: 5, seed: 3 });
  // Non-zero biases so the ReLU and the max over windows matter.
  cnn.biases.forEach((b, i) => b.assign(tf.tensor1d([0.1, -0.2, 0.05, 0.3, -0.4].map((x) => x * (i + 1)))));

  it('matches a naive loop over windows and filters, whatever the padding', () => {
    const expected = naiveCharCnn(cnn, words.map((w) => Array.from(w).map((c) => chars.index(c))));
    for (const minLength of [4, 12]) {
      const ids = charIdsOf(words, chars, 30, minLength);
      const got = tf.tidy(() => cnn.apply(tf.tensor2d(ids.ids, [ids.numWords, ids.length], 'int32'), tf.tensor1d(ids.lengths, 'int32')).arraySync());
      expect(got.length).toBe(words.length);
      got.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 5)));
    }
    expect(cnn.outputDim).toBe(10);
  });

  it('sends gradients to the character embeddings, the filters and the biases, and not to the padding row', () => {
    const ids = charIdsOf(words, chars, 30, 4);
    const { grads } = tf.variableGrads(() =>
      tf.sum(tf.square(cnn.apply(tf.tensor2d(ids.ids, [ids.numWords, ids.length], 'int32'), tf.tensor1d(ids.lengths, 'int32')))) as tf.Scalar,
    );
    const table = grads[cnn.embedding.weight.name].arraySync() as number[][];
    expect(table[0].every((x) => x === 0)).toBe(true); // <pad>
    expect(table[chars.index('a')].some((x) => x !== 0)).toBe(true);
    expect(table[chars.index('e')].every((x) => x === 0)).toBe(false);
    for (const v of [...cnn.kernels, ...cnn.biases]) expect(tf.any(tf.notEqual(grads[v.name], 0)).dataSync()[0]).toBe(1);
    tf.dispose(grads);
  });

  it('truncates long words, refuses too-short padding, builds from config and does not leak', () => {
    const ids = charIdsOf(['abcdefghij'], chars, 4, 2);
    expect(ids.length).toBe(4);
    expect(Array.from(ids.lengths)).toEqual([4]);
    expect(() => cnn.apply(tf.tensor2d([[2, 3, 4]], [1, 3], 'int32'), tf.tensor1d([3], 'int32'))).toThrow('fewer than the widest convolution');
    const rebuilt = registry.build<CharCnn>('char-cnn.v1', cnn.config());
    expect(rebuilt.config()).toEqual(cnn.config());
    expect([...rebuilt.parameters().keys()].sort()).toEqual([...cnn.parameters().keys()].sort());
    const input = charIdsOf(words, chars, 30, 4);
    const x = tf.tensor2d(input.ids, [input.numWords, input.length], 'int32');
    const lengths = tf.tensor1d(input.lengths, 'int32');
    expectNoLeak(() => cnn.apply(x, lengths));
    tf.dispose([x, lengths]);
    rebuilt.dispose();
  });
});
