/**
 * `Conv2DBackpropFilter` for the wasm backend, which ships none (so the filter
 * gradient of `tf.conv1d` / `tf.conv2d` — the char CNN — fails there).
 *
 * Built from the stock wasm kernels as "im2col + one matMul":
 *   dW[kh, kw, ci, co] = sum over (b, oh, ow) of xPadded[b, oh*sh + kh, ow*sw + kw, ci] * dy[b, oh, ow, co]
 * For every filter offset (kh, kw), a strided slice of the padded input is the
 * [B, OH, OW, Ci] patch that meets dy; concatenating the patches on the channel
 * axis gives P [B*OH*OW, KH*KW*Ci] and dW = P^T dy, one SIMD matMul. (A direct
 * JS loop would run the same FLOPs at ~0.3 GFLOP/s.)
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { callKernel, callStockKernel, type KernelArgs } from '../kernel-registry.js';

interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

export function conv2dBackpropFilterWasm({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  const run = (name: string, ins: tf.NamedTensorInfoMap, at: tf.NamedAttrMap = {}): tf.TensorInfo =>
    callStockKernel(name, 'wasm', wasm, ins, at);
  const temporaries: tf.TensorInfo[] = [];
  const keep = (t: tf.TensorInfo): tf.TensorInfo => (temporaries.push(t), t);

  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  if (dataFormat === 'NCHW') {
    // As the stock wasm Conv2D: its forward pass already refuses NCHW.
    throw new Error("tensor-core/backend: wasm Conv2DBackpropFilter does not support dataFormat 'NCHW'; use 'NHWC'");
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const { batchSize: B, inChannels: Ci, outChannels: Co, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw, padInfo } = info;

  // [B, H + top + bottom, W + left + right, Ci]
  const padded =
    padInfo.top || padInfo.bottom || padInfo.left || padInfo.right
      ? keep(
          run('PadV2', { x }, {
            paddings: [[0, 0], [padInfo.top, Math.max(0, padInfo.bottom)], [padInfo.left, Math.max(0, padInfo.right)], [0, 0]],
            constantValue: 0,
          }),
        )
      : x;

  const patches: tf.TensorInfo[] = [];
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      // [B, OH, OW, Ci]: the inputs that filter tap (kh, kw) saw at every output position.
      patches.push(
        keep(
          // The registered StridedSlice: after patchWasmForTraining, the copy-free one.
          callKernel('StridedSlice', 'wasm', wasm, { x: padded }, {
            begin: [0, kh, kw, 0],
            end: [B, kh + (OH - 1) * sh + 1, kw + (OW - 1) * sw + 1, Ci],
            strides: [1, sh, sw, 1],
            beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
          }),
        ),
      );
    }
  }
  // [B, OH, OW, KH*KW*Ci], channel index (kh*KW + kw)*Ci + ci: the row order of the flattened filter.
  const im2col = patches.length === 1 ? patches[0] : keep(run('Concat', patches as unknown as tf.NamedTensorInfoMap, { axis: 3 }));
  const N = B * OH * OW;
  const K = KH * KW * Ci;
  const cols = keep(run('Reshape', { x: im2col }, { shape: [N, K] })); // [N, K]
  const colsT = keep(run('Transpose', { x: cols }, { perm: [1, 0] })); // [K, N]
  const dyFlat = keep(run('Reshape', { x: dy }, { shape: [N, Co] })); // [N, Co]
  const dW = keep(run('BatchMatMul', { a: colsT, b: dyFlat }, { transposeA: false, transposeB: false })); // [K, Co]
  const result = run('Reshape', { x: dW }, { shape: filterShape }); // [KH, KW, Ci, Co]
  for (const t of temporaries) wasm.disposeData(t.dataId);
  return result;
}
