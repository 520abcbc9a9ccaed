import * as tf from '@tensorflow/tfjs-core';
// tf.grads needs tfjs-core's stock gradient functions, which the Node entry of
// tfjs-core does not register; this module of the package does (a named import,
// so bundlers keep it despite `sideEffects: false`).
import { gradientsRegistered } from '../backend/register-gradients.js';
import { Rng } from '../init/rng.js';

/** Options of {@link checkGradients}. */
export interface GradientCheckOptions {
  /** Central-difference step (float32: 1e-2 .. 1e-3). Default 1e-2. */
  eps?: number;
  /** Relative tolerance. Default 1e-2. */
  tol?: number;
  /** Absolute tolerance added to the relative one (for gradients near 0). Default 1e-3. */
  atol?: number;
  /** Indices of `inputs` to differentiate. Default: every float32 input. */
  wrt?: number[];
  /** Seed of the random weights that reduce `f`'s output to a scalar. Default 0. */
  seed?: number;
}

/** The worst mismatch found, per input checked. */
export interface GradientCheckReport {
  /** One entry per checked input, in `wrt` order. */
  inputs: { index: number; maxAbsError: number; worstElement: number; analytic: number; numeric: number }[];
}

/**
 * Compares `tf.grads` of `f` with central finite differences, for every element
 * of every differentiated input, and throws a descriptive error on the first
 * input whose gradient is not finite or differs by more than
 * `atol + tol * max(|analytic|, |numeric|)`.
 *
 * `f` may return a tensor of any shape: it is reduced to the scalar
 * `sum(f(...) * R)` with fixed random weights `R`, so that gradients which
 * cancel under a plain sum (a softmax's, for instance) are still checked.
 * Non-float inputs (indices, masks) are passed through unchanged; float masks
 * must be left out with `wrt`.
 *
 * ```ts
 * checkGradients((x, m) => maskedMax(x, m, 1), [x, mask], { eps: 1e-3, wrt: [0] });
 * ```
 */
export function checkGradients(
  f: (...inputs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  options: GradientCheckOptions = {},
): GradientCheckReport {
  assertGradientsRegistered();
  const wrt = options.wrt ?? inputs.flatMap((t, i) => (t.dtype === 'float32' ? [i] : []));
  if (wrt.length === 0) throw new Error('checkGradients: no float32 input to differentiate');
  for (const i of wrt) {
    if (inputs[i]?.dtype !== 'float32') throw new Error(`checkGradients: input ${i} is not float32`);
  }
  const weights = reductionWeights(tf.tidy(() => f(...inputs).shape), options.seed ?? 0);
  try {
    const objective = (...xs: tf.Tensor[]): tf.Scalar => {
      const all = inputs.slice();
      wrt.forEach((inputIndex, k) => (all[inputIndex] = xs[k]));
      return tf.sum(tf.mul(f(...all), weights.tensor));
    };
    const analytic = tf.tidy(() => tf.grads(objective)(wrt.map((i) => inputs[i])).map((g) => Float32Array.from(g.dataSync())));
    const report: GradientCheckReport = { inputs: [] };
    wrt.forEach((inputIndex, k) => {
      const shape = inputs[inputIndex].shape;
      const valueAt = (values: Float32Array): number =>
        tf.tidy(() => {
          const all = inputs.slice();
          all[inputIndex] = tf.tensor(values, shape, 'float32');
          return weights.dot(f(...all));
        });
      const worst = compareWithFiniteDifferences(`input ${inputIndex} [${shape.join(', ')}]`, Float32Array.from(inputs[inputIndex].dataSync()), analytic[k], valueAt, options);
      report.inputs.push({ index: inputIndex, ...worst });
    });
    return report;
  } finally {
    weights.tensor.dispose();
  }
}

/**
 * {@link checkGradients} for the variables a closure reads (a module's
 * parameters): compares `tf.variableGrads` with central differences taken by
 * assigning perturbed values to each variable (restored afterwards).
 *
 * ```ts
 * checkVariableGradients(() => dense.apply(x), [dense.kernel]);
 * ```
 *
 * @returns one report entry per variable, `index` being its position in `variables`
 */
export function checkVariableGradients(f: () => tf.Tensor, variables: tf.Variable[], options: GradientCheckOptions = {}): GradientCheckReport {
  assertGradientsRegistered();
  if (variables.length === 0) throw new Error('checkVariableGradients: no variable to differentiate');
  const weights = reductionWeights(tf.tidy(() => f().shape), options.seed ?? 0);
  try {
    const analytic = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(f(), weights.tensor)), variables);
      return variables.map((v) => {
        const g = grads[v.name];
        if (!g) throw new Error(`checkVariableGradients: f does not depend on variable ${v.name}`);
        return Float32Array.from(g.dataSync());
      });
    });
    const report: GradientCheckReport = { inputs: [] };
    variables.forEach((variable, k) => {
      const original = tf.clone(variable);
      try {
        const valueAt = (values: Float32Array): number =>
          tf.tidy(() => {
            variable.assign(tf.tensor(values, variable.shape, 'float32'));
            return weights.dot(f());
          });
        const worst = compareWithFiniteDifferences(`variable ${variable.name} [${variable.shape.join(', ')}]`, Float32Array.from(original.dataSync()), analytic[k], valueAt, options);
        report.inputs.push({ index: k, ...worst });
      } finally {
        variable.assign(original);
        original.dispose();
      }
    });
    return report;
  } finally {
    weights.tensor.dispose();
  }
}

