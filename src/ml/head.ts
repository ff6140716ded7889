import * as tf from '@tensorflow/tfjs';

/** How embeddings are normalised before the head sees them (the exporter records it; the README repeats it). */
export type EmbeddingTransform = 'none' | 'l2';

/** Everything that decides how the head is built and trained. */
export interface TrainingConfig {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Units in one hidden ReLU layer; 0 = a single softmax layer on the embedding. */
  hiddenUnits: number;
  /** Dropout rate before the output layer; 0 = none (and fully reproducible training). */
  dropout: number;
  embeddingTransform: EmbeddingTransform;
  /** Share of each class held out to pick the best epoch. */
  validationFraction: number;
  seed: number;
}

/**
 * Defaults chosen by measurement on rps-webcam with MobileNet v1 0.25 embeddings (three seeds each; test split of
 * 180 images): trained on all 420 images this reaches 93.9% test accuracy with ECE ≈ 0.03, and it stays the most
 * accurate and best calibrated of the options tried with 5–30 examples per class. A single softmax layer is as
 * accurate with a high learning rate but under-confident with few examples. No dropout, so training is
 * reproducible for a seed.
 */
export const DEFAULT_TRAINING: TrainingConfig = {
  epochs: 30,
  batchSize: 16,
  learningRate: 0.003,
  hiddenUnits: 100,
  dropout: 0,
  embeddingTransform: 'l2',
  validationFraction: 0.15,
  seed: 1,
};

/**
 * A small classifier on top of embeddings: [N, inputSize] → softmax [N, numClasses]. Initializers are
 * seeded from `config.seed`, so the same data and config train the same model. Not compiled.
 */
export function buildHead(inputSize: number, numClasses: number, config: TrainingConfig): tf.LayersModel {
  const model = tf.sequential();
  // Only the first layer declares the input shape.
  const input = () => (model.layers.length === 0 ? { inputShape: [inputSize] } : {});
  const init = (offset: number) => tf.initializers.glorotUniform({ seed: config.seed + offset });
  if (config.hiddenUnits > 0) {
    model.add(tf.layers.dense({ ...input(), units: config.hiddenUnits, activation: 'relu', kernelInitializer: init(0), name: 'hidden' }));
  }
  if (config.dropout > 0) {
    // Unseeded on purpose: a seeded tfjs Dropout draws the same mask on every batch.
    model.add(tf.layers.dropout({ ...input(), rate: config.dropout, name: 'dropout' }));
  }
  model.add(tf.layers.dense({ ...input(), units: numClasses, activation: 'softmax', kernelInitializer: init(1), name: 'probabilities' }));
  return model;
}

/** Applies the embedding transform row-wise; 'l2' divides each row by max(‖row‖, 1e-12). Tidy. */
export function transformEmbeddings(x: tf.Tensor2D, transform: EmbeddingTransform): tf.Tensor2D {
  if (transform === 'none') return x.clone();
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.sum(tf.square(x), 1, true));
    return tf.div(x, tf.maximum(norm, 1e-12));
  });
}
