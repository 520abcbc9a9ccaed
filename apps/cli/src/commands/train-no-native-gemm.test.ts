import { ONNX_MATMUL_ENV_VAR, onnxMatMulEnabled } from '@spanrel/joint';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../command.js';
import { startBackend } from '../model-runtime.js';
import { trainCommand } from './train.js';

describe('spanrel train --no-native-gemm', () => {
  const before = process.env[ONNX_MATMUL_ENV_VAR];
  const quiet = { out: () => {}, err: () => {} } satisfies CliIO;

  afterAll(async () => {
    if (before === undefined) delete process.env[ONNX_MATMUL_ENV_VAR];
    else process.env[ONNX_MATMUL_ENV_VAR] = before;
    await startBackend({ backend: 'cpu' }, quiet);
  });

  it('is a train option and says what it does', () => {
    expect(trainCommand.options['no-native-gemm']).toEqual({ type: 'boolean' });
    expect(trainCommand.usage).toMatch(/--no-native-gemm/);
  });

  it('switches the native matMul off for the run and for the worker threads it starts (the environment variable)', async () => {
    delete process.env[ONNX_MATMUL_ENV_VAR];
    await startBackend({ backend: 'cpu' }, quiet);
    expect(onnxMatMulEnabled()).toBe(true);
    await startBackend({ backend: 'cpu', 'no-native-gemm': true }, quiet);
    expect(onnxMatMulEnabled()).toBe(false);
    expect(process.env[ONNX_MATMUL_ENV_VAR]).toBe('0');
    // Without the flag a command follows the environment: still off here, on once it is unset.
    await startBackend({ backend: 'cpu' }, quiet);
    expect(onnxMatMulEnabled()).toBe(false);
    delete process.env[ONNX_MATMUL_ENV_VAR];
    await startBackend({ backend: 'cpu' }, quiet);
    expect(onnxMatMulEnabled()).toBe(true);
  });
});
