import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, disposeNamedTensors, encodeSafetensors, initBackend } from '@spanrel/tensor-core';
import { BertEncoder } from './bert-encoder.js';
import { BertModel } from './bert-model.js';
import { readBertArchitecture } from './hf-config.js';
import { canonicalHfName, exportHfWeights, hfTensorNames, loadHfWeights } from './hf-weights.js';
import { FIXTURES } from './test-fixtures.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** A model of the fixture's architecture (weights not loaded) and the fixture's checkpoint tensors. */
function fixture(folder: string): { model: BertModel; tensors: Map<string, tf.Tensor> } {
  const arch = readBertArchitecture(JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')), folder);
  const model = new BertModel(arch, { hidden: 0, attention: 0 }, 0);
  const { tensors } = decodeSafetensors(readFileSync(join(folder, 'model.safetensors')));
  return { model, tensors };
}

function valuesOf(model: BertModel): Map<string, number[]> {
  return new Map([...model.parameters()].map(([name, v]) => [name, Array.from(v.dataSync())]));
}

describe.each([
  ['bert', FIXTURES.bert],
  ['albert', FIXTURES.albert],
] as const)('Hugging Face weights of tiny-%s', (_family, folder) => {
  const { model, tensors } = fixture(folder);
  afterAll(() => {
    model.dispose();
    disposeNamedTensors(tensors);
  });

  it('names a checkpoint tensor for every parameter, and every checkpoint tensor but the pooler is one', () => {
    const names = hfTensorNames(model.arch);
    expect([...names.keys()].sort()).toEqual([...model.parameters().keys()].sort());
    const used = new Set([...names.values()].map((n) => n.hf));
    const leftOver = [...tensors.keys()].filter((n) => !used.has(n));
    expect(leftOver.every((n) => n.startsWith('pooler.'))).toBe(true);
    expect(leftOver.length).toBe(2);
  });

  it('loads every tensor, transposing Linear weights, and exports them back unchanged', () => {
    const report = loadHfWeights(model, tensors, 'fixture');
    expect(report.assigned.length).toBe(model.parameters().size);
    expect(report.ignored.sort()).toEqual([...tensors.keys()].filter((n) => n.startsWith('pooler.')).sort());
    // A kernel [in, out] is the PyTorch weight [out, in] transposed: check one entry by hand.
    const kernelName = [...hfTensorNames(model.arch)].find(([mine]) => mine === 'layers.0.intermediate.kernel')![1].hf;
    const weight = tensors.get(kernelName)!.arraySync() as number[][]; // [I, D]
    const kernel = model.parameters().get('layers.0.intermediate.kernel')!.arraySync() as number[][]; // [D, I]
    expect(kernel[3][5]).toBe(weight[5][3]);
    const exported = exportHfWeights(model);
    for (const [name, t] of exported) expect(Array.from(t.dataSync())).toEqual(Array.from(tensors.get(name)!.dataSync()));
    disposeNamedTensors(exported);
  });

  it('accepts a task-model checkpoint: "bert." prefix, LayerNorm.gamma/beta names, pretraining heads and buffers', () => {
    loadHfWeights(model, tensors, 'fixture');
    const expected = valuesOf(model);
    const prefix = model.arch.family === 'albert' ? 'albert.' : 'bert.';
    const renamed = new Map<string, tf.Tensor>();
    for (const [name, t] of tensors) renamed.set(prefix + name.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta'), t);
    const extra = { 'cls.predictions.bias': tf.zeros([3]), 'predictions.dense.weight': tf.zeros([2, 2]), [`${prefix}embeddings.position_ids`]: tf.zeros([1, 64], 'int32') };
    for (const [name, t] of Object.entries(extra)) renamed.set(name, t);
    for (const v of model.parameters().values()) v.assign(tf.zerosLike(v));
    const report = loadHfWeights(model, renamed, 'renamed');
    expect(report.ignored).toEqual(expect.arrayContaining(Object.keys(extra)));
    expect(valuesOf(model)).toEqual(expected);
    tf.dispose(Object.values(extra));
  });

  it('names every missing and unexpected tensor, and assigns nothing then', () => {
    loadHfWeights(model, tensors, 'fixture');
    const before = valuesOf(model);
    const broken = new Map(tensors);
    const dropped = [...tensors.keys()].find((n) => n.endsWith('output.dense.bias') || n.endsWith('ffn_output.bias'))!;
    broken.delete(dropped);
    broken.set('encoder.layer.7.output.dense.bias', tensors.get('embeddings.LayerNorm.bias')!);
    broken.set('classifier.weight', tensors.get('embeddings.LayerNorm.bias')!);
    let message = '';
    try {
      loadHfWeights(model, broken, '/models/x/model.safetensors');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('/models/x/model.safetensors');
    expect(message).toContain(`missing 1 tensor(s): "${dropped}"`);
    expect(message).toContain('unexpected 2 tensor(s): "encoder.layer.7.output.dense.bias", "classifier.weight"');
    expect(valuesOf(model)).toEqual(before);
  });

  it('names a tensor of the wrong shape', () => {
    const broken = new Map(tensors);
    const name = 'embeddings.position_embeddings.weight';
    const short = tf.slice(tensors.get(name)!, [0, 0], [10, -1]); // [10, E] instead of [64, E]
    broken.set(name, short);
    const E = model.arch.embeddingSize;
    expect(() => loadHfWeights(model, broken, 'short.safetensors')).toThrow(`"${name}" is [10, ${E}], expected [64, ${E}]`);
    short.dispose();
  });
});

describe('loading through BertEncoder', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'spanrel-bert-weights-'));
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(FIXTURES.bert, f), join(dir, f));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the checkpoint file and the missing tensors', () => {
    const { tensors } = decodeSafetensors(readFileSync(join(FIXTURES.bert, 'model.safetensors')));
    const kept = new Map([...tensors].filter(([n]) => !n.startsWith('encoder.layer.1.')));
    writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(kept));
    disposeNamedTensors(tensors);
    const path = join(dir, 'model.safetensors');
    expect(() => new BertEncoder({ model: dir })).toThrow(new RegExp(`${path} does not fit a bert model with 2 layers: missing 16 tensor\\(s\\): "encoder.layer.1.`));
  });

  it('explains a folder without model.safetensors', () => {
    rmSync(join(dir, 'model.safetensors'), { force: true });
    writeFileSync(join(dir, 'pytorch_model.bin'), '');
    expect(() => new BertEncoder({ model: dir })).toThrow(/model.safetensors not found \(the folder has pytorch_model.bin only\); convert the checkpoint once in Python/);
  });

  it('canonicalises checkpoint names', () => {
    expect(canonicalHfName('bert.encoder.layer.0.output.LayerNorm.gamma')).toBe('encoder.layer.0.output.LayerNorm.weight');
    expect(canonicalHfName('albert.embeddings.LayerNorm.beta')).toBe('embeddings.LayerNorm.bias');
    expect(canonicalHfName('encoder.layer.0.output.dense.bias')).toBe('encoder.layer.0.output.dense.bias');
  });
});
