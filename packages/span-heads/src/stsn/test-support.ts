/**
 * Plain-JS STSN layers for this folder's tests (not exported): multi-head
 * attention, FFN, residual + layer norm, the attention units and the stacked
 * layers, written from the paper's equations and a module's parameters, one
 * sentence at a time, so an expectation shares no code with the tensor implementation.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@spanrel/tensor-core';
import { naiveDense, naiveSoftmax } from '../test-support.js';

/** A module's parameters as plain arrays, by name. */
export type PlainParams = Map<string, number[] | number[][]>;

export function plainParams(module: { parameters(): Map<string, tf.Variable> }): PlainParams {
  return new Map([...module.parameters()].map(([name, v]) => [name, v.arraySync() as number[] | number[][]]));
}

/**
 * Overwrites every parameter with seeded uniform values in `[-scale, scale)` (layer-norm
 * gains in `1 ± scale`), so biases and norms are not at their trivial initial values.
 */
export function randomizeParameters(module: { parameters(): Map<string, tf.Variable> }, seed: number, scale = 0.5): void {
  const rng = new Rng(seed);
  for (const [name, v] of module.parameters()) {
    const offset = name.endsWith('gamma') ? 1 : 0;
    v.assign(tf.tensor(Float32Array.from({ length: v.size }, () => offset + (rng.next() * 2 - 1) * scale), v.shape, 'float32'));
  }
}

function kernel(p: PlainParams, name: string): number[][] {
  const value = p.get(name);
  if (!value) throw new Error(`test-support: no parameter "${name}"`);
  return value as number[][];
}

function vector(p: PlainParams, name: string): number[] {
  const value = p.get(name);
  if (!value) throw new Error(`test-support: no parameter "${name}"`);
  return value as number[];
}

/** `x W + b` with `<prefix>kernel` / `<prefix>bias`. */
export function linear(p: PlainParams, prefix: string, x: number[]): number[] {
  return naiveDense(x, kernel(p, `${prefix}kernel`), vector(p, `${prefix}bias`));
}

/** `gamma * (x - mean) / sqrt(var + eps) + beta` (biased variance). */
export function layerNorm(p: PlainParams, prefix: string, x: number[], eps: number): number[] {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
  const gamma = vector(p, `${prefix}gamma`);
  const beta = vector(p, `${prefix}beta`);
  return x.map((v, i) => (gamma[i] * (v - mean)) / Math.sqrt(variance + eps) + beta[i]);
}

/**
 * STSN section 3.2.2: `head_i = softmax((Q W_i^Q)(K W_i^K)^T / sqrt(d/h)) (V W_i^V)` over the
 * real keys, `I = Concat(head_1..h) W^o` (+ biases); a query without a real key gets 0.
 */
export function multiHead(p: PlainParams, prefix: string, queries: number[][], keyValues: number[][], keyMask: number[], numHeads: number): number[][] {
  const q = queries.map((x) => linear(p, `${prefix}query.`, x));
  const k = keyValues.map((x) => linear(p, `${prefix}key.`, x));
  const v = keyValues.map((x) => linear(p, `${prefix}value.`, x));
  const dim = q[0].length;
  const headDim = dim / numHeads;
  const real = keyMask.flatMap((m, j) => (m !== 0 ? [j] : []));
  return q.map((qi) => {
    if (real.length === 0) return new Array<number>(dim).fill(0);
    const merged: number[] = [];
    for (let h = 0; h < numHeads; h++) {
      const part = (row: number[]) => row.slice(h * headDim, (h + 1) * headDim);
      const scores = real.map((j) => part(qi).reduce((acc, a, c) => acc + a * part(k[j])[c], 0) / Math.sqrt(headDim));
      const weights = naiveSoftmax(scores);
      for (let c = 0; c < headDim; c++) merged.push(real.reduce((acc, j, n) => acc + weights[n] * part(v[j])[c], 0));
    }
    return linear(p, `${prefix}output.`, merged);
  });
}

