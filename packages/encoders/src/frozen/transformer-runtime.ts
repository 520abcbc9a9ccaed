import { loadTransformers } from '../transformers-module.js';
import type { ModelFolderInfo, OnnxDtype } from './model-folder.js';
import { SubwordAligner, type AlignedSentence, type AlignerTokenizer } from './subword-alignment.js';

/** A loaded tokenizer + ONNX model that turns laid-out sentences into sub-word states. */
export interface TransformerRuntime {
  aligner: SubwordAligner;
  /**
   * Runs the model on a padded batch of laid-out sentences.
   * @returns `states` `[b, n, H]` row-major, n = the longest layout
   */
  run(layouts: AlignedSentence[]): Promise<{ states: Float32Array; length: number }>;
  dispose(): Promise<void>;
}

interface HfTensor {
  data: Float32Array;
  dims: number[];
}
interface HfModel {
  (feeds: Record<string, unknown>): Promise<Record<string, HfTensor | undefined>>;
  dispose(): Promise<unknown>;
}
interface HfTokenizer extends AlignerTokenizer {
  readonly pad_token_id?: number | null;
}

/**
 * Loads the tokenizer and ONNX model of a local folder with transformers.js
 * (an optional peer dependency, imported on first use, so importing
 * `@spanrel/encoders` does not load onnxruntime; a clear error when it is not
 * installed). Remote downloads are switched off: `env.allowRemoteModels = false`
 * and `local_files_only`, and the folder is passed as an absolute path.
 */
export async function loadTransformerRuntime(info: ModelFolderInfo, dtype: OnnxDtype): Promise<TransformerRuntime> {
  const hf = await loadTransformers('frozen-transformer-encoder.v1');
  hf.env.allowRemoteModels = false;
  let tokenizer: HfTokenizer;
  let model: HfModel;
  try {
    tokenizer = (await hf.AutoTokenizer.from_pretrained(info.dir, { local_files_only: true })) as unknown as HfTokenizer;
    model = (await hf.AutoModel.from_pretrained(info.dir, { local_files_only: true, dtype })) as unknown as HfModel;
  } catch (e) {
    throw new Error(`frozen transformer ${info.dir}: transformers.js cannot load it (${(e as Error).message})`);
  }
  const padId = tokenizer.pad_token_id ?? 0;
  const aligner = new SubwordAligner(tokenizer, info.maxPositions, info.dir);
  return {
    aligner,
    async run(layouts) {
      const b = layouts.length;
      const n = Math.max(...layouts.map((l) => l.ids.length));
      const ids = new BigInt64Array(b * n).fill(BigInt(padId));
      const mask = new BigInt64Array(b * n);
      layouts.forEach((l, i) => {
        l.ids.forEach((id, j) => {
          ids[i * n + j] = BigInt(id);
          mask[i * n + j] = 1n;
        });
      });
      const output = await model({
        input_ids: new hf.Tensor('int64', ids, [b, n]),
        attention_mask: new hf.Tensor('int64', mask, [b, n]),
      });
      const states = output.last_hidden_state;
      if (!states) throw new Error(`frozen transformer ${info.dir}: the model returned no "last_hidden_state" (outputs: ${Object.keys(output).join(', ')})`);
      if (states.dims.length !== 3 || states.dims[0] !== b || states.dims[1] !== n || states.dims[2] !== info.hiddenSize) {
        throw new Error(`frozen transformer ${info.dir}: last_hidden_state has shape [${states.dims.join(', ')}], expected [${b}, ${n}, ${info.hiddenSize}]`);
      }
      return { states: states.data, length: n };
    },
    async dispose() {
      await model.dispose();
    },
  };
}
