import * as tf from '@tensorflow/tfjs';

/** Marks the BatchMatMul kernel this module registered, so it is wrapped once. */
const WRAPPED = Symbol('glance.transposeFirst');

type Kernel = NonNullable<ReturnType<typeof tf.getKernel>>;
type KernelArgs = Parameters<Kernel['kernelFunc']>[0];

/**
 * The WASM backend multiplies with XNNPACK only when neither input is transposed; `transposeA` / `transposeB` take a
 * plain loop, 12–14× slower here (a [16, 1792]ᵀ × [16, 100] product: 2.1 ms instead of 0.19 ms). Training the head
 * asks for exactly those (the gradients of its dense layers), about 2 ms of every 4.6 ms batch. This re-registers the
 * WASM BatchMatMul so that a transposed input is first transposed by the (fast) Transpose kernel and the product
 * then runs on XNNPACK. The same sums, in another order: results agree to float rounding. Idempotent; call before
 * or after the backend starts.
 */
export function fastTransposedMatMulOnWasm(): void {
  const original = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!original || !transpose || (original as Kernel & { [WRAPPED]?: true })[WRAPPED]) return;
  const swapLastTwo = (rank: number) => [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
  const kernelFunc = (args: KernelArgs) => {
    const { inputs, backend, attrs } = args;
    const { transposeA, transposeB } = (attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    if (!transposeA && !transposeB) return original.kernelFunc(args);
    const made: tf.TensorInfo[] = [];
    const upright = (x: tf.TensorInfo, flip: boolean | undefined) => {
      if (!flip) return x;
      const t = transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm: swapLastTwo(x.shape.length) } }) as tf.TensorInfo;
      made.push(t);
      return t;
    };
    try {
      const a = upright(inputs.a as tf.TensorInfo, transposeA);
      const b = upright(inputs.b as tf.TensorInfo, transposeB);
      return original.kernelFunc({ inputs: { ...inputs, a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      for (const t of made) (backend as tf.KernelBackend).disposeData(t.dataId);
    }
  };
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ ...original, kernelFunc, [WRAPPED]: true } as Kernel);
}
