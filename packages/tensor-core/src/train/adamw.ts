import * as tf from '@tensorflow/tfjs-core';
import { makeLrSchedule, type LrSchedule, type LrScheduleConfig } from './lr-schedule.js';
import { DEFAULT_NO_DECAY, matchesAnyPattern, type NamePattern } from './name-patterns.js';
import { clipByGlobalNorm } from './clip-grad-norm.js';
import { fusedAdamWUpdate, fusedBackend, fusedGlobalNorm } from './fused-adamw.js';

/** Hyperparameters of {@link AdamW}; defaults are PyTorch's, except `noDecay` (PyTorch decays every parameter). */
export interface AdamWOptions {
  /** A fixed lr, a schedule `step -> lr`, or a schedule's JSON config (default 1e-3). */
  lr?: number | LrSchedule | LrScheduleConfig;
  /** Decay of the first-moment average (default 0.9). */
  beta1?: number;
  /** Decay of the second-moment average (default 0.999). */
  beta2?: number;
  /** Added to `sqrt(v_hat)` in the denominator (default 1e-8). */
  eps?: number;
  /** Decoupled weight decay factor (default 0.01, as `torch.optim.AdamW`; 0 gives plain Adam). */
  weightDecay?: number;
  /** Parameter names that get no weight decay (default {@link DEFAULT_NO_DECAY}; `[]` decays all, as PyTorch). */
  noDecay?: readonly NamePattern[];
  /**
   * Divide the moments by `1 - beta^t` (default true, PyTorch). SpERT's reference
   * code used Hugging Face `AdamW(correct_bias=False)`; pass false to reproduce it.
   */
  biasCorrection?: boolean;
  /**
   * Fused update (default true): on the wasm and cpu backends, one JS pass per
   * parameter over the backend's own float32 storage (moments and parameter
   * updated in place, clipping folded in) instead of ~12 tfjs kernels per
   * parameter; same float32 rounding as the op-by-op path, so the same numbers.
   * Other backends (tfjs-node) always run op-by-op. `false` forces op-by-op.
   */
  fused?: boolean;
  /**
   * Per-group learning rates, as PyTorch's parameter groups: a parameter whose
   * name starts with a key gets the schedule's lr times that key's factor (the
   * longest matching key wins; weight decay scales with it, as in PyTorch).
   * Example: `{ "tokenInteraction.": 0.1 }`. Default none.
   */
  lrMultipliers?: Readonly<Record<string, number>>;
}

/** Options of {@link AdamW.step}. */
export interface AdamWStepOptions {
  /**
   * Clip the gradients to this global L2 norm first, exactly as
   * `clipByGlobalNorm` (PyTorch `clip_grad_norm_`); the fused path folds the
   * scale into the update instead of making scaled copies.
   */
  clip?: number;
}

/** Per-parameter optimizer state, as PyTorch keeps it. */
interface ParamState {
  /** Number of updates this parameter received. */
  step: number;
  /** First-moment running average, shape of the parameter. */
  expAvg: tf.Tensor;
  /** Second-moment running average, shape of the parameter. */
  expAvgSq: tf.Tensor;
}

/** Key of the global update counter in {@link AdamW.exportState}. */
export const ADAMW_GLOBAL_STEP_KEY = 'global_step';

/**
 * AdamW (Loshchilov & Hutter 2019) with the exact update of PyTorch
 * `torch.optim.AdamW` (non-amsgrad), per parameter `p` with gradient `g` at its
 * `t`-th update:
 *
 * ```
 * p  <- p * (1 - lr * wd)                      // decoupled decay, on the old p
 * m  <- beta1 * m + (1 - beta1) * g
 * v  <- beta2 * v + (1 - beta2) * g^2
 * p  <- p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * ```
 *
 * It works on named parameters (`Module.parameters()`) and named gradients. A
 * parameter with no gradient in a step is left untouched (no decay, no moment
 * update), as PyTorch does for `grad is None`. The lr of update number `k`
 * (0-based, counted over all `step` calls) is `schedule(k)`.
 *
 * ```ts
 * const opt = new AdamW(model.parameters(), { lr: { kind: 'linear-warmup-decay', peakLr: 5e-5, totalSteps, warmupProportion: 0.1 } });
 * opt.step(namedGrads);
 * ```
 */
