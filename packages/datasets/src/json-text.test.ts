import { describe, expect, it } from 'vitest';
import { DatasetError } from './errors.js';
import { createRng } from './rng.js';
import { findJsonSyntaxError, lineAndColumn, parseJsonText, toPythonJson } from './json-text.js';

describe('toPythonJson', () => {
  it('uses the separators of Python json.dumps', () => {
    // Expected strings written by hand from Python's json.dumps output.
    expect(toPythonJson({ a: [1, 2], b: { c: 'x' }, d: [], e: {} })).toBe('{"a": [1, 2], "b": {"c": "x"}, "d": [], "e": {}}');
    expect(toPythonJson([true, false, null, -3, 2.5])).toBe('[true, false, null, -3, 2.5]');
  });

  it('escapes non-ASCII as lowercase \\u escapes, astral characters as surrogate pairs', () => {
    expect(toPythonJson('Zürich – 😀')).toBe('"Z\\u00fcrich \\u2013 \\ud83d\\ude00"');
    expect(toPythonJson('tab\there "q" \\ \u007f')).toBe('"tab\\there \\"q\\" \\\\ \\u007f"');
    expect(toPythonJson('Zürich', false)).toBe('"Zürich"');
  });

  it('reads back to the same value', () => {
    const value = { tokens: ['é', 'a"b', '\n'], n: [0, 1e3], nested: [{ x: null }] };
    expect(JSON.parse(toPythonJson(value))).toEqual(value);
  });
});

describe('parseJsonText', () => {
  it('reports malformed JSON with its line and column', () => {
    const text = '[\n  {"a": 1},\n  {"a" 2}\n]';
    let err: DatasetError | undefined;
    try {
      parseJsonText(text, 'bad.json');
    } catch (e) {
      err = e as DatasetError;
    }
    expect(err).toBeInstanceOf(DatasetError);
    // The problem is the "2" at line 3, column 8 (1-based), counted by hand.
    expect([err!.line, err!.column]).toEqual([3, 8]);
    expect(err!.message).toMatch(/^bad\.json: line 3, column 8: malformed JSON: /);
  });

  it('places an early end of input at the end', () => {
    try {
      parseJsonText('[1,\n2', 'cut.json');
      expect.unreachable();
    } catch (e) {
      expect((e as DatasetError).line).toBe(2);
      expect((e as DatasetError).column).toBe(2);
    }
  });

  it('offsets the line for JSONL', () => {
    try {
      parseJsonText('{"a": }', 'x.jsonl', 7);
      expect.unreachable();
    } catch (e) {
      expect((e as DatasetError).line).toBe(7);
    }
  });

  it('lineAndColumn counts from 1', () => {
    expect(lineAndColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('findJsonSyntaxError', () => {
  it('agrees with JSON.parse on valid and corrupted texts', () => {
    const base = toPythonJson([{ tokens: ['a', 'b\\"', 'é'], entities: [{ type: 'X', start: 0, end: 2 }], n: -1.5e3, t: true, f: false, z: null }]);
    const rng = createRng(7);
    const alphabet = '{}[]",:0-1e.tfnu\\ x';
    let corrupted = 0;
    for (let trial = 0; trial < 400; trial++) {
      let text = base;
      const edits = 1 + rng.int(2);
      for (let k = 0; k < edits; k++) {
        const at = rng.int(text.length);
        const op = rng.int(3);
        const c = alphabet[rng.int(alphabet.length)];
        text = op === 0 ? text.slice(0, at) + text.slice(at + 1) : op === 1 ? text.slice(0, at) + c + text.slice(at) : text.slice(0, at) + c + text.slice(at + 1);
      }
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
        corrupted++;
      }
      const found = findJsonSyntaxError(text);
      expect(found === undefined, text).toBe(valid);
      if (found) expect(found.position).toBeLessThanOrEqual(text.length);
    }
    expect(corrupted).toBeGreaterThan(100);
  });

  it('points at the offending character', () => {
    expect(findJsonSyntaxError('[1, 2 3]')).toEqual({ position: 6, reason: "expected ',' or ']' after an array element but found \"3\"" });
    expect(findJsonSyntaxError('{"a": }')?.position).toBe(6);
    expect(findJsonSyntaxError('[1] x')?.position).toBe(4);
    expect(findJsonSyntaxError('"abc')?.reason).toBe('unterminated string');
  });
});
