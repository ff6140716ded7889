import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tensorsLeftBy, useTestBackend } from '../test/backend';
import { foldLayersModel, UnsupportedLayerError } from './foldedLayers';

beforeAll(async () => {
  await useTestBackend();
});

/** Gives every batch norm non-trivial statistics, so folding them has something to get wrong. */
function randomiseBatchNorms(model: tf.LayersModel, seed: number): void {
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const ws = layer.getWeights();
    layer.setWeights(
      ws.map((w, i) => {
        const name = layer.weights[i].originalName;
        const r = tf.randomUniform(w.shape, 0.2, 1.5, 'float32', seed + i);
        if (name.endsWith('moving_variance') || name.endsWith('gamma')) return r;
        const centred = tf.sub(r, 0.8);
        r.dispose();
        return centred;
      }),
    );
  }
}

/** conv (same, stride 2) → BN → relu6 → pad → depthwise ×2 (valid) → BN → ReLU(6) → conv → BN, + a skip, → GAP. */
function smallNet(): tf.LayersModel {
  const input = tf.input({ shape: [17, 17, 3] });
  const c1 = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', useBias: false }).apply(input) as tf.SymbolicTensor;
  const b1 = tf.layers.batchNormalization({ epsilon: 1e-3 }).apply(c1) as tf.SymbolicTensor;
  const r1 = tf.layers.activation({ activation: 'relu6' }).apply(b1) as tf.SymbolicTensor;
  const p = tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]] }).apply(r1) as tf.SymbolicTensor;
  const dw = tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'valid', useBias: true }).apply(p) as tf.SymbolicTensor;
  const b2 = tf.layers.batchNormalization({}).apply(dw) as tf.SymbolicTensor;
  const r2 = tf.layers.reLU({ maxValue: 6 }).apply(b2) as tf.SymbolicTensor;
  const pw = tf.layers.conv2d({ filters: 8, kernelSize: 1, useBias: false }).apply(r2) as tf.SymbolicTensor;
  const b3 = tf.layers.batchNormalization({}).apply(pw) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([b3, r2]) as tf.SymbolicTensor;
  const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(sum) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: gap });
  randomiseBatchNorms(model, 7);
  return model;
}

describe('foldLayersModel', () => {
  it('computes what the layers model computes, with batch norms folded into the convs', async () => {
    const model = smallNet();
    const folded = foldLayersModel(model, 'gap');
    const x = tf.randomUniform([2, 17, 17, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    try {
      const [a, b] = [model.predict(x) as tf.Tensor, folded.apply(x)];
      expect(b.shape).toEqual(a.shape);
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
      const scale = tf.tidy(() => tf.max(tf.abs(a)).dataSync()[0]);
      expect(scale).toBeGreaterThan(0.01);
      expect(diff).toBeLessThan(1e-5 * Math.max(1, scale));
      tf.dispose([a, b]);
      // Fewer weight tensors than the model: each conv+BN pair became one kernel and one bias.
      expect(folded.weights.length).toBeLessThan(model.weights.length);
      expect(await tensorsLeftBy(async () => folded.apply(x).dispose())).toBe(0);
    } finally {
      x.dispose();
      model.dispose();
      folded.dispose();
    }
  });

  it('stops at an inner layer and owns its weights (the model can be disposed)', () => {
    const model = smallNet();
    const before = tf.memory().numTensors;
    const folded = foldLayersModel(model, model.layers[3].name);
    const x = tf.ones([1, 17, 17, 3]) as tf.Tensor4D;
    const ref = tf.model({ inputs: model.inputs, outputs: model.layers[3].output as tf.SymbolicTensor });
    const want = ref.predict(x) as tf.Tensor;
    model.dispose();
    const got = folded.apply(x);
    expect(got.shape).toEqual(want.shape);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(got, want))).dataSync()[0])).toBeLessThan(1e-5);
    tf.dispose([x, got, want]);
    folded.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
  });

  it('refuses a layer it cannot run, leaving nothing allocated', () => {
    const input = tf.input({ shape: [4, 4, 3] });
    const c = tf.layers.conv2d({ filters: 2, kernelSize: 1 }).apply(input) as tf.SymbolicTensor;
    const f = tf.layers.flatten().apply(c) as tf.SymbolicTensor;
    const d = tf.layers.dense({ units: 2, name: 'out' }).apply(f) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: d });
    const before = tf.memory().numTensors;
    expect(() => foldLayersModel(model, 'out')).toThrow(UnsupportedLayerError);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
