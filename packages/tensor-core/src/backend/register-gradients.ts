/**
 * Registers tfjs-core's stock gradient functions (`Sum`, `RealDiv`, `MatMul`,
 * ...) and its chained tensor methods (`x.reshape(...)`).
 *
 * Why this file exists: the Node entry of `@tensorflow/tfjs-core`
 * (`dist/tf-core.node.js`) registers neither — the umbrella `@tensorflow/tfjs`
 * package normally does — so with plain tfjs-core + a backend, `tf.grad` fails
 * with "gradient function not found for RealDiv", and some stock gradients
 * (gather with batchDims, prod) call chained methods. tfjs-core ships both
 * registrations only as extension-less ESM files, which Node cannot load. The
 * relative paths below make tsup (and vitest) bundle them into this package;
 * the bundled copy shares the one global engine, kernel and gradient
 * registries with the `@tensorflow/tfjs-core` everything else imports (tfjs
 * keeps them on the global object so that several copies can coexist).
 */
import '../../node_modules/@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '../../node_modules/@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
import * as tf from '@tensorflow/tfjs-core';

/** True when tfjs' stock gradients are registered (importing this package does it). */
export function gradientsRegistered(): boolean {
  return tf.getGradient('RealDiv') !== undefined && tf.getGradient('Sum') !== undefined;
}