export class AdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly biasCorrection: boolean;
  readonly noDecay: readonly NamePattern[];
  /** Whether `step` uses the fused update where the backend allows it (see {@link AdamWOptions.fused}). */
  fused: boolean;
  private readonly schedule: LrSchedule;
  private readonly lrFactors = new Map<string, number>();
  private readonly params: Map<string, tf.Variable>;
  private readonly state = new Map<string, ParamState>();
  private globalStep = 0;

  constructor(params: Map<string, tf.Variable>, options: AdamWOptions = {}) {
    this.params = new Map(params);
    const lr = options.lr ?? 1e-3;
    this.schedule = typeof lr === 'number' ? () => lr : typeof lr === 'function' ? lr : makeLrSchedule(lr);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.01;
    this.noDecay = options.noDecay ?? DEFAULT_NO_DECAY;
    this.biasCorrection = options.biasCorrection ?? true;
    this.fused = options.fused ?? true;
    const multipliers = Object.entries(options.lrMultipliers ?? {}).sort((a, b) => b[0].length - a[0].length); // longest prefix first
    for (const [prefix, factor] of multipliers) {
      if (!(factor >= 0) || !Number.isFinite(factor)) throw new Error(`AdamW: lrMultipliers["${prefix}"] must be a finite number >= 0, got ${factor}`);
    }
    for (const name of this.params.keys()) {
      const match = multipliers.find(([prefix]) => name.startsWith(prefix));
      if (match) this.lrFactors.set(name, match[1]);
    }
    for (const [field, value] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      if (!(value >= 0 && value < 1)) throw new Error(`AdamW: "${field}" must be in [0, 1), got ${value}`);
    }
    if (!(this.eps >= 0)) throw new Error(`AdamW: "eps" must be >= 0, got ${this.eps}`);
    if (!(this.weightDecay >= 0)) throw new Error(`AdamW: "weightDecay" must be >= 0, got ${this.weightDecay}`);
  }

  /** Number of `step` calls made so far (restored by `importState`). */
  get stepCount(): number {
    return this.globalStep;
  }

  /** The lr the next `step` call will use. */
  currentLr(): number {
    return this.schedule(this.globalStep);
  }

  /** The lr of parameter `name` at `baseLr`: times its `lrMultipliers` factor, if any. */
  private lrOf(name: string, baseLr: number): number {
    const factor = this.lrFactors.get(name);
    return factor === undefined ? baseLr : baseLr * factor;
  }

  /** True when the parameter `name` receives weight decay. */
  decays(name: string): boolean {
    return this.weightDecay > 0 && !matchesAnyPattern(name, this.noDecay);
  }

  /** True when the next `step` runs the fused update (option on and a wasm / cpu backend active). */
  usesFusedPath(): boolean {
    return this.fused && fusedBackend() !== undefined;
  }

  /**
   * Applies one update with `grads` (parameter name -> gradient of the loss),
   * after clipping them to `options.clip` if given. Returns the global gradient
   * norm before clipping when clipping, else `undefined`. The gradients stay
   * owned by the caller. Throws, naming them, on gradients for unknown
   * parameters or with the wrong shape or dtype, before changing anything.
   */
  step(grads: Map<string, tf.Tensor>, options: AdamWStepOptions = {}): number | undefined {
    const problems: string[] = [];
    for (const [name, g] of grads) {
      const p = this.params.get(name);
      if (!p) problems.push(`gradient for unknown parameter "${name}"`);
      else if (!tf.util.arraysEqual(p.shape, g.shape)) problems.push(`"${name}": gradient shape [${g.shape}] != parameter shape [${p.shape}]`);
      else if (g.dtype !== 'float32' || p.dtype !== 'float32') problems.push(`"${name}": gradient ${g.dtype} / parameter ${p.dtype}, expected float32`);
    }
    if (problems.length > 0) throw new Error(`AdamW.step: ${problems.join('; ')}`);

    const backendName = this.fused ? fusedBackend() : undefined;
    if (backendName) return this.fusedStep(grads, backendName, options.clip);
    if (options.clip === undefined) {
      this.opByOpStep(grads);
      return undefined;
    }
    const { grads: clipped, norm } = clipByGlobalNorm(grads, options.clip);
    try {
      this.opByOpStep(clipped);
    } finally {
      for (const g of clipped.values()) g.dispose();
    }
    return norm;
  }

  private fusedStep(grads: Map<string, tf.Tensor>, backendName: 'wasm' | 'cpu', clip: number | undefined): number | undefined {
    let norm: number | undefined;
    let gradScale = 1;
    if (clip !== undefined) {
      if (!(clip > 0) || !Number.isFinite(clip)) throw new Error(`clipByGlobalNorm: maxNorm must be a positive finite number, got ${clip}`);
      norm = fusedGlobalNorm([...grads.values()], backendName);
      gradScale = Math.min(1, clip / (norm + 1e-6)); // as clipByGlobalNorm: NaN propagates
    }
    const baseLr = this.schedule(this.globalStep);
    for (const [name, g] of grads) {
      const lr = this.lrOf(name, baseLr);
      const p = this.params.get(name)!;
      const prev = this.state.get(name);
      const t = (prev?.step ?? 0) + 1;
      const { expAvg, expAvgSq } = fusedAdamWUpdate(backendName, p, g, prev?.expAvg, prev?.expAvgSq, {
        beta1: this.beta1,
        beta2: this.beta2,
        eps: this.eps,
        decay: this.decays(name) ? lr * this.weightDecay : 0,
        bc1: this.biasCorrection ? 1 - Math.pow(this.beta1, t) : 1,
        bc2: this.biasCorrection ? 1 - Math.pow(this.beta2, t) : 1,
        lr,
        gradScale,
      });
      this.state.set(name, { step: t, expAvg, expAvgSq });
    }
    this.globalStep += 1;
    return norm;
  }

  /** The op-by-op update (tfjs kernels per parameter), the reference of the fused path. */
  private opByOpStep(grads: Map<string, tf.Tensor>): void {
    const baseLr = this.schedule(this.globalStep);
    for (const [name, g] of grads) {
      const lr = this.lrOf(name, baseLr);
      const p = this.params.get(name)!;
      const prev = this.state.get(name);
      const t = (prev?.step ?? 0) + 1;
      const bc1 = this.biasCorrection ? 1 - Math.pow(this.beta1, t) : 1;
      const bc2 = this.biasCorrection ? 1 - Math.pow(this.beta2, t) : 1;
      const decay = this.decays(name) ? lr * this.weightDecay : 0;
      const [expAvg, expAvgSq] = tf.tidy(() => {
        const m0 = prev?.expAvg ?? tf.zerosLike(p); // [...p.shape]
        const v0 = prev?.expAvgSq ?? tf.zerosLike(p); // [...p.shape]
        const m = tf.add(tf.mul(m0, this.beta1), tf.mul(g, 1 - this.beta1)); // [...p.shape]
        const v = tf.add(tf.mul(v0, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)); // [...p.shape]
        const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(bc2)), this.eps); // [...p.shape]
        const decayed = decay !== 0 ? tf.mul(p, 1 - decay) : p; // [...p.shape]
        p.assign(tf.sub(decayed, tf.mul(tf.div(m, denom), lr / bc1)));
        return [m, v];
      });
      prev?.expAvg.dispose();
      prev?.expAvgSq.dispose();
      this.state.set(name, { step: t, expAvg, expAvgSq });
    }
    this.globalStep += 1;
  }

  /**
   * The optimizer state as named tensors (new tensors the caller owns), ready for
   * a safetensors checkpoint: `global_step` (int32 scalar) and, for every
   * parameter updated at least once, `step/<name>` (int32 scalar),
   * `exp_avg/<name>` and `exp_avg_sq/<name>` (shape of the parameter).
   */
  exportState(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    out.set(ADAMW_GLOBAL_STEP_KEY, tf.scalar(this.globalStep, 'int32'));
    for (const [name, s] of this.state) {
      out.set(`step/${name}`, tf.scalar(s.step, 'int32'));
      out.set(`exp_avg/${name}`, s.expAvg.clone());
      out.set(`exp_avg_sq/${name}`, s.expAvgSq.clone());
    }
    return out;
  }

  /**
   * Replaces the state with one from {@link exportState}, so that training
   * resumes exactly. The tensors stay owned by the caller. Throws one error naming
   * every unknown key, unknown parameter, incomplete entry and shape mismatch;
   * nothing changes in that case.
   */
  importState(saved: Map<string, tf.Tensor>): void {
    const problems: string[] = [];
    const byParam = new Map<string, { step?: tf.Tensor; expAvg?: tf.Tensor; expAvgSq?: tf.Tensor }>();
    const globalStep = saved.get(ADAMW_GLOBAL_STEP_KEY);
    if (!globalStep) problems.push(`missing "${ADAMW_GLOBAL_STEP_KEY}"`);
    else if (globalStep.size !== 1) problems.push(`"${ADAMW_GLOBAL_STEP_KEY}" must be a scalar, got shape [${globalStep.shape}]`);
    for (const [key, tensor] of saved) {
      if (key === ADAMW_GLOBAL_STEP_KEY) continue;
      const slash = key.indexOf('/');
      const kind = key.slice(0, slash);
      const name = key.slice(slash + 1);
      const field = kind === 'step' ? 'step' : kind === 'exp_avg' ? 'expAvg' : kind === 'exp_avg_sq' ? 'expAvgSq' : undefined;
      if (slash < 0 || !field) {
        problems.push(`unknown key "${key}"`);
        continue;
      }
      const p = this.params.get(name);
      if (!p) {
        problems.push(`"${key}" is for unknown parameter "${name}"`);
        continue;
      }
      if (field === 'step' ? tensor.size !== 1 : !tf.util.arraysEqual(tensor.shape, p.shape)) {
        problems.push(`"${key}" has shape [${tensor.shape}], expected [${field === 'step' ? '' : p.shape}]`);
        continue;
      }
      const entry = byParam.get(name) ?? {};
      entry[field] = tensor;
      byParam.set(name, entry);
    }
    for (const [name, e] of byParam) {
      const absent: string[] = [];
      if (!e.step) absent.push('step');
      if (!e.expAvg) absent.push('exp_avg');
      if (!e.expAvgSq) absent.push('exp_avg_sq');
      if (absent.length > 0) problems.push(`parameter "${name}" lacks ${absent.map((k) => `"${k}/${name}"`).join(', ')}`);
    }
    if (problems.length > 0) throw new Error(`AdamW.importState: ${problems.join('; ')}`);

    this.disposeState();
    this.globalStep = globalStep!.dataSync()[0];
    for (const [name, e] of byParam) {
      this.state.set(name, {
        step: e.step!.dataSync()[0],
        expAvg: tf.cast(e.expAvg!, 'float32'),
        expAvgSq: tf.cast(e.expAvgSq!, 'float32'),
      });
    }
  }

  /** Frees the moment tensors (the parameters are not touched). */
  dispose(): void {
    this.disposeState();
  }

  private disposeState(): void {
    for (const s of this.state.values()) {
      s.expAvg.dispose();
      s.expAvgSq.dispose();
    }
    this.state.clear();
  }
}
