import * as tf from '@tensorflow/tfjs';
import * as mobilenet from '@tensorflow-models/mobilenet';
import { ModelLoadError } from './errors';
import { foldLayersModel, UnsupportedLayerError, type FoldedModel } from './foldedLayers';
import { ioHandlerFromFiles, type ModelFiles } from './modelFiles';
import { cropTensor, PREPROCESS, type Crop } from './preprocess';

/**
 * What the exporter and the README need to know to run a base model without this app: where the embedding
 * comes from, how to pool it and what pixel range the model expects.
 */
export interface BaseDescriptor {
  id: string;
  format: 'graph-model' | 'layers-model';
  embeddingNode: string;
  pooling: 'none' | 'mean';
  inputRange: [number, number];
  embeddingSize: number;
  /** Set inside a multi-base extractor: this base's embedding is l2-normalised before the bases are concatenated. */
  normalize?: 'l2';
}

/** MobileNet v1, width 0.25, 224 px: the default base, 256-d embeddings from global_pool. */
export const MOBILENET_V1_025: BaseDescriptor = {
  id: 'mobilenet-v1-025-224',
  format: 'graph-model',
  embeddingNode: 'module_apply_default/MobilenetV1/Logits/global_pool',
  pooling: 'none',
  inputRange: [0, 1],
  embeddingSize: 256,
};

/**
 * The classic Keras MobileNet v1, width 0.25, 224 px (the base of Teachable Machine v1 and ml5): a layers model
 * truncated at `conv_pw_13_relu` and mean-pooled to 256-d. A different weight set from MOBILENET_V1_025.
 */
export const MOBILENET_V1_025_LAYERS: BaseDescriptor = {
  id: 'mobilenet-v1-025-224-layers',
  format: 'layers-model',
  embeddingNode: 'conv_pw_13_relu',
  pooling: 'mean',
  inputRange: [-1, 1],
  embeddingSize: 256,
};

/**
 * The same Keras MobileNet v1 at width 0.75 (ImageNet top-1 68 % vs 50 % for 0.25): 768-d from `conv_pw_13_relu`,
 * mean-pooled. ≈ 325 M MACs per image, 2.3× the three default bases together; part of the "Most accurate" choice.
 */
export const MOBILENET_V1_075_LAYERS: BaseDescriptor = {
  id: 'mobilenet-v1-075-224-layers',
  format: 'layers-model',
  embeddingNode: 'conv_pw_13_relu',
  pooling: 'mean',
  inputRange: [-1, 1],
  embeddingSize: 768,
};

/**
 * Teachable Machine's own base: Keras MobileNetV2, width 0.35, 224 px, no top, global average pooled (1280-d).
 * TM scales pixels as x / 127 − 1, which is x / 255 · (128/127 + 1) − 1, i.e. the input range [−1, 128/127].
 */
export const TM_MOBILENET_V2_035: BaseDescriptor = {
  id: 'tm-mobilenet-v2-035-224',
  format: 'layers-model',
  embeddingNode: 'global_average_pooling2d_GlobalAveragePooling2D1',
  pooling: 'none',
  inputRange: [-1, 128 / 127],
  embeddingSize: 1280,
};

/** Every base Glance can load, by id. */
export const BASES: readonly BaseDescriptor[] = [MOBILENET_V1_025, MOBILENET_V1_025_LAYERS, TM_MOBILENET_V2_035, MOBILENET_V1_075_LAYERS];

/** Images per forward pass in `embed`: large enough to amortise overhead, small enough for a phone's GPU. */
export const EMBED_BATCH_SIZE = 16;

/**
 * What the app needs of the frozen bases, wherever they run (the engine worker, src/ml/engineClient.ts, or this
 * page): crops in, embeddings out, asynchronously. Owns the model: call `dispose()`.
 */
export interface Embedder {
  readonly base: BaseDescriptor;
  /** The files the model was loaded from (the exporter writes them out unchanged). */
  readonly files: ModelFiles;
  /**
   * The bases whose embeddings are concatenated, in order, when there is more than one (`loadExtractors`); absent
   * for a single base. Then `base` only names the combination (its id and total embedding size).
   */
  readonly parts?: readonly { base: BaseDescriptor; files: ModelFiles }[];
  /**
   * 224×224 crops (from `cropAndResize`) → one embedding per image, in order. Does not dispose the inputs. Pixels
   * (`CropPixels`) may be taken: where the bases run on another thread their buffers are transferred there, and left
   * empty here.
   */
  embed(images: readonly Crop[]): Promise<Float32Array[]>;
  /**
   * How many `embed` calls are worth having in flight at once: 2 where the bases run on another thread (the next
   * batch is on its way while one is computed), absent (1) where they run on the caller's thread.
   */
  readonly concurrency?: number;
  dispose(): void;
}

/** A frozen image model loaded on this thread's tfjs backend: an `Embedder` that can also embed synchronously. */
export interface FeatureExtractor extends Embedder {
  /** [N, 224, 224, 3] float pixels 0–255 → [N, D]. Synchronous and tidy: the caller disposes the result. */
  embedBatch(images: tf.Tensor4D): tf.Tensor2D;
}

/** How one kind of base model computes an embedding batch; adding a base means adding one of these. */
interface Backbone {
  embedBatch(images: tf.Tensor4D): tf.Tensor2D;
  dispose(): void;
}

type BackboneLoader = (files: ModelFiles, base: BaseDescriptor) => Promise<Backbone>;

/** `MobileNetImpl` keeps its GraphModel in `model`; the public `MobileNet` type omits it (and `dispose`). */
interface MobileNetWithModel extends mobilenet.MobileNet {
  model?: tf.GraphModel;
}

