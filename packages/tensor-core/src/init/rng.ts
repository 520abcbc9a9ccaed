/**
 * A small seeded pseudo-random generator (mulberry32). Every random choice in
 * spanrel (initialisers, dropout seeds, negative sampling, shuffling) draws from
 * one of these, so a run is reproducible from its seed.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The generator's whole state (a 32-bit integer), e.g. for a training checkpoint. */
  getState(): number {
    return this.state;
  }

  /** Restores a state from `getState()`: the generator then continues exactly where that one was. */
  setState(state: number): void {
    if (!Number.isInteger(state)) throw new Error(`Rng.setState: the state must be an integer, got ${JSON.stringify(state)}`);
    this.state = state >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /**
   * A fresh seed in [1, 2^31 - 1], e.g. for a tfjs random op or a child
   * generator. Never 0: tfjs' normal / truncated-normal ops treat a falsy seed as
   * "no seed" and fall back to Math.random.
   */
  seed(): number {
    return 1 + Math.floor(this.next() * 0x7ffffffe);
  }

  /** Fisher-Yates shuffle, in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /** `k` distinct items drawn without replacement (all of them when k >= length, none when k <= 0), in draw order. */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = items.slice();
    const n = Math.max(0, Math.min(k, copy.length));
    for (let i = 0; i < n; i++) {
      const j = i + this.int(copy.length - i);
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, n);
  }
}
