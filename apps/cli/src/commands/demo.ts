import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { computeStatistics, createRng, formatStatistics, writeDocuments, writeTypeSchema, type Document } from '@spanrel/datasets';
import { evaluate, formatEvaluation } from '@spanrel/eval';
import { optionalInt, type Command } from '../command.js';
import { GazetteerBaseline } from '../demo/gazetteer-baseline.js';
import { SYNTHETIC_SCHEMA, syntheticCorpus } from '../demo/synthetic-corpus.js';

/** Renders a document's entities and relations on one line each, for a person to read. */
export function describePrediction(doc: Document): string {
  const mention = (i: number) => {
    const e = doc.entities[i];
    return `[${doc.tokens.slice(e.start, e.end).join(' ')}]${e.type}`;
  };
  const lines = [`  ${doc.tokens.join(' ')}`];
  lines.push(`    entities:  ${doc.entities.map((_, i) => mention(i)).join('  ') || '(none)'}`);
  lines.push(`    relations: ${doc.relations.map((r) => `${mention(r.head)} -${r.type}-> ${mention(r.tail)}`).join('  ') || '(none)'}`);
  return lines.join('\n');
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'write a synthetic corpus, print its statistics, predict its test split with a baseline and score it',
  usage: `spanrel demo [--out runs/demo] [--seed 13] [--sentences 600]
  The corpus is synthetic (templates and invented names), not taken from any data set.
  --out        folder for the corpus, the types file and the predictions (default runs/demo)
  --seed       random seed of the corpus (default 13)
  --sentences  corpus size, split 70/15/15 into train/dev/test (default 600)`,
  options: { out: { type: 'string' }, seed: { type: 'string' }, sentences: { type: 'string' } },
  async run(values, io) {
    const out = typeof values.out === 'string' ? values.out : join('runs', 'demo');
    const total = optionalInt(values, 'sentences', 600);
    const corpus = syntheticCorpus(total, createRng(optionalInt(values, 'seed', 13)), 'demo');
    const nTrain = Math.floor(total * 0.7);
    const nDev = Math.floor(total * 0.15);
    const splits = { train: corpus.slice(0, nTrain), dev: corpus.slice(nTrain, nTrain + nDev), test: corpus.slice(nTrain + nDev) };

    mkdirSync(out, { recursive: true });
    writeTypeSchema(join(out, 'types.json'), SYNTHETIC_SCHEMA);
    for (const [name, docs] of Object.entries(splits)) writeDocuments(join(out, `${name}.json`), docs);
    io.out(`Synthetic demo corpus (not from any data set): ${nTrain} train / ${nDev} dev / ${splits.test.length} test sentences in ${out}/\n`);

    io.out(`== spanrel stats --data ${join(out, 'train.json')} --types ${join(out, 'types.json')}`);
    io.out(formatStatistics(computeStatistics(splits.train, SYNTHETIC_SCHEMA, { maxWidth: 10 })));

    const baseline = new GazetteerBaseline().fit(splits.train);
    const predictions = splits.test.map((doc) => baseline.predict(doc));
    writeDocuments(join(out, 'test_predictions.json'), predictions);
    io.out(`\n== predictions of a gazetteer baseline (until a model is trained), a few of ${predictions.length}:`);
    for (const doc of predictions.slice(0, 3)) io.out(describePrediction(doc));

    io.out(`\n== spanrel evaluate --gold ${join(out, 'test.json')} --pred ${join(out, 'test_predictions.json')} --types ${join(out, 'types.json')}`);
    io.out(formatEvaluation(evaluate(splits.test, predictions, SYNTHETIC_SCHEMA)));
    return 0;
  },
};
