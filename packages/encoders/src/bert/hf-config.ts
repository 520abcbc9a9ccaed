import { HF_ACTIVATIONS, isHfActivation, type HfActivation } from './hf-activation.js';

/** The model families whose Hugging Face checkpoints {@link BertModel} reads. */
export const BERT_FAMILIES = ['bert', 'albert'] as const;
export type BertFamily = (typeof BERT_FAMILIES)[number];

/**
 * The architecture of a BERT-family encoder, read from a Hugging Face
 * `config.json` (field names in comments). Plain JSON.
 */
export interface BertArchitecture {
  /** `model_type`: `"bert"` (BERT, SciBERT, BioBERT, ...) or `"albert"`. */
  family: BertFamily;
  /** `vocab_size` */
  vocabSize: number;
  /** `hidden_size`: D of every layer and of the encoder's output. */
  hiddenSize: number;
  /** `embedding_size` (ALBERT's factorised embeddings, projected to `hiddenSize`); = `hiddenSize` for BERT. */
  embeddingSize: number;
  /** `num_hidden_layers`: how many layers are applied (ALBERT applies shared layers this many times). */
  numLayers: number;
  /** `num_attention_heads` */
  numHeads: number;
  /** `intermediate_size`: width of the feed-forward layer. */
  intermediateSize: number;
  /** `hidden_act` */
  hiddenAct: HfActivation;
  /** `hidden_dropout_prob`: dropout after the embeddings and after each sub-layer's output projection. */
  hiddenDropout: number;
  /** `attention_probs_dropout_prob`: dropout on the attention weights. */
  attentionDropout: number;
  /** `max_position_embeddings`: the longest input, in sub-words, special tokens included. */
  maxPositions: number;
  /** `type_vocab_size` */
  typeVocabSize: number;
  /** `layer_norm_eps` */
  layerNormEps: number;
  /** ALBERT `num_hidden_groups`: groups of distinct layers (1 for BERT semantics: see `layerModules`). */
  numHiddenGroups: number;
  /** ALBERT `inner_group_num`: layers per group. */
  innerGroupNum: number;
}

/** Defaults of the transformers `BertConfig` / `AlbertConfig` for fields a `config.json` may leave out. */
const DEFAULTS: Record<BertFamily, Record<string, unknown>> = {
  bert: {
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    max_position_embeddings: 512,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
  },
  albert: {
    embedding_size: 128,
    hidden_act: 'gelu_new',
    hidden_dropout_prob: 0,
    attention_probs_dropout_prob: 0,
    max_position_embeddings: 512,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
    num_hidden_groups: 1,
    inner_group_num: 1,
  },
};

/**
 * Reads and checks a Hugging Face `config.json` object. Errors name `source`
 * (the file) and the field.
 */
export function readBertArchitecture(json: unknown, source: string): BertArchitecture {
  const fail = (message: string): never => {
    throw new Error(`bert-encoder: ${source}: ${message}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('config.json must hold a JSON object');
  const raw = json as Record<string, unknown>;
  const family = raw.model_type;
  if (!(BERT_FAMILIES as readonly unknown[]).includes(family)) {
    fail(`"model_type" must be one of ${BERT_FAMILIES.join(', ')}, got ${JSON.stringify(family)}`);
  }
  const defaults = DEFAULTS[family as BertFamily];
  const get = (field: string): unknown => (raw[field] === undefined || raw[field] === null ? defaults[field] : raw[field]);
  const positiveInt = (field: string): number => {
    const v = get(field);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(`"${field}" must be a positive integer, got ${JSON.stringify(v)}`);
    return v as number;
  };
  const rate = (field: string): number => {
    const v = get(field);
    if (typeof v !== 'number' || !(v >= 0 && v < 1)) fail(`"${field}" must be a number in [0, 1), got ${JSON.stringify(v)}`);
    return v as number;
  };
  const positionType = raw.position_embedding_type;
  if (positionType !== undefined && positionType !== null && positionType !== 'absolute') {
    fail(`"position_embedding_type" ${JSON.stringify(positionType)} is not supported (only "absolute")`);
  }
  const hiddenAct = get('hidden_act');
  if (!isHfActivation(hiddenAct)) fail(`"hidden_act" must be one of ${HF_ACTIVATIONS.join(', ')}, got ${JSON.stringify(hiddenAct)}`);
  const eps = get('layer_norm_eps');
  if (typeof eps !== 'number' || !(eps > 0)) fail(`"layer_norm_eps" must be a positive number, got ${JSON.stringify(eps)}`);

  const isAlbert = family === 'albert';
  const arch: BertArchitecture = {
    family: family as BertFamily,
    vocabSize: positiveInt('vocab_size'),
    hiddenSize: positiveInt('hidden_size'),
    embeddingSize: isAlbert ? positiveInt('embedding_size') : positiveInt('hidden_size'),
    numLayers: positiveInt('num_hidden_layers'),
    numHeads: positiveInt('num_attention_heads'),
    intermediateSize: positiveInt('intermediate_size'),
    hiddenAct: hiddenAct as HfActivation,
    hiddenDropout: rate('hidden_dropout_prob'),
    attentionDropout: rate('attention_probs_dropout_prob'),
    maxPositions: positiveInt('max_position_embeddings'),
    typeVocabSize: positiveInt('type_vocab_size'),
    layerNormEps: eps as number,
    numHiddenGroups: isAlbert ? positiveInt('num_hidden_groups') : 1,
    innerGroupNum: isAlbert ? positiveInt('inner_group_num') : 1,
  };
  if (arch.hiddenSize % arch.numHeads !== 0) {
    fail(`"hidden_size" (${arch.hiddenSize}) must be divisible by "num_attention_heads" (${arch.numHeads})`);
  }
  if (isAlbert && arch.numLayers % arch.numHiddenGroups !== 0) {
    fail(`"num_hidden_layers" (${arch.numLayers}) must be divisible by "num_hidden_groups" (${arch.numHiddenGroups})`);
  }
  return arch;
}

/** Number of distinct layer modules: `num_hidden_layers` for BERT, `groups x inner` for ALBERT. */
export function distinctLayerCount(arch: BertArchitecture): number {
  return arch.family === 'albert' ? arch.numHiddenGroups * arch.innerGroupNum : arch.numLayers;
}

/**
 * The distinct layer modules applied, in order, for the whole stack. BERT: `0, 1, ..., L-1`.
 * ALBERT (as transformers' `AlbertTransformer`): depth i runs group
 * `floor(i / (L / G))`, i.e. its `inner_group_num` layers; with one group every
 * depth re-runs the same layer.
 */
export function layerSchedule(arch: BertArchitecture): number[] {
  if (arch.family !== 'albert') return Array.from({ length: arch.numLayers }, (_, i) => i);
  const schedule: number[] = [];
  const depthsPerGroup = arch.numLayers / arch.numHiddenGroups;
  for (let depth = 0; depth < arch.numLayers; depth++) {
    const group = Math.floor(depth / depthsPerGroup);
    for (let inner = 0; inner < arch.innerGroupNum; inner++) schedule.push(group * arch.innerGroupNum + inner);
  }
  return schedule;
}
