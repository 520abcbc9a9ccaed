import type { JointSpec } from './joint-spec.js';

type Json = Record<string, unknown>;

/** Collects every problem of a spec, each naming its field, and throws them together. */
class SpecChecker {
  readonly problems: string[] = [];

  constructor(private readonly root: Json) {}

  value(path: string): unknown {
    let at: unknown = this.root;
    if (path === '') return at;
    for (const part of path.split('.')) at = typeof at === 'object' && at !== null ? (at as Json)[part] : undefined;
    return at;
  }

  fail(path: string, expected: string, got: unknown = this.value(path)): void {
    this.problems.push(`${path} must be ${expected}, got ${JSON.stringify(got) ?? 'nothing'}`);
  }

  object(path: string, known: readonly string[]): boolean {
    const v = this.value(path);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.fail(path, 'an object');
      return false;
    }
    for (const key of Object.keys(v)) {
      if (!known.includes(key)) this.problems.push(`${path ? `${path}.` : ''}${key} is not a known field (known: ${known.join(', ')})`);
    }
    return true;
  }

  int(path: string, min: number, nullable = false): void {
    const v = this.value(path);
    if (nullable && v === null) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) this.fail(path, `an integer >= ${min}${nullable ? ' or null' : ''}`);
  }

  number(path: string, min: number, max: number, nullable = false): void {
    const v = this.value(path);
    if (nullable && v === null) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) this.fail(path, `a number in [${min}, ${max}]${nullable ? ' or null' : ''}`);
  }

  oneOf(path: string, options: readonly unknown[]): void {
    if (!options.includes(this.value(path))) this.fail(path, `one of ${options.map((o) => JSON.stringify(o)).join(', ')}`);
  }

  string(path: string): void {
    const v = this.value(path);
    if (typeof v !== 'string' || v.length === 0) this.fail(path, 'a non-empty string');
  }

  boolean(path: string): void {
    if (typeof this.value(path) !== 'boolean') this.fail(path, 'true or false');
  }

  component(path: string, extra: readonly string[] = []): void {
    if (!this.object(path, ['name', 'config', ...extra])) return;
    this.string(`${path}.name`);
    this.object(`${path}.config`, Object.keys((this.value(`${path}.config`) as Json | undefined) ?? {}));
  }
}

const TOP = ['preset', 'seed', 'encoder', 'spanHead', 'entityClassifier', 'relationHead', 'tokenInteraction', 'tagger', 'maxSpanWidth', 'maxKeptSpans', 'keptSpansPerWord', 'minKeptSpans', 'decodeBatchSize', 'entityOverlap', 'training'];
const TRAINING = [
  'epochs',
  'batchSize',
  'sampling',
  'lossReduction',
  'loss',
  'optimizer',
  'clipNorm',
  'earlyStoppingPatience',
  'timeBudgetMinutes',
  'selectionMetric',
  'checkpointEverySteps',
  'checkpointEverySeconds',
];

/**
 * Throws one error listing every field of `spec` that is missing, of the wrong
 * type, out of range or unknown (a typo in a config file), each by its dotted
 * path, prefixed by `source`. Narrows `spec` to {@link JointSpec}.
 */
