import * as tf from '@tensorflow/tfjs';
import type { FeatureExtractor } from './featureExtractor';
import { transformEmbeddings, type EmbeddingTransform } from './head';
import type { NoveltyModel } from './novelty';
import { cropAndResize } from './preprocess';

/**
 * The app's one prediction path: pixels → crop/resize → shared base model → embedding transform → trained head
 * → probabilities in `labels` order. Owns the head; the extractor is shared and outlives it.
 */
export class Classifier {
  readonly extractor: FeatureExtractor;
  readonly head: tf.LayersModel;
  readonly transform: EmbeddingTransform;
  /** Class names at training time, in the order of the head's outputs. */
  readonly labels: readonly string[];
  /** The "None of these" rule fitted on the training embeddings (src/ml/novelty.ts), when there is one. */
  readonly novelty: NoveltyModel | null;

  constructor(extractor: FeatureExtractor, head: tf.LayersModel, transform: EmbeddingTransform, labels: string[], novelty: NoveltyModel | null = null) {
    const outputs = (head.outputs[0].shape as number[]).at(-1);
    if (outputs !== labels.length) {
      throw new Error(`The head has ${outputs} outputs but ${labels.length} labels were given.`);
    }
    this.extractor = extractor;
    this.head = head;
    this.transform = transform;
    this.labels = [...labels];
    this.novelty = novelty;
  }

  /** Probabilities for one precomputed embedding (e.g. a stored example). */
  async predictEmbedding(embedding: Float32Array): Promise<Float32Array> {
    return this.read(tf.tidy(() => this.headOn(tf.tensor2d(embedding, [1, embedding.length]))));
  }

  /** Probabilities for one decoded image ([H, W, 3], 0–255), mirrored first when `mirror` is set. */
  async predictPixels(pixels: tf.Tensor3D, mirror = false): Promise<Float32Array> {
    return this.read(tf.tidy(() => {
      const batch = tf.expandDims(cropAndResize(pixels, mirror), 0) as tf.Tensor4D;
      return this.headOn(this.extractor.embedBatch(batch));
    }));
  }

  /** Probabilities and the embedding they came from (for the "None of these" rule), for one decoded image. */
  async predictPixelsDetailed(pixels: tf.Tensor3D, mirror = false): Promise<{ probabilities: Float32Array; embedding: Float32Array }> {
    const [embedding, probabilities] = tf.tidy(() => {
      const batch = tf.expandDims(cropAndResize(pixels, mirror), 0) as tf.Tensor4D;
      const e = this.extractor.embedBatch(batch);
      return [e, this.headOn(e)];
    });
    try {
      const [e, p] = await Promise.all([embedding.data(), probabilities.data()]);
      return { probabilities: p as Float32Array, embedding: e as Float32Array };
    } finally {
      tf.dispose([embedding, probabilities]);
    }
  }

  /** Probabilities for a batch of 224×224 crops ([N, 224, 224, 3], 0–255). Sync: call inside tf.tidy. */
  probabilitiesOf(crops: tf.Tensor4D): tf.Tensor2D {
    return this.headOn(this.extractor.embedBatch(crops));
  }

  /** Disposes the head only; the extractor is shared. */
  dispose(): void {
    this.head.dispose();
  }

  private headOn(embeddings: tf.Tensor2D): tf.Tensor2D {
    return this.head.predict(transformEmbeddings(embeddings, this.transform)) as tf.Tensor2D;
  }

  private async read(probabilities: tf.Tensor2D): Promise<Float32Array> {
    try {
      return (await probabilities.data()) as Float32Array;
    } finally {
      probabilities.dispose();
    }
  }
}
