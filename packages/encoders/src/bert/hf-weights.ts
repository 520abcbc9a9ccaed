import * as tf from '@tensorflow/tfjs-core';
import { assignParameters } from '@spanrel/tensor-core';
import { distinctLayerCount, type BertArchitecture } from './hf-config.js';
import type { BertModel } from './bert-model.js';

/** Where one parameter of {@link BertModel} lives in a Hugging Face checkpoint. */
export interface HfTensorName {
  /** Name in the checkpoint, without the `bert.` / `albert.` prefix, e.g. `encoder.layer.0.attention.self.query.weight`. */
  hf: string;
  /** PyTorch `Linear` weights are `[out, in]`; the tfjs kernels are `[in, out]`. */
  transpose: boolean;
}

/**
 * Checkpoint tensors that are not part of the encoder and are skipped on load:
 * the pooler (spanrel uses the `[CLS]` state itself), pretraining heads
 * (`cls.*` of BertForPreTraining / MaskedLM, `predictions.*` and
 * `sop_classifier.*` of ALBERT) and the `position_ids` / `token_type_ids` buffers
 * older checkpoints saved.
 */
export const IGNORED_HF_TENSORS: readonly RegExp[] = [
  /^pooler\./,
  /^cls\./,
  /^predictions\./,
  /^sop_classifier\./,
  /^embeddings\.(position_ids|token_type_ids)$/,
];

/** Prefixes of task models (`BertForMaskedLM` saves `bert.embeddings...`), stripped on load. */
const MODEL_PREFIXES = ['bert.', 'albert.'];

/** Parameter name of {@link BertModel} -> its checkpoint tensor. */
export function hfTensorNames(arch: BertArchitecture): Map<string, HfTensorName> {
  const names = new Map<string, HfTensorName>();
  const linear = (mine: string, hf: string) => {
    names.set(`${mine}.kernel`, { hf: `${hf}.weight`, transpose: true });
    names.set(`${mine}.bias`, { hf: `${hf}.bias`, transpose: false });
  };
  const norm = (mine: string, hf: string) => {
    names.set(`${mine}.gamma`, { hf: `${hf}.weight`, transpose: false });
    names.set(`${mine}.beta`, { hf: `${hf}.bias`, transpose: false });
  };
  names.set('embeddings.word.weight', { hf: 'embeddings.word_embeddings.weight', transpose: false });
  names.set('embeddings.position.weight', { hf: 'embeddings.position_embeddings.weight', transpose: false });
  names.set('embeddings.tokenType.weight', { hf: 'embeddings.token_type_embeddings.weight', transpose: false });
  norm('embeddings.norm', 'embeddings.LayerNorm');
  if (arch.family === 'albert') linear('embeddings.projection', 'encoder.embedding_hidden_mapping_in');

  for (let k = 0; k < distinctLayerCount(arch); k++) {
    const mine = `layers.${k}`;
    if (arch.family === 'albert') {
      const group = Math.floor(k / arch.innerGroupNum);
      const hf = `encoder.albert_layer_groups.${group}.albert_layers.${k % arch.innerGroupNum}`;
      for (const p of ['query', 'key', 'value']) linear(`${mine}.attention.${p}`, `${hf}.attention.${p}`);
      linear(`${mine}.attention.output`, `${hf}.attention.dense`);
      norm(`${mine}.attentionNorm`, `${hf}.attention.LayerNorm`);
      linear(`${mine}.intermediate`, `${hf}.ffn`);
      linear(`${mine}.output`, `${hf}.ffn_output`);
      norm(`${mine}.outputNorm`, `${hf}.full_layer_layer_norm`);
    } else {
      const hf = `encoder.layer.${k}`;
      for (const p of ['query', 'key', 'value']) linear(`${mine}.attention.${p}`, `${hf}.attention.self.${p}`);
      linear(`${mine}.attention.output`, `${hf}.attention.output.dense`);
      norm(`${mine}.attentionNorm`, `${hf}.attention.output.LayerNorm`);
      linear(`${mine}.intermediate`, `${hf}.intermediate.dense`);
      linear(`${mine}.output`, `${hf}.output.dense`);
      norm(`${mine}.outputNorm`, `${hf}.output.LayerNorm`);
    }
  }
  return names;
}

/**
 * The name a checkpoint tensor is matched by: without a `bert.` / `albert.`
 * prefix, and with the TF-era LayerNorm names (`LayerNorm.gamma` / `.beta`, which
 * bert-base-cased still uses) turned into `LayerNorm.weight` / `.bias`.
 */
