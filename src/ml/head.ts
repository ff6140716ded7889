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
  /**
   * Hold out a validation split only when every class has at least this many examples; below it every example
   * trains and the epoch with the lowest training loss is kept. 0 or absent = always hold out.
   */
  minPerClassForValidation?: number;
  seed: number;
  /** L2 penalty on the dense kernels (added to the loss); 0 or absent = none. */
  weightDecay?: number;
  /** Share of the target mass spread evenly over all classes (0.1 turns [1, 0, 0] into [0.93, 0.03, 0.03]). */
  labelSmoothing?: number;
  /** Train on each training example's `augmented` embeddings too, when it has them. Default true. */
  useAugmented?: boolean;
}

/**
 * Defaults chosen by measurement (`npm run eval`, docs/benchmarks.md: 5 seeded draws of k = 5/10/25 examples per class
 * and all 140, rps-webcam and rps-cgi). On the default bases (`DEFAULT_BASES`: v1g + v1k + v2, each l2-normalised,
 * 1792-d) this beats Teachable Machine's recipe on its own base by ≥ 3 points or ≥ 30% fewer errors at k = 5–25 and
 * matches or beats it with all examples. Adam 1e-3/50 epochs, lr 1e-2, no transform, weight decay, label smoothing
 * and a single softmax layer were no better (lr 1e-2 is better calibrated but ~3 points worse on webcam at k = 10).
 * No dropout, so training is reproducible for a seed. No validation split while any class has fewer than 20 examples:
 * 15 % of 5 or 10 is one image per class, which picks the "best" epoch by noise and takes a scarce example out of
 * training (rps-webcam k = 5/10: 77.6 ± 8.8 / 88.1 ± 4.9 without, 75.1 ± 14.7 / 84.0 ± 5.8 with; from 25 per class
 * the split helps slightly: 94.6 vs 94.0).
 */
export const DEFAULT_TRAINING: TrainingConfig = {
  epochs: 30,
  batchSize: 16,
  learningRate: 0.003,
  hiddenUnits: 100,
  dropout: 0,
  embeddingTransform: 'l2',
  validationFraction: 0.15,
  minPerClassForValidation: 20,
  seed: 1,
};

/**
 * Whether the app embeds augmented copies of each sample and trains on them by default. Off: on the benchmark
 * (docs/benchmarks.md) these copies did not improve accuracy within a domain and cost AUGMENT_COUNT extra
 * embeddings per sample; `augmentedCrops` (augment.ts) stays available for the advanced setting.
 */
export const AUGMENT_BY_DEFAULT = false;

/**
 * A small classifier on top of embeddings: [N, inputSize] → softmax [N, numClasses]. Initializers are
 * seeded from `config.seed`, so the same data and config train the same model. Not compiled.
 */
export function buildHead(inputSize: number, numClasses: number, config: TrainingConfig): tf.LayersModel {
  const model = tf.sequential();
  // Only the first layer declares the input shape.
  const input = () => (model.layers.length === 0 ? { inputShape: [inputSize] } : {});
  const init = (offset: number) => tf.initializers.glorotUniform({ seed: config.seed + offset });
  const regularizer = () => (config.weightDecay ? { kernelRegularizer: tf.regularizers.l2({ l2: config.weightDecay }) } : {});
  if (config.hiddenUnits > 0) {
    model.add(tf.layers.dense({ ...input(), units: config.hiddenUnits, activation: 'relu', kernelInitializer: init(0), ...regularizer(), name: 'hidden' }));
  }
  if (config.dropout > 0) {
    // Unseeded on purpose: a seeded tfjs Dropout draws the same mask on every batch.
    model.add(tf.layers.dropout({ ...input(), rate: config.dropout, name: 'dropout' }));
  }
  model.add(tf.layers.dense({ ...input(), units: numClasses, activation: 'softmax', kernelInitializer: init(1), ...regularizer(), name: 'probabilities' }));
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