/**
 * Loads through `@tensorflow-models/mobilenet`, whose `infer(x, true)` scales 0–255 to `inputRange`, runs the
 * graph to the global_pool node and squeezes to [N, 256]. For a batch it also calls resizeBilinear
 * 224→224 with alignCorners, which is an exact identity (the test checks this against GraphModel.execute).
 */
const loadMobileNetGraph: BackboneLoader = async (files, base) => {
  const net: MobileNetWithModel = await mobilenet.load({
    version: 1,
    alpha: 0.25,
    modelUrl: ioHandlerFromFiles(files),
    inputRange: base.inputRange,
  });
  return {
    embedBatch: (images) => tf.tidy(() => {
      const out = net.infer(images, true);
      return tf.reshape(out, [images.shape[0], base.embeddingSize]) as tf.Tensor2D;
    }),
    dispose: () => net.model?.dispose(),
  };
};

/**
 * A Keras layers model cut at the layer named `embeddingNode` (the whole model when that is its last layer),
 * fed pixels scaled to `inputRange`, its output mean-pooled over height and width when `pooling` is 'mean'.
 * Runs as folded, fused ops (`foldLayersModel`: batch norms folded into the convs, ≈ 3–6× faster on WASM, same
 * numbers to float rounding); a model with a layer that cannot be folded runs as the layers model itself.
 */
const loadLayersBackbone: BackboneLoader = async (files, base) => {
  const full = await tf.loadLayersModel(ioHandlerFromFiles(files));
  const [lo, hi] = base.inputRange;
  const finish = (out: tf.Tensor, n: number): tf.Tensor2D => {
    const pooled = base.pooling === 'mean' ? tf.mean(out, [1, 2]) : out;
    return tf.reshape(pooled, [n, base.embeddingSize]) as tf.Tensor2D;
  };
  const scale = (images: tf.Tensor4D): tf.Tensor4D => tf.add(tf.mul(images, (hi - lo) / 255), lo);
  let folded: FoldedModel | null = null;
  try {
    folded = foldLayersModel(full, base.embeddingNode);
  } catch (err) {
    if (!(err instanceof UnsupportedLayerError)) throw err;
  }
  if (folded) {
    const program = folded;
    full.dispose();
    return {
      embedBatch: (images) => tf.tidy(() => finish(program.apply(scale(images)), images.shape[0])),
      dispose: () => program.dispose(),
    };
  }
  const last = full.layers[full.layers.length - 1];
  const model = last.name === base.embeddingNode ? full : tf.model({ inputs: full.inputs, outputs: full.getLayer(base.embeddingNode).output });
  return {
    embedBatch: (images) => tf.tidy(() => finish(model.predict(scale(images)) as tf.Tensor, images.shape[0])),
    // Disposing the full model disposes the weights the truncated one shares.
    dispose: () => full.dispose(),
  };
};

/** Loaders by BaseDescriptor id. */
const BACKBONES: Record<string, BackboneLoader | undefined> = {
  [MOBILENET_V1_025.id]: loadMobileNetGraph,
  [MOBILENET_V1_025_LAYERS.id]: loadLayersBackbone,
  [TM_MOBILENET_V2_035.id]: loadLayersBackbone,
  [MOBILENET_V1_075_LAYERS.id]: loadLayersBackbone,
};

function checkBatch(images: tf.Tensor4D): void {
  const [, h, w, c] = images.shape;
  const size = PREPROCESS.imageSize;
  if (h !== size || w !== size || c !== 3) {
    throw new Error(`embedBatch expects [N, ${size}, ${size}, 3] crops from cropAndResize, got [${images.shape.join(', ')}].`);
  }
}

/**
 * 224×224 crops → one embedding each, EMBED_BATCH_SIZE at a time through `embedBatch`, read back with `data()`.
 * Shared by single-base and combined extractors. Does not dispose the inputs.
 */
export async function embedInBatches(embedBatch: (images: tf.Tensor4D) => tf.Tensor2D, images: readonly Crop[]): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < images.length; i += EMBED_BATCH_SIZE) {
    const chunk = images.slice(i, i + EMBED_BATCH_SIZE);
    const embeddings = tf.tidy(() => {
      const batch = tf.stack(chunk.map(cropTensor)).toFloat() as tf.Tensor4D;
      checkBatch(batch);
      return embedBatch(batch);
    });
    try {
      const data = (await embeddings.data()) as Float32Array;
      const d = embeddings.shape[1];
      for (let j = 0; j < chunk.length; j++) out.push(data.slice(j * d, (j + 1) * d));
    } finally {
      embeddings.dispose();
    }
  }
  return out;
}

/**
 * Loads a base model from in-memory files (see `fetchModelFiles`) and runs one warm-up inference.
 * @throws ModelLoadError with advice the person can act on.
 */
export async function loadExtractor(files: ModelFiles, base: BaseDescriptor = MOBILENET_V1_025): Promise<FeatureExtractor> {
  const loader = BACKBONES[base.id];
  if (!loader) throw new ModelLoadError(`The base model ${base.id} is not supported. Reload the page to use ${MOBILENET_V1_025.id}.`);
  let backbone: Backbone;
  try {
    backbone = await loader(files, base);
  } catch (cause) {
    if (cause instanceof ModelLoadError) throw cause;
    const detail = cause instanceof Error ? ` (${cause.message})` : '';
    throw new ModelLoadError(
      `The image model could not be loaded${detail}. Reload the page; if it keeps failing, try another browser or add ?backend=cpu to the address.`,
      { cause },
    );
  }
  return {
    base,
    files,
    embedBatch: (images) => {
      checkBatch(images);
      return backbone.embedBatch(images);
    },
    embed: (images) => embedInBatches((batch) => backbone.embedBatch(batch), images),
    dispose: () => backbone.dispose(),
  };
}
