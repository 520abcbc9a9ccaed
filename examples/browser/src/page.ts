/**
 * The page's script: starts the tfjs wasm backend (its .wasm files served in
 * `wasm/` next to the page), loads the model folder served at `model/` (or at
 * `?model=<url>`), then splits, predicts and shows the text typed in the form.
 * The same packages and calls as in Node, with `loadModelFromUrl` for
 * `loadModel(dir)` and `initBrowserBackend` for `initBackend`.
 */
import { setTransformersLoader } from '@spanrel/encoders';
import { loadModelFromUrl, splitSentences } from '@spanrel/joint';
import { describeBackend, initBrowserBackend } from '@spanrel/tensor-core';
import { renderPrediction } from './render-prediction.js';

const status = document.querySelector<HTMLElement>('#status')!;
const form = document.querySelector<HTMLFormElement>('#extract')!;
const input = document.querySelector<HTMLTextAreaElement>('#text')!;
const button = form.querySelector<HTMLButtonElement>('button')!;
const result = document.querySelector<HTMLElement>('#result')!;

// transformers.js runs the tokenizer of a BERT model: its own chunk (see scripts/build.mjs), which
// loadModelFromUrl fetches only for a model with a BERT encoder (BiLSTM models never load it).
setTransformersLoader({
  import: () => import('@huggingface/transformers'),
  require: () => {
    throw new Error('transformers.js loads asynchronously here (loadModelFromUrl loads it before building a BERT encoder)');
  },
});

/** `state` is for scripts and tests: loading, ready, working, done or error. */
function setStatus(state: string, text: string): void {
  status.dataset.state = state;
  status.textContent = text;
}

async function main(): Promise<void> {
  await initBrowserBackend({ wasmPaths: new URL('./wasm/', location.href).href });
  const modelUrl = new URL(new URLSearchParams(location.search).get('model') ?? './model/', location.href);
  const model = await loadModelFromUrl(modelUrl);
  const types = model.schema.entities.map((e) => e.name).join(', ');
  setStatus('ready', `Model loaded from ${modelUrl.href} (entity types: ${types}); backend ${describeBackend()}.`);
  button.disabled = false;

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    setStatus('working', 'Extracting…');
    try {
      const sentences = splitSentences(input.value).map((tokens) => ({ tokens }));
      const started = performance.now();
      const docs = model.predict(sentences);
      renderPrediction(result, docs);
      const entities = docs.reduce((n, d) => n + d.entities.length, 0);
      const relations = docs.reduce((n, d) => n + d.relations.length, 0);
      setStatus('done', `${sentences.length} sentence(s): ${entities} entities, ${relations} relations in ${Math.round(performance.now() - started)} ms.`);
    } catch (e) {
      setStatus('error', `Prediction failed: ${(e as Error).message}`);
      console.error(e);
    }
  });
}

main().catch((e: unknown) => {
  setStatus('error', `Could not start: ${(e as Error).message}`);
  console.error(e);
});
