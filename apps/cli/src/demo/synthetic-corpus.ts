/**
 * A synthetic corpus for the demo and for tests: English-like sentences built from
 * templates and invented names, annotated with entities and relations in the
 * SpERT JSON model. It is NOT taken from any dataset; it exists so the README's
 * main command runs on a fresh machine with no data and no network.
 */
import type { Document, TypeSchema } from '@spanrel/datasets';

/** Anything that yields uniform floats in [0, 1). */
export interface RandomSource {
  next(): number;
}

export const SYNTHETIC_SCHEMA: TypeSchema = {
  entities: [
    { name: 'Person', short: 'Per', verbose: 'Person' },
    { name: 'Organization', short: 'Org', verbose: 'Organization' },
    { name: 'Location', short: 'Loc', verbose: 'Location' },
  ],
  relations: [
    { name: 'Work_For', short: 'Work', verbose: 'Work for', symmetric: false },
    { name: 'Live_In', short: 'Live', verbose: 'Live in', symmetric: false },
    { name: 'OrgBased_In', short: 'OrgBI', verbose: 'Organization based in', symmetric: false },
    { name: 'Located_In', short: 'LocIn', verbose: 'Located in', symmetric: false },
    { name: 'Sibling_Of', short: 'Sib', verbose: 'Sibling of', symmetric: true },
  ],
};

const FIRST = ['Ada', 'Boris', 'Chiara', 'Dmitri', 'Elena', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kira', 'Luca', 'Mara', 'Nils', 'Olga', 'Pavel', 'Rosa', 'Sven', 'Tara', 'Viktor'];
const LAST = ['Albers', 'Brandt', 'Costa', 'Duval', 'Eklund', 'Ferreira', 'Gruber', 'Halvorsen', 'Ivanova', 'Janssen', 'Kowalski', 'Lindqvist', 'Moreau', 'Novak', 'Okafor'];
const ORG_HEAD = ['Northwind', 'Bluestone', 'Kestrel', 'Ironbridge', 'Silverline', 'Redwood', 'Harbor', 'Quantum', 'Meridian', 'Granite'];
const ORG_TAIL = [['Bank'], ['Motors'], ['Institute'], ['Press'], ['Labs'], ['Shipping', 'Company'], ['Energy', 'Group'], ['University']];
const CITY = [['Oslo'], ['Lisbon'], ['Tallinn'], ['Porto'], ['Ghent'], ['Bergen'], ['Cork'], ['Turku'], ['San', 'Marino'], ['Le', 'Havre'], ['New', 'Bristol']];
const REGION = [['Norway'], ['Portugal'], ['Estonia'], ['Belgium'], ['Ireland'], ['Finland'], ['the', 'Azores'], ['Flanders']];
const ROLE = ['engineer', 'analyst', 'director', 'spokesman', 'chemist', 'editor'];
const VERB_WORK = [['works', 'for'], ['joined'], ['was', 'hired', 'by'], ['leads', 'research', 'at']];
const VERB_LIVE = [['lives', 'in'], ['moved', 'to'], ['grew', 'up', 'in']];

interface Slot {
  words: string[];
  type?: string;
}

function pick<T>(rng: RandomSource, items: readonly T[]): T {
  return items[Math.floor(rng.next() * items.length)];
}

const person = (rng: RandomSource): Slot => ({ words: [pick(rng, FIRST), pick(rng, LAST)], type: 'Person' });
const org = (rng: RandomSource): Slot => ({ words: [pick(rng, ORG_HEAD), ...pick(rng, ORG_TAIL)], type: 'Organization' });
const city = (rng: RandomSource): Slot => ({ words: [...pick(rng, CITY)], type: 'Location' });
const region = (rng: RandomSource): Slot => ({ words: [...pick(rng, REGION)], type: 'Location' });
const text = (...words: string[]): Slot => ({ words });

type Rel = [type: string, head: number, tail: number];
/** A template: the slots of the sentence, and relations between slot indices. */
type Template = (rng: RandomSource) => { slots: Slot[]; relations: Rel[] };

const TEMPLATES: Template[] = [
  (r) => ({ slots: [person(r), text(...pick(r, VERB_WORK)), org(r), text('.')], relations: [['Work_For', 0, 2]] }),
  (r) => ({ slots: [person(r), text(',', 'a', pick(r, ROLE), 'at'), org(r), text(',', ...pick(r, VERB_LIVE)), city(r), text('.')], relations: [['Work_For', 0, 2], ['Live_In', 0, 4]] }),
  (r) => ({ slots: [org(r), text('is', 'based', 'in'), city(r), text(','), region(r), text('.')], relations: [['OrgBased_In', 0, 2], ['Located_In', 2, 4]] }),
  (r) => ({ slots: [text('The', 'headquarters', 'of'), org(r), text('moved', 'to'), city(r), text('last', 'year', '.')], relations: [['OrgBased_In', 1, 3]] }),
  (r) => ({ slots: [person(r), text('and', 'her', 'brother'), person(r), text('visited'), city(r), text('.')], relations: [['Sibling_Of', 0, 2]] }),
  (r) => ({ slots: [text('In'), city(r), text(','), person(r), text('met', 'officials', 'from'), org(r), text('.')], relations: [] }),
  (r) => ({ slots: [city(r), text('lies', 'in', 'the', 'north', 'of'), region(r), text('.')], relations: [['Located_In', 0, 2]] }),
  (r) => ({ slots: [text('A', 'spokesman', 'for'), org(r), text(',', 'which', 'has', 'offices', 'in'), city(r), text(',', 'declined', 'to', 'comment', '.')], relations: [['OrgBased_In', 1, 3]] }),
  (r) => ({ slots: [person(r), text('said', 'the', 'weather', 'was', 'mild', '.')], relations: [] }),
  (r) => ({ slots: [text('Prices', 'rose', 'sharply', 'on', 'Monday', '.')], relations: [] }),
];

/** Builds one sentence from a template, turning slots into tokens, entities and relations. */
function realise(template: Template, rng: RandomSource, id: string): Document {
  const { slots, relations } = template(rng);
  const tokens: string[] = [];
  const entityOfSlot = new Map<number, number>();
  const entities: Document['entities'] = [];
  slots.forEach((slot, i) => {
    if (slot.type) {
      entityOfSlot.set(i, entities.length);
      entities.push({ type: slot.type, start: tokens.length, end: tokens.length + slot.words.length });
    }
    tokens.push(...slot.words);
  });
  return {
    id,
    tokens,
    entities,
    relations: relations.map(([type, h, t]) => ({ type, head: entityOfSlot.get(h)!, tail: entityOfSlot.get(t)! })),
  };
}

/** `count` synthetic sentences, reproducible from the random source's seed. */
export function syntheticCorpus(count: number, rng: RandomSource, idPrefix = 'synthetic'): Document[] {
  return Array.from({ length: count }, (_, i) => realise(pick(rng, TEMPLATES), rng, `${idPrefix}-${i}`));
}
