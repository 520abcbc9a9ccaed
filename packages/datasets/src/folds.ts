/**
 * Seeded k-fold cross-validation splits (ADE is evaluated over 10 folds). The test parts
 * of the k folds are disjoint and together cover every item; each fold's train part is
 * everything else. The same seed gives the same folds.
 */
import { createRng } from './rng.js';

/** One fold: indices (ascending) of its test items and of its train items. */
export interface FoldIndices {
  train: number[];
  test: number[];
}

/** One fold of items. */
export interface Fold<T> {
  train: T[];
  test: T[];
}

export interface KFoldOptions {
  /**
   * Items with the same group key are kept in the same fold (e.g. the sentences of one
   * document). Folds are then balanced greedily by item count, so sizes may differ by more
   * than one.
   */
  groups?: readonly string[];
}

/**
 * k folds over `n` items: the items (or groups) are shuffled with `seed` and dealt round
 * robin, so without groups the test sizes differ by at most one. Requires 2 <= k <= number
 * of items (or groups).
 */
export function kFoldIndices(n: number, k: number, seed: number, options: KFoldOptions = {}): FoldIndices[] {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer >= 2 (got ${k})`);
  if (options.groups && options.groups.length !== n) throw new RangeError(`groups has ${options.groups.length} keys for ${n} items`);
  // Units that must stay together: groups, or single items.
  const units: number[][] = [];
  if (options.groups) {
    const byKey = new Map<string, number[]>();
    options.groups.forEach((key, i) => {
      let unit = byKey.get(key);
      if (!unit) byKey.set(key, (unit = []));
      unit.push(i);
    });
    units.push(...byKey.values());
  } else {
    for (let i = 0; i < n; i++) units.push([i]);
  }
  if (k > units.length) throw new RangeError(`k = ${k} is more than the ${units.length} ${options.groups ? 'groups' : 'items'} to split`);
  createRng(seed).shuffleInPlace(units);

  const tests: number[][] = Array.from({ length: k }, () => []);
  if (!options.groups) {
    units.forEach((unit, u) => tests[u % k].push(...unit));
  } else {
    // Largest groups first, each into the currently smallest fold (stable sort keeps the shuffle among equal sizes).
    const order = units.map((unit, u) => ({ unit, u })).sort((a, b) => b.unit.length - a.unit.length || a.u - b.u);
    for (const { unit } of order) {
      let smallest = 0;
      for (let f = 1; f < k; f++) if (tests[f].length < tests[smallest].length) smallest = f;
      tests[smallest].push(...unit);
    }
  }
  return tests.map((test) => {
    test.sort((a, b) => a - b);
    const inTest = new Set(test);
    const train: number[] = [];
    for (let i = 0; i < n; i++) if (!inTest.has(i)) train.push(i);
    return { train, test };
  });
}

/** k folds of `items` (see `kFoldIndices`); `groupOf` keeps items with the same key together. */
export function kFoldSplits<T>(items: readonly T[], k: number, seed: number, groupOf?: (item: T, index: number) => string): Fold<T>[] {
  const groups = groupOf ? items.map(groupOf) : undefined;
  return kFoldIndices(items.length, k, seed, { groups }).map(({ train, test }) => ({
    train: train.map((i) => items[i]),
    test: test.map((i) => items[i]),
  }));
}
