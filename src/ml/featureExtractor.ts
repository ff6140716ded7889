import * as tf from '@tensorflow/tfjs';
import * as mobilenet from '@tensorflow-models/mobilenet';
import { ModelLoadError } from './errors';
import { ioHandlerFromFiles, type ModelFiles } from './modelFiles';
import { PREPROCESS } from './preprocess';

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

/** Images per forward pass in `embed`: large enough to amortise overhead, small enough for a phone's GPU. */
export const EMBED_BATCH_SIZE = 16;

/** A frozen image model that turns 224×224 crops into embeddings. Owns its weights: call `dispose()`. */
export interface FeatureExtractor {
  readonly base: BaseDescriptor;
  /** The files the model was loaded from (the exporter writes them out unchanged). */
  readonly files: ModelFiles;
  /** [N, 224, 224, 3] float pixels 0–255 → [N, D]. Synchronous and tidy: the caller disposes the result. */
  embedBatch(images: tf.Tensor4D): tf.Tensor2D;
  /** 224×224 crops (from `cropAndResize`) → one embedding per image, in order. Does not dispose the inputs. */
  embed(images: tf.Tensor3D[]): Promise<Float32Array[]>;
  dispose(): void;
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

/** Loaders by BaseDescriptor id. A layers-model base with mean pooling would add an entry here. */
const BACKBONES: Record<string, BackboneLoader | undefined> = {
  [MOBILENET_V1_025.id]: loadMobileNetGraph,
};

function checkBatch(images: tf.Tensor4D): void {
  const [, h, w, c] = images.shape;
  const size = PREPROCESS.imageSize;
  if (h !== size || w !== size || c !== 3) {
    throw new Error(`embedBatch expects [N, ${size}, ${size}, 3] crops from cropAndResize, got [${images.shape.join(', ')}].`);
  }
}

async function embedInBatches(backbone: Backbone, images: tf.Tensor3D[]): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < images.length; i += EMBED_BATCH_SIZE) {
    const chunk = images.slice(i, i + EMBED_BATCH_SIZE);
    const embeddings = tf.tidy(() => {
      const batch = tf.stack(chunk).toFloat() as tf.Tensor4D;
      checkBatch(batch);
      return backbone.embedBatch(batch);
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
    embed: (images) => embedInBatches(backbone, images),
    dispose: () => backbone.dispose(),
  };
}