export function canonicalHfName(name: string): string {
  let n = name;
  for (const prefix of MODEL_PREFIXES) if (n.startsWith(prefix)) n = n.slice(prefix.length);
  return n.replace(/(LayerNorm|layer_norm)\.gamma$/, '$1.weight').replace(/(LayerNorm|layer_norm)\.beta$/, '$1.bias');
}

/** What {@link loadHfWeights} did. */
export interface HfLoadReport {
  /** Parameters of the model that were filled. */
  assigned: string[];
  /** Checkpoint tensors skipped on purpose ({@link IGNORED_HF_TENSORS}), by their name in the file. */
  ignored: string[];
}

/**
 * Fills every parameter of `model` from Hugging Face tensors (transposing
 * `Linear` weights). Throws one error, naming `source`, that lists every missing
 * tensor and every unexpected one (by checkpoint name), or every shape mismatch;
 * nothing is assigned then. The tensors stay owned by the caller.
 */
export function loadHfWeights(model: BertModel, tensors: Map<string, tf.Tensor>, source: string): HfLoadReport {
  const expected = hfTensorNames(model.arch); // mine -> hf
  const byHfName = new Map<string, string>(); // canonical hf -> name in file
  const ignored: string[] = [];
  const unexpected: string[] = [];
  const wanted = new Set([...expected.values()].map((e) => e.hf));
  for (const fileName of tensors.keys()) {
    const hf = canonicalHfName(fileName);
    if (wanted.has(hf)) {
      if (byHfName.has(hf)) throw new Error(`bert-encoder: ${source}: tensors "${byHfName.get(hf)}" and "${fileName}" are both "${hf}"`);
      byHfName.set(hf, fileName);
    } else if (IGNORED_HF_TENSORS.some((re) => re.test(hf))) ignored.push(fileName);
    else unexpected.push(fileName);
  }
  const missing = [...wanted].filter((hf) => !byHfName.has(hf));
  if (missing.length > 0 || unexpected.length > 0) {
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing ${missing.length} tensor(s): ${missing.map((n) => `"${n}"`).join(', ')}`);
    if (unexpected.length > 0) parts.push(`unexpected ${unexpected.length} tensor(s): ${unexpected.map((n) => `"${n}"`).join(', ')}`);
    throw new Error(`bert-encoder: ${source} does not fit a ${model.arch.family} model with ${model.arch.numLayers} layers: ${parts.join('; ')}`);
  }
  const params = model.parameters();
  const mismatched: string[] = [];
  for (const [mine, { hf, transpose }] of expected) {
    const fileName = byHfName.get(hf)!;
    const shape = tensors.get(fileName)!.shape;
    const want = params.get(mine)!.shape;
    const wantInFile = transpose ? [...want].reverse() : want; // Linear weights are stored [out, in]
    if (!tf.util.arraysEqual(shape, wantInFile)) mismatched.push(`"${fileName}" is [${shape.join(', ')}], expected [${wantInFile.join(', ')}]`);
  }
  if (mismatched.length > 0) {
    throw new Error(`bert-encoder: ${source} does not fit its config.json: ${mismatched.length} tensor(s) of the wrong shape: ${mismatched.join('; ')}`);
  }
  const renamed = new Map<string, tf.Tensor>();
  try {
    for (const [mine, { hf, transpose }] of expected) {
      const t = tensors.get(byHfName.get(hf)!)!;
      renamed.set(mine, transpose ? tf.transpose(t) : t); // [in, out] kernels
    }
    const report = assignParameters(params, renamed, { source });
    return { assigned: report.assigned, ignored };
  } finally {
    for (const [mine, t] of renamed) if (expected.get(mine)!.transpose) t.dispose();
  }
}

/**
 * The parameters of `model` under their Hugging Face names (Linear weights
 * transposed back to `[out, in]`), e.g. to save a fine-tuned encoder with
 * `saveSafetensors` next to its `config.json` for use in PyTorch. New tensors the caller owns.
 */
export function exportHfWeights(model: BertModel): Map<string, tf.Tensor> {
  const params = model.parameters();
  const out = new Map<string, tf.Tensor>();
  for (const [mine, { hf, transpose }] of hfTensorNames(model.arch)) {
    const v = params.get(mine)!;
    out.set(hf, transpose ? tf.transpose(v) : tf.clone(v)); // [out, in] for Linear weights
  }
  return out;
}