function assertGradientsRegistered(): void {
  if (!gradientsRegistered()) throw new Error('checkGradients: tfjs gradient functions are not registered');
}

/** Fixed random weights R in [-1, 1) that reduce an output to the scalar `sum(out * R)`. */
function reductionWeights(shape: number[], seed: number): { tensor: tf.Tensor; dot: (out: tf.Tensor) => number } {
  const rng = new Rng(seed);
  const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() * 2 - 1);
  return {
    tensor: tf.tensor(values, shape, 'float32'),
    // Taken in float64 in JS, so only f's own float32 rounding limits the difference quotient.
    dot: (out) => {
      const data = out.dataSync();
      let total = 0;
      for (let j = 0; j < data.length; j++) total += data[j] * values[j];
      return total;
    },
  };
}

/** Central differences of `valueAt` around `base`, element by element, against `analytic`. */
function compareWithFiniteDifferences(
  what: string,
  base: Float32Array,
  analytic: Float32Array,
  valueAt: (values: Float32Array) => number,
  options: GradientCheckOptions,
): { maxAbsError: number; worstElement: number; analytic: number; numeric: number } {
  const { eps = 1e-2, tol = 1e-2, atol = 1e-3 } = options;
  let worst = { maxAbsError: 0, worstElement: -1, analytic: 0, numeric: 0 };
  for (let e = 0; e < base.length; e++) {
    const probe = base.slice();
    probe[e] = base[e] + eps;
    const upAt = probe[e]; // the float32-rounded probe point
    const up = valueAt(probe);
    probe[e] = base[e] - eps;
    const downAt = probe[e];
    const down = valueAt(probe);
    const numeric = (up - down) / (upAt - downAt);
    const a = analytic[e];
    const error = Math.abs(a - numeric);
    if (!Number.isFinite(a) || !(error <= atol + tol * Math.max(Math.abs(a), Math.abs(numeric)))) {
      throw new Error(
        `checkGradients: ${what} element ${e}: analytic ${a} vs numeric ${numeric} ` +
          `(|diff| ${error.toExponential(2)}, eps ${eps}, tol ${tol}, atol ${atol})`,
      );
    }
    if (worst.worstElement < 0 || error > worst.maxAbsError) worst = { maxAbsError: error, worstElement: e, analytic: a, numeric };
  }
  return worst;
}
