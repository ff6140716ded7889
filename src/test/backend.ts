import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { fastTransposedMatMulOnWasm } from '../ml/wasmMatMul';

/**
 * Puts tests on the WASM backend, the one browsers without WebGL use. There is no fallback: a test run that quietly
 * moved to cpu would prove nothing about WASM, so a missing or broken WASM backend fails the test that asked for it.
 */
export async function useTestBackend(): Promise<'wasm'> {
  let cause: unknown = null;
  // As the app has it (configureWasm): transposed products through XNNPACK.
  fastTransposedMatMulOnWasm();
  try {
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      if (tf.getBackend() === 'wasm') return 'wasm';
    }
  } catch (error) {
    cause = error;
  }
  throw new Error(
    'The unit tests run on the tfjs WASM backend and it did not start' +
      `${cause ? ` (${String(cause)})` : ''}: check that npm ci installed @tensorflow/tfjs-backend-wasm with its .wasm files.`,
  );
}

/** Number of tensors `fn` leaves behind (after it resolves). */
export async function tensorsLeftBy(fn: () => unknown): Promise<number> {
  const before = tf.memory().numTensors;
  await fn();
  return tf.memory().numTensors - before;
}
