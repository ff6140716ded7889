import * as tf from '@tensorflow/tfjs';
import type { Embedder } from './featureExtractor';
import { transformEmbeddings, type EmbeddingTransform } from './head';
import type { NoveltyModel } from './novelty';
import { cropAndResize } from './preprocess';

/**
 * The app's one prediction path: pixels → crop/resize → shared base model → embedding transform → trained head
 * → probabilities in `labels` order. Owns the head; the extractor is shared and outlives it. The bases may run in
 * the engine worker (src/ml/engineClient.ts): the crop is made here, its embedding comes back asynchronously, and
 * the head (one small dense layer) runs on this thread.
 */
export class Classifier {
  readonly extractor: Embedder;
  readonly head: tf.LayersModel;
  readonly transform: EmbeddingTransform;
  /** Class names at training time, in the order of the head's outputs. */
  readonly labels: readonly string[];
  /** The "None of these" rule fitted on the training embeddings (src/ml/novelty.ts), when there is one. */
  readonly novelty: NoveltyModel | null;

  constructor(extractor: Embedder, head: tf.LayersModel, transform: EmbeddingTransform, labels: string[], novelty: NoveltyModel | null = null) {
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
    return (await this.probabilitiesOfEmbeddings([embedding]))[0];
  }

  /** Probabilities for one decoded image ([H, W, 3], 0–255), mirrored first when `mirror` is set. */
  async predictPixels(pixels: tf.Tensor3D, mirror = false): Promise<Float32Array> {
    return (await this.predictPixelsDetailed(pixels, mirror)).probabilities;
  }

  /** Probabilities and the embedding they came from (for the "None of these" rule), for one decoded image. */
  async predictPixelsDetailed(pixels: tf.Tensor3D, mirror = false): Promise<{ probabilities: Float32Array; embedding: Float32Array }> {
    const crop = cropAndResize(pixels, mirror);
    let embedding: Float32Array;
    try {
      [embedding] = await this.extractor.embed([crop]);
    } finally {
      crop.dispose();
    }
    return { probabilities: await this.predictEmbedding(embedding), embedding };
  }

  /** Probabilities for 224×224 crops ([224, 224, 3], 0–255), one row each, in order. Does not dispose the crops. */
  async probabilitiesOfCrops(crops: tf.Tensor3D[]): Promise<Float32Array[]> {
    return this.probabilitiesOfEmbeddings(await this.extractor.embed(crops));
  }

  /** Disposes the head only; the extractor is shared. */
  dispose(): void {
    this.head.dispose();
  }

  private async probabilitiesOfEmbeddings(embeddings: Float32Array[]): Promise<Float32Array[]> {
    if (embeddings.length === 0) return [];
    const d = embeddings[0].length;
    const flat = new Float32Array(embeddings.length * d);
    embeddings.forEach((e, i) => flat.set(e, i * d));
    const probabilities = tf.tidy(() => this.head.predict(transformEmbeddings(tf.tensor2d(flat, [embeddings.length, d]), this.transform)) as tf.Tensor2D);
    try {
      const data = (await probabilities.data()) as Float32Array;
      const k = probabilities.shape[1];
      return embeddings.map((_, i) => data.slice(i * k, (i + 1) * k));
    } finally {
      probabilities.dispose();
    }
  }
}
