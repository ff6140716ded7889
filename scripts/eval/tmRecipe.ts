import * as tf from '@tensorflow/tfjs';
import { mulberry32, shuffle, stratifiedSplit } from '../../src/ml/dataset';
import type { TrainingExample } from '../../src/ml/trainer';

/**
 * Teachable Machine's head recipe, as `@teachablemachine/image` trains it, for reference only (the app never
 * runs this): Dense(100, relu, varianceScaling) → Dense(N, softmax, varianceScaling, no bias) on raw
 * embeddings, Adam 0.001, 50 epochs, batch 16, 15% of each class held out for validation; the final epoch's
 * weights are kept. Seeded (initialisers, split and batch order) so rows are reproducible.
 */
export async function trainTmRecipe(examples: TrainingExample[], numClasses: number, seed: number): Promise<tf.LayersModel> {
  const size = examples[0].embedding.length;
  const split = stratifiedSplit(examples.map((e) => e.label), 0.15, seed);
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [size], units: 100, activation: 'relu', useBias: true, kernelInitializer: tf.initializers.varianceScaling({ seed }) }),
      tf.layers.dense({ units: numClasses, activation: 'softmax', useBias: false, kernelInitializer: tf.initializers.varianceScaling({ seed: seed + 1 }) }),
    ],
  });
  const optimizer = tf.train.adam(0.001);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const [x, y] = tf.tidy(() => {
    const flat = new Float32Array(split.train.length * size);
    split.train.forEach((ex, row) => flat.set(examples[ex].embedding, row * size));
    const labels = tf.tensor1d(split.train.map((i) => examples[i].label), 'int32');
    return [tf.tensor2d(flat, [split.train.length, size]), tf.oneHot(labels, numClasses).toFloat()];
  });
  const rng = mulberry32(seed + 7);
  const rows = split.train.map((_, r) => r);
  try {
    for (let epoch = 0; epoch < 50; epoch++) {
      const order = shuffle(rows, rng);
      for (let b = 0; b < order.length; b += 16) {
        const [bx, by] = tf.tidy(() => {
          const idx = tf.tensor1d(order.slice(b, b + 16), 'int32');
          return [tf.gather(x, idx), tf.gather(y, idx)];
        });
        await model.trainOnBatch(bx, by);
        tf.dispose([bx, by]);
      }
    }
  } finally {
    tf.dispose([x, y]);
    optimizer.dispose();
  }
  return model;
}
