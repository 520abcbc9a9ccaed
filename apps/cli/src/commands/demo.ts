import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { computeStatistics, createRng, formatStatistics, writeDocuments, writeTypeSchema } from '@spanrel/datasets';
import { optionalInt, type CliIO, type Command } from '../command.js';
import { SYNTHETIC_SCHEMA, syntheticCorpus } from '../demo/synthetic-corpus.js';
import { BACKEND_USAGE } from '../model-runtime.js';
import { evalCommand } from './eval.js';
import { predictCommand } from './predict.js';
import { reportCommand } from './report.js';
import { trainCommand } from './train.js';

/** Sentences the demo model has never seen, in the style of the synthetic corpus. */
const DEMO_TEXT = 'Greta Moreau , a chemist at Kestrel Labs , lives in Porto . Meridian Press is based in Ghent , Belgium .';

/** Runs another command with these flags, echoing it as a person would type it. */
async function step(command: Command, flags: Record<string, string | undefined>, io: CliIO): Promise<void> {
  const argv = Object.entries(flags).flatMap(([flag, value]) => (value === undefined ? [] : [`--${flag}`, value]));
  io.out(`\n== spanrel ${command.name} ${argv.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
  const values = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  const code = await command.run(values, io);
  if (code !== 0) throw new Error(`spanrel ${command.name} exited with ${code}`);
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'end to end on a synthetic corpus: statistics, train a model, evaluate it, predict new text, write its HTML report',
  usage: `spanrel demo [--out runs/demo] [--preset spert] [--epochs 3] [--sentences 600] [--seed 13] [--config FILE]
  The corpus is synthetic (template sentences with invented names), not taken from any data set.
  --out        folder for the corpus, the types file, the training run, the predictions and report.html (default runs/demo)
  --preset     spert, dixit, ji2020, twophase or stsn (default spert)
  --epochs     training epochs (default 3: a few minutes on 2 cores)
  --sentences  corpus size, split 70/15/15 into train/dev/test (default 600)
  --seed       random seed of the corpus and the training run (default 13)
  --config     a JSON file overriding preset fields (see spanrel train)
${BACKEND_USAGE}`,
  options: {
    out: { type: 'string' },
    preset: { type: 'string' },
    epochs: { type: 'string' },
    sentences: { type: 'string' },
    seed: { type: 'string' },
    config: { type: 'string' },
    backend: { type: 'string' },
  },
  async run(values, io) {
    const out = typeof values.out === 'string' ? values.out : join('runs', 'demo');
    const total = optionalInt(values, 'sentences', 600);
    const seed = optionalInt(values, 'seed', 13);
    const corpus = syntheticCorpus(total, createRng(seed), 'demo');
    const nTrain = Math.floor(total * 0.7);
    const nDev = Math.floor(total * 0.15);
    const splits = { train: corpus.slice(0, nTrain), dev: corpus.slice(nTrain, nTrain + nDev), test: corpus.slice(nTrain + nDev) };
    const file = (name: string) => join(out, name);

    mkdirSync(out, { recursive: true });
    writeTypeSchema(file('types.json'), SYNTHETIC_SCHEMA);
    for (const [name, docs] of Object.entries(splits)) writeDocuments(file(`${name}.json`), docs);
    io.out(`Synthetic demo corpus (not from any data set): ${nTrain} train / ${nDev} dev / ${splits.test.length} test sentences in ${out}/`);

    io.out(`\n== spanrel stats --data ${file('train.json')} --types ${file('types.json')}`);
    io.out(formatStatistics(computeStatistics(splits.train, SYNTHETIC_SCHEMA, { maxWidth: 10 })));

    // The demo owns its run folder: a second demo starts a fresh run rather than refusing to overwrite.
    rmSync(file('run'), { recursive: true, force: true });
    const backend = typeof values.backend === 'string' ? values.backend : undefined;
    await step(
      trainCommand,
      {
        preset: typeof values.preset === 'string' ? values.preset : 'spert',
        config: typeof values.config === 'string' ? values.config : undefined,
        epochs: String(optionalInt(values, 'epochs', 3)),
        seed: String(seed),
        train: file('train.json'),
        dev: file('dev.json'),
        types: file('types.json'),
        out: file('run'),
        backend,
      },
      io,
    );
    await step(evalCommand, { model: file('run'), data: file('test.json'), pred: file('test_predictions.json'), backend }, io);
    await step(predictCommand, { model: file('run'), text: DEMO_TEXT, out: file('text_predictions.json'), backend }, io);
    // The test predictions of the eval step, so the report's scores are the ones printed above.
    await step(reportCommand, { model: file('run'), data: file('test.json'), pred: file('test_predictions.json'), types: file('types.json'), out: file('report.html') }, io);
    io.out(`\nReport (scores, training curves, errors), open it in a browser: ${file('report.html')}`);
    return 0;
  },
};