/** An attention unit: `X = LN(Q + MHA(Q, KV, KV))`, `out = LN(X + W_2 relu(W_1 X + b_1) + b_2)`. */
export function attentionUnit(p: PlainParams, prefix: string, queries: number[][], keyValues: number[][], keyMask: number[], numHeads: number, eps: number): number[][] {
  const attended = multiHead(p, `${prefix}attention.`, queries, keyValues, keyMask, numHeads);
  return queries.map((qi, i) => {
    const x = layerNorm(p, `${prefix}attentionNorm.`, qi.map((a, c) => a + attended[i][c]), eps);
    const hidden = linear(p, `${prefix}ffn.layers.0.`, x).map((a) => Math.max(0, a));
    const fed = linear(p, `${prefix}ffn.layers.1.`, hidden);
    return layerNorm(p, `${prefix}ffnNorm.`, x.map((a, c) => a + fed[c]), eps);
  });
}

/** A pre-LN attention unit: `X = Q + MHA(LN(Q), LN(KV), LN(KV))`, `out = X + W_2 relu(W_1 LN'(X) + b_1) + b_2`. */
export function preNormAttentionUnit(p: PlainParams, prefix: string, queries: number[][], keyValues: number[][], keyMask: number[], numHeads: number, eps: number): number[][] {
  const norm = (x: number[]) => layerNorm(p, `${prefix}attentionNorm.`, x, eps);
  const attended = multiHead(p, `${prefix}attention.`, queries.map(norm), keyValues.map(norm), keyMask, numHeads);
  return queries.map((qi, i) => {
    const x = qi.map((a, c) => a + attended[i][c]);
    const hidden = linear(p, `${prefix}ffn.layers.0.`, layerNorm(p, `${prefix}ffnNorm.`, x, eps)).map((a) => Math.max(0, a));
    const fed = linear(p, `${prefix}ffn.layers.1.`, hidden);
    return x.map((a, c) => a + fed[c]);
  });
}

/** The three views of one sentence, `[T][d]` each. */
export interface PlainViews {
  label: number[][];
  entity: number[][];
  relation: number[][];
}

/** One stacked layer (section 3.2.1), written out: which view is query and which is key/value in each unit. */
export function attentionLayer(p: PlainParams, prefix: string, views: PlainViews, mask: number[], numHeads: number, eps: number, erla: boolean): PlainViews {
  const hC = erla ? views.entity.map((e, t) => linear(p, `${prefix}combine.`, [...e, ...views.relation[t]])) : views.label; // H_C = [H_E; H_R] W_C + b_C
  const label = attentionUnit(p, `${prefix}erla.`, views.label, hC, mask, numHeads, eps); // E&R-L-A(H_L, H_C, H_C)
  const entity = attentionUnit(p, `${prefix}lea.`, views.entity, label, mask, numHeads, eps); // L-E-A(H_E, H_L', H_L')
  const relation = attentionUnit(p, `${prefix}lra.`, views.relation, label, mask, numHeads, eps); // L-R-A(H_R, H_L', H_L')
  return { label, entity, relation };
}

/** The whole interaction for one sentence: projections, `numLayers` layers, padding rows set to 0. */
export function tokenInteraction(
  p: PlainParams,
  hidden: number[][],
  mask: number[],
  settings: { numLayers: number; numHeads: number; layerNormEps: number; erla: boolean; attentionLayers: boolean },
): PlainViews {
  let views: PlainViews = {
    label: hidden.map((x) => linear(p, 'labelProjection.', x)),
    entity: hidden.map((x) => linear(p, 'entityProjection.', x)),
    relation: hidden.map((x) => linear(p, 'relationProjection.', x)),
  };
  const layers = settings.attentionLayers ? settings.numLayers : 0;
  for (let i = 0; i < layers; i++) views = attentionLayer(p, `layers.${i}.`, views, mask, settings.numHeads, settings.layerNormEps, settings.erla);
  const zeroPadding = (rows: number[][]) => rows.map((row, t) => (mask[t] !== 0 ? row : row.map(() => 0)));
  return { label: zeroPadding(views.label), entity: zeroPadding(views.entity), relation: zeroPadding(views.relation) };
}
