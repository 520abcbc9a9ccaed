/**
 * JSON text in and out: parsing that reports malformed JSON by line and column, and a
 * writer that reproduces Python's `json.dumps` layout (the layout of the SpERT and
 * DyGIE++ files), so that files written here are byte-identical to the originals.
 */
import { DatasetError } from './errors.js';

/**
 * `JSON.parse`, throwing a `DatasetError` with the 1-based line and column of the problem.
 * `firstLine` is the line number of the text's first line in its file (for JSONL lines).
 */
export function parseJsonText(text: string, file: string | undefined, firstLine = 1): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    // V8 does not always say where ("Unexpected token '}', ... is not valid JSON"), so we
    // locate the problem with our own scanner and fall back to V8's words.
    const found = findJsonSyntaxError(text);
    const raw = err instanceof Error ? err.message : String(err);
    const position = found?.position ?? text.length;
    const reason = found?.reason ?? raw;
    const { line, column } = lineAndColumn(text, position);
    throw new DatasetError({ file, line: line + firstLine - 1, column }, `malformed JSON: ${reason}`);
  }
}

/**
 * The first syntax error of a JSON text (offset and reason), or undefined when it is valid.
 * A small recursive-descent scanner over RFC 8259; it builds no values.
 */
export function findJsonSyntaxError(text: string): { position: number; reason: string } | undefined {
  let i = 0;
  class Stop {
    constructor(
      readonly position: number,
      readonly reason: string,
    ) {}
  }
  const describe = (at: number) => (at >= text.length ? 'end of input' : `${JSON.stringify(text[at])}`);
  const fail = (reason: string, at = i): never => {
    throw new Stop(at, reason);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const expectChar = (c: string, what: string) => {
    ws();
    if (text[i] !== c) fail(`expected ${what} but found ${describe(i)}`);
    i++;
  };
  const string = () => {
    i++; // opening quote
    while (true) {
      if (i >= text.length) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) return void i++;
      if (c < 0x20) fail('control character in string (escape it)');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape in string');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail('bad escape in string');
      } else i++;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      while (true) {
        ws();
        if (text[i] !== '"') fail(`expected a property name in double quotes but found ${describe(i)}`);
        string();
        expectChar(':', "':' after the property name");
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail(`expected ',' or '}' after a property value but found ${describe(i)}`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      while (true) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail(`expected ',' or ']' after an array element but found ${describe(i)}`);
      }
    }
    if (c === '"') return string();
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m && m[0] !== '' && m[0] !== '-') return void (i += m[0].length);
    for (const word of ['true', 'false', 'null']) if (text.startsWith(word, i)) return void (i += word.length);
    fail(`unexpected ${describe(i)}`);
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${describe(i)} after the end of the JSON value`);
    return undefined;
  } catch (err) {
    if (err instanceof Stop) return { position: err.position, reason: err.reason };
    throw err;
  }
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Serializes like Python's `json.dumps(value)` with its defaults: `", "` and `": "`
 * separators, no newlines, and (with `ensureAscii`, the default) every character outside
 * printable ASCII written as a lowercase `\uXXXX` escape.
 *
 * Limitation: non-integer numbers use JavaScript's shortest form, which differs from
 * Python's `repr` for exponents (`1e-7` vs `1e-07`); the document model has only integers.
 */
export function toPythonJson(value: unknown, ensureAscii = true): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return quote(value, ensureAscii);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
    return JSON.stringify(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return '[' + value.map((v) => toPythonJson(v, ensureAscii)).join(', ') + ']';
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      parts.push(`${quote(k, ensureAscii)}: ${toPythonJson(v, ensureAscii)}`);
    }
    return '{' + parts.join(', ') + '}';
  }
  throw new TypeError(`toPythonJson: cannot serialize a ${typeof value}`);
}

function quote(s: string, ensureAscii: boolean): string {
  const json = JSON.stringify(s);
  if (!ensureAscii) return json;
  // Python escapes everything outside ' '..'~', UTF-16 unit by unit (astral characters as surrogate pairs).
  return json.replace(/[^\x20-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}
