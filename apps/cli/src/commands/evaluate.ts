import { readDocuments, readTypeSchema } from '@spanrel/datasets';
import { evaluate, formatEvaluation } from '@spanrel/eval';
import { requireString, type Command } from '../command.js';
import { dataReadOptions, STRICT_OPTION } from '../data-options.js';

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'score predicted documents against gold: NER, RE and RE+ micro/macro P/R/F1',
  usage: `spanrel evaluate --gold G.json --pred P.json --types T.json [--json] [--no-overlap]
  --gold        gold documents
  --pred        predicted documents, in the same order, with the same tokens
  --types       the types file (its "symmetric" flags make relation types order-free)
  --no-overlap  score without overlapping entities (as reported for ADE)
  --json        print one JSON object {ner, re, rePlus}
  --strict      check the gold documents as training data: duplicate entities and relations and
                self-relations are errors (default: accepted, as the scorer treats tuples as sets)`,
  options: { gold: { type: 'string' }, pred: { type: 'string' }, types: { type: 'string' }, json: { type: 'boolean' }, 'no-overlap': { type: 'boolean' }, ...STRICT_OPTION },
  async run(values, io) {
    const schema = readTypeSchema(requireString(values, 'types'));
    // Scoring treats tuples as sets, so duplicates and self-relations are harmless here;
    // predicted types outside the types file are scored as types of their own.
    const strict = values.strict === true;
    const gold = readDocuments(requireString(values, 'gold'), { schema, lenient: !strict, ...dataReadOptions(values, io) });
    const pred = readDocuments(requireString(values, 'pred'), { lenient: true });
    const result = evaluate(gold, pred, schema, { removeOverlapping: values['no-overlap'] === true });
    io.out(values.json ? JSON.stringify(result) : formatEvaluation(result));
    return 0;
  },
};
