import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../test/backend';
import { fastTransposedMatMulOnWasm } from './wasmMatMul';

beforeAll(async () => {
  await useTestBackend();
});

/** a·b with plain loops, each input transposed first when asked (batched over the leading dimension). */
function reference(a: number[][][], b: number[][][], ta: boolean, tb: boolean): number[][][] {
  const t = (m: number[][]) => m[0].map((_, j) => m.map((row) => row[j]));
  return a.map((am, n) => {
    const x = ta ? t(am) : am;
    const y = tb ? t(b[n]) : b[n];
    return x.map((row) => y[0].map((_, j) => row.reduce((s, v, k) => s + v * y[k][j], 0)));
  });
}

const seeded = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);

describe('fastTransposedMatMulOnWasm (on the WASM backend, as the app runs it)', () => {
  it('is the kernel in use, and wrapping again changes nothing', () => {
    const kernel = tf.getKernel('BatchMatMul', 'wasm');
    fastTransposedMatMulOnWasm();
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(kernel);
    expect(Object.getOwnPropertySymbols(kernel).map(String)).toContain('Symbol(glance.transposeFirst)');
  });

  it('gives the products of every transpose combination, 2-D and batched, and leaves no tensor behind', () => {
    expect(tf.getBackend()).toBe('wasm');
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      for (const batch of [1, 3]) {
        const [m, k, n] = [5, 7, 4];
        const a = seeded([batch, ...(ta ? [k, m] : [m, k])], 1);
        const b = seeded([batch, ...(tb ? [n, k] : [k, n])], 2);
        const before = tf.memory().numTensors;
        const out = tf.matMul(a, b, ta, tb);
        expect(tf.memory().numTensors).toBe(before + 1);
        const want = reference(a.arraySync() as number[][][], b.arraySync() as number[][][], ta, tb).flat(2);
        const got = Array.from(out.dataSync());
        expect(out.shape).toEqual([batch, m, n]);
        got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
        tf.dispose([a, b, out]);
      }
    }
  });

  it('gives the gradients of a dense layer (the transposed products training asks for)', () => {
    const x = seeded([16, 30], 3);
    const w = seeded([30, 8], 4);
    const v = tf.variable(w, true);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.relu(tf.matMul(x, v))) as tf.Scalar, [v]);
    const g = grads[v.name];
    // d/dW sum(relu(xW)) = xᵀ · 1[xW > 0]
    const mask = (tf.matMul(x, w).arraySync() as number[][]).map((row) => row.map((v) => (v > 0 ? 1 : 0)));
    const want = reference([x.arraySync() as number[][]], [mask], true, false)[0].flat();
    Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i], 4));
    tf.dispose([x, w, g, v, value]);
  });
});
