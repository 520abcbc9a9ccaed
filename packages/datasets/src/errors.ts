/**
 * `DatasetError`: every problem found in a data file, located by file, document and field,
 * so that a user can open the file and fix it without reading spanrel's code.
 */

/** Where a problem is. Every part is optional; the message names the parts that are known. */
export interface DatasetErrorLocation {
  /** The file (or the `source` name given to a `parse*` function). */
  file?: string;
  /** 0-based position of the document in the file (a line of a JSONL file, an entry of a JSON array, a sentence of a CoNLL file). */
  docIndex?: number;
  /** The document's id (`orig_id`, `doc_key`, ...), when known. */
  docId?: string;
  /** The field inside the document, e.g. `entities[3].end` or `ner[0][2][1]`. */
  field?: string;
  /** 1-based line in the file, when the format is line oriented or the JSON is malformed. */
  line?: number;
  /** 1-based column, for malformed JSON. */
  column?: number;
}

/**
 * A problem in a data set. `message` names the file, the document (index and id), the
 * field and what is wrong, e.g.
 * `conll04_train.json: document 17 (id 5173): entities[3].end = 42 is out of range (the document has 40 tokens)`.
 *
 * Readers collect every error of a file and throw the first one; its `errors` holds all of
 * them (this one first) and `furtherErrors` how many come after it.
 */
export class DatasetError extends Error {
  readonly file: string | undefined;
  readonly docIndex: number | undefined;
  readonly docId: string | undefined;
  readonly field: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** What is wrong, without the location prefix. */
  readonly problem: string;
  /** Number of errors found after this one in the same file (0 when thrown alone). */
  readonly furtherErrors: number;
  /** All errors found in the file, this one first (just `[this]` when thrown alone). */
  readonly errors: readonly DatasetError[];

  constructor(location: DatasetErrorLocation, problem: string, all?: { furtherErrors: number; errors: readonly DatasetError[] }) {
    const text = problemWithField(location.field, problem);
    const further = all?.furtherErrors ?? 0;
    const suffix = further > 0 ? ` (and ${further} more error${further === 1 ? '' : 's'} in this file)` : '';
    super(`${locationPrefix(location)}${text}${suffix}`);
    this.name = 'DatasetError';
    this.file = location.file;
    this.docIndex = location.docIndex;
    this.docId = location.docId;
    this.field = location.field;
    this.line = location.line;
    this.column = location.column;
    this.problem = problem;
    this.furtherErrors = further;
    this.errors = all?.errors ?? [this];
  }

  /** The location this error was made with (to re-locate it, e.g. into another file name). */
  get location(): DatasetErrorLocation {
    return { file: this.file, docIndex: this.docIndex, docId: this.docId, field: this.field, line: this.line, column: this.column };
  }

  /**
   * The error to throw for a list of errors: the first one, carrying the whole list and a
   * count of the further errors in its message. The list must not be empty.
   */
  static fromList(errors: readonly DatasetError[]): DatasetError {
    if (errors.length === 0) throw new Error('DatasetError.fromList: empty list');
    const first = errors[0];
    if (errors.length === 1) return first;
    return new DatasetError(first.location, first.problem, { furtherErrors: errors.length - 1, errors });
  }
}

/** Throws `DatasetError.fromList(errors)` when the list is not empty. */
export function throwIfAny(errors: readonly DatasetError[]): void {
  if (errors.length > 0) throw DatasetError.fromList(errors);
}

function locationPrefix(loc: DatasetErrorLocation): string {
  const parts: string[] = [loc.file ?? '<input>'];
  if (loc.line !== undefined) parts.push(loc.column !== undefined ? `line ${loc.line}, column ${loc.column}` : `line ${loc.line}`);
  if (loc.docIndex !== undefined) {
    parts.push(loc.docId !== undefined ? `document ${loc.docIndex} (id ${loc.docId})` : `document ${loc.docIndex}`);
  } else if (loc.docId !== undefined) {
    parts.push(`document id ${loc.docId}`);
  }
  return parts.join(': ') + ': ';
}

// The message always names the field: problems written as "<field> = 3 is ..." already do.
function problemWithField(field: string | undefined, problem: string): string {
  if (field === undefined || problem.startsWith(field)) return problem;
  return `${field}: ${problem}`;
}

/** `typeof`, but telling arrays and null apart, for "wrong type" messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * A harmless quirk in a data file that was repaired instead of refused: a duplicate entity
 * (same span and type; merged into its first copy, relations re-pointed) or a duplicate
 * relation (same type, head and tail; dropped). Located like a `DatasetError`; `message`
 * names the file, the document (index and id) and the field.
 */
export class DatasetWarning {
  readonly file: string | undefined;
  readonly docIndex: number | undefined;
  readonly docId: string | undefined;
  readonly field: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** What was found and done, without the location prefix. */
  readonly problem: string;
  readonly message: string;

  constructor(location: DatasetErrorLocation, problem: string) {
    this.file = location.file;
    this.docIndex = location.docIndex;
    this.docId = location.docId;
    this.field = location.field;
    this.line = location.line;
    this.column = location.column;
    this.problem = problem;
    this.message = `${locationPrefix(location)}${problemWithField(location.field, problem)}`;
  }

  toString(): string {
    return `warning: ${this.message}`;
  }
}

/**
 * Warnings as text, one block per file: a count, then the first `maxListed` (default 3)
 * locations, e.g.
 * ```
 * warning: train.json: 4 duplicate annotations merged (strict: true makes them errors)
 *   document 12 (id 3): relations[1] duplicates relations[0] (same type, head and tail); dropped
 *   ... (and 1 more)
 * ```
 * `hint` replaces the text in parentheses (the CLI names its `--strict` flag).
 */
export function formatWarnings(warnings: readonly DatasetWarning[], options: { maxListed?: number; hint?: string } = {}): string {
  const maxListed = options.maxListed ?? 3;
  const hint = options.hint ?? 'strict: true makes them errors';
  const byFile = new Map<string, DatasetWarning[]>();
  for (const w of warnings) {
    const key = w.file ?? '<input>';
    byFile.set(key, [...(byFile.get(key) ?? []), w]);
  }
  const blocks: string[] = [];
  for (const [file, list] of byFile) {
    const lines = [`warning: ${file}: ${list.length} duplicate annotation${list.length === 1 ? '' : 's'} merged (${hint})`];
    for (const w of list.slice(0, maxListed)) lines.push(`  ${locationPrefix({ ...w, file: undefined }).replace(/^<input>: /, '')}${problemWithField(w.field, w.problem)}`);
    if (list.length > maxListed) lines.push(`  ... (and ${list.length - maxListed} more)`);
    blocks.push(lines.join('\n'));
  }
  return blocks.join('\n');
}

/** What readers do with a file's warnings: `onWarnings` when given, else print them (see `formatWarnings`) to stderr. */
export function reportWarnings(warnings: readonly DatasetWarning[], onWarnings: ((warnings: readonly DatasetWarning[]) => void) | undefined): void {
  if (warnings.length === 0) return;
  if (onWarnings) onWarnings(warnings);
  else console.warn(formatWarnings(warnings));
}