export function checkSpec(spec: unknown, source = 'config'): asserts spec is JointSpec {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new Error(`${source}: the spec must be a JSON object`);
  const c = new SpecChecker(spec as Json);
  c.object('', TOP); // unknown top-level keys
  c.string('preset');
  c.int('seed', 0);
  c.component('encoder', ['vocabulary']);
  if (c.object('encoder.vocabulary', ['lowercase', 'minCount'])) {
    c.boolean('encoder.vocabulary.lowercase');
    c.int('encoder.vocabulary.minCount', 1);
  }
  c.component('spanHead');
  c.component('entityClassifier');
  c.component('relationHead');
  // STSN's optional parts: both or neither.
  const hasInteraction = c.value('tokenInteraction') !== undefined;
  const hasTagger = c.value('tagger') !== undefined;
  if (hasInteraction) c.component('tokenInteraction');
  if (hasTagger) c.component('tagger');
  if (hasInteraction !== hasTagger) c.problems.push(`${hasInteraction ? 'tokenInteraction' : 'tagger'} is set without ${hasInteraction ? 'tagger' : 'tokenInteraction'} (STSN needs both)`);
  c.int('maxSpanWidth', 1);
  c.int('maxKeptSpans', 1, true);
  if (c.value('keptSpansPerWord') !== undefined) c.number('keptSpansPerWord', Number.MIN_VALUE, Infinity, true);
  if (c.value('minKeptSpans') !== undefined) c.int('minKeptSpans', 1);
  c.int('decodeBatchSize', 1);
  if (c.value('entityOverlap') !== undefined) c.oneOf('entityOverlap', ['auto', 'allow', 'flat']);
  if (c.object('training', TRAINING)) {
    c.int('training.epochs', 1);
    c.int('training.batchSize', 1);
    c.oneOf('training.lossReduction', ['mean', 'sum']);
    c.number('training.clipNorm', Number.MIN_VALUE, Infinity, true);
    c.int('training.earlyStoppingPatience', 1, true);
    if (c.value('training.timeBudgetMinutes') !== undefined) c.number('training.timeBudgetMinutes', Number.MIN_VALUE, Infinity, true);
    c.oneOf('training.selectionMetric', ['rePlus', 're', 'ner']);
    c.int('training.checkpointEverySteps', 1);
    c.number('training.checkpointEverySeconds', 0, Infinity, true);
    const strategy = c.value('training.sampling.strategy');
    if (strategy === 'spert') {
      if (c.object('training.sampling', ['strategy', 'negativeEntities', 'negativeRelations', 'maxWidth'])) {
        c.int('training.sampling.negativeEntities', 0);
        c.int('training.sampling.negativeRelations', 0);
        c.int('training.sampling.maxWidth', 1);
      }
    } else if (strategy === 'ratio') {
      if (c.object('training.sampling', ['strategy', 'ratio', 'maxWidth'])) {
        c.int('training.sampling.ratio', 0);
        c.int('training.sampling.maxWidth', 1);
      }
    } else if (strategy === 'all-spans') {
      if (c.object('training.sampling', ['strategy', 'relationCandidates', 'maxSelectedSpans'])) {
        c.oneOf('training.sampling.relationCandidates', ['selected', 'selected+gold']);
        c.int('training.sampling.maxSelectedSpans', 2, true);
      }
    } else {
      c.oneOf('training.sampling.strategy', ['spert', 'ratio', 'all-spans']);
    }
    const lossKind = c.value('training.loss.kind');
    if (c.value('training.loss') === undefined) {
      // optional: weighted-sum 1, 1
    } else if (lossKind === 'weighted-sum') {
      if (c.object('training.loss', ['kind', 'entityWeight', 'relationWeight'])) {
        c.number('training.loss.entityWeight', 0, Infinity);
        c.number('training.loss.relationWeight', 0, Infinity);
      }
    } else if (lossKind === 'two-phase' || lossKind === 'stsn') {
      c.object('training.loss', ['kind']);
    } else {
      c.oneOf('training.loss.kind', ['weighted-sum', 'two-phase', 'stsn']);
    }
    if (c.object('training.optimizer', ['lr', 'weightDecay', 'beta1', 'beta2', 'eps', 'biasCorrection', 'fused', 'lrMultipliers'])) {
      if (c.value('training.optimizer.fused') !== undefined) c.boolean('training.optimizer.fused');
      const multipliers = c.value('training.optimizer.lrMultipliers');
      if (multipliers !== undefined) {
        // Keys are parameter-name prefixes ("tokenInteraction."), so they are checked here, not by path.
        const path = 'training.optimizer.lrMultipliers';
        if (typeof multipliers !== 'object' || multipliers === null || Array.isArray(multipliers)) c.fail(path, 'an object of parameter-name prefix -> factor');
        else {
          for (const [prefix, factor] of Object.entries(multipliers)) {
            if (typeof factor !== 'number' || !(factor >= 0) || !Number.isFinite(factor)) c.fail(`${path}["${prefix}"]`, 'a finite number >= 0', factor);
          }
        }
      }
      c.number('training.optimizer.weightDecay', 0, 1);
      c.number('training.optimizer.beta1', 0, 0.999999);
      c.number('training.optimizer.beta2', 0, 0.999999);
      c.number('training.optimizer.eps', 0, 1);
      c.boolean('training.optimizer.biasCorrection');
      const kind = c.value('training.optimizer.lr.kind');
      const lr = 'training.optimizer.lr';
      if (kind === 'constant') {
        if (c.object(lr, ['kind', 'lr'])) c.number(`${lr}.lr`, 0, 10);
      } else if (kind === 'linear-warmup-decay') {
        if (c.object(lr, ['kind', 'peakLr', 'warmupProportion'])) {
          c.number(`${lr}.peakLr`, 0, 10);
          c.number(`${lr}.warmupProportion`, 0, 1);
        }
      } else if (kind === 'step-decay') {
        if (c.object(lr, ['kind', 'lr', 'factor', 'every'])) {
          c.number(`${lr}.lr`, 0, 10);
          c.number(`${lr}.factor`, Number.MIN_VALUE, 1);
          c.int(`${lr}.every`, 1);
        }
      } else {
        c.oneOf(`${lr}.kind`, ['constant', 'linear-warmup-decay', 'step-decay']);
      }
    }
  }
  if (c.problems.length > 0) throw new Error(`${source}: ${c.problems.join('; ')}`);
}
