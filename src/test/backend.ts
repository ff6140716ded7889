import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/** Puts tests on the WASM backend (the one browsers without WebGL use), falling back to cpu. */
export async function useTestBackend(): Promise<'wasm' | 'cpu'> {
  try {
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return 'wasm';
    }
  } catch {
    // fall through to cpu
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}

/** Number of tensors `fn` leaves behind (after it resolves). */
export async function tensorsLeftBy(fn: () => unknown): Promise<number> {
  const before = tf.memory().numTensors;
  await fn();
  return tf.memory().numTensors - before;
}
