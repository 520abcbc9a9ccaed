import { describe, expect, it } from 'vitest';
import { DatasetError } from './errors.js';
import { formatTypeSchema, inferTypeSchema, parseTypeSchema, symmetricRelationTypes } from './type-schema.js';

const TYPES = `{"entities": {"Loc": {"short": "Loc", "verbose": "Location"}, "Peop": {"short": "Peop", "verbose":"People"}},
"relations": {"Work_For": {"short": "Work", "verbose": "Work for", "symmetric": false}, "Conj": {"short": "Conj", "verbose": "Conjunction", "symmetric": true}}}
`;

describe('type schema', () => {
  it('parses a SpERT types file in key order, with symmetric flags', () => {
    const schema = parseTypeSchema(TYPES);
    expect(schema.entities).toEqual([
      { name: 'Loc', short: 'Loc', verbose: 'Location' },
      { name: 'Peop', short: 'Peop', verbose: 'People' },
    ]);
    expect(schema.relations.map((r) => [r.name, r.symmetric])).toEqual([
      ['Work_For', false],
      ['Conj', true],
    ]);
    expect([...symmetricRelationTypes(schema)]).toEqual(['Conj']);
  });

  it('formats back to an equal schema', () => {
    const schema = parseTypeSchema(TYPES);
    expect(parseTypeSchema(formatTypeSchema(schema))).toEqual(schema);
  });

  it('defaults short/verbose to the name and symmetric to false', () => {
    const schema = parseTypeSchema('{"entities": {"X": {}}, "relations": {"R": {"short": "r"}}}');
    expect(schema.entities[0]).toEqual({ name: 'X', short: 'X', verbose: 'X' });
    expect(schema.relations[0]).toEqual({ name: 'R', short: 'r', verbose: 'R', symmetric: false });
  });

  it('reports wrong types and missing sections by field', () => {
    try {
      parseTypeSchema('{"entities": {"X": {"short": 1}}, "relations": {"R": {"symmetric": "yes"}}}', 'types.json');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DatasetError);
      const e = err as DatasetError;
      expect(e.errors.map((x) => x.field)).toEqual(['entities.X.short', 'relations.R.symmetric']);
      expect(e.message).toMatch(/^types\.json: entities\.X\.short must be a string \(got number\)/);
    }
    expect(() => parseTypeSchema('{"entities": {}}', 't.json')).toThrow('t.json: relations is missing');
  });

  it('infers a schema from documents', () => {
    const schema = inferTypeSchema([
      { id: '0', tokens: ['a', 'b'], entities: [{ type: 'Z', start: 0, end: 1 }, { type: 'A', start: 1, end: 2 }], relations: [{ type: 'R', head: 0, tail: 1 }] },
    ]);
    expect(schema.entities.map((e) => e.name)).toEqual(['A', 'Z']);
    expect(schema.relations).toEqual([{ name: 'R', short: 'R', verbose: 'R', symmetric: false }]);
  });
});
