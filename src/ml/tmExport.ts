import * as tf from '@tensorflow/tfjs';
import type { Classifier } from './classifier';
import type { BaseDescriptor } from './featureExtractor';
import { foldGraphModel } from './foldedGraph';
import { foldLayersModel, UnsupportedLayerError, type FoldedModel, type FoldedOp } from './foldedLayers';
import { ioHandlerFromFiles, type ModelFiles } from './modelFiles';
import { PREPROCESS } from './preprocess';

/**
 * Builds ONE standard tfjs layers model, image in, class probabilities out, in Teachable Machine's image-model
 * format: `@teachablemachine/image` 0.8.5 (on tfjs 1.3.1) and ml5 1.x `imageClassifier` load it unchanged.
 *
 * Both libraries crop the image to its centre square, scale it to 224×224 themselves and feed x / 127 − 1, so the
 * model starts by mapping that to each base's own input range. Each base is rebuilt from its folded steps
 * (foldedLayers.ts, foldedGraph.ts) as Conv2D / DepthwiseConv2D / ZeroPadding2D / ReLU / Add layers. Where Glance
 * l2-normalises an embedding, standard layers do it too: a fixed 1×1 DepthwiseConv2D gives [x, −x] (mean exactly
 * 0), GlobalAveragePooling2D, then LayerNormalization, whose output is then x·√d / ‖x‖; the 1/√d (and the head's own
 * l2 of the concatenation, 1/√k for k unit-length parts) is folded into the head's first Dense. Every layer used
 * exists in tfjs-layers 1.3.1; no custom layers.
 */

/** What TM's `capture` and ml5's `imgToTensor` feed a custom model: pixels 0–255 as x / 127 − 1. */
export const TM_INPUT_SCALE = 1 / 127;

/** LayerNormalization's epsilon: tiny next to ‖x‖² / d of any real embedding, so it matches Glance's l2 (≥ 1e-12). */
const LAYER_NORM_EPSILON = 1e-12;

/** One base in the combined model: its descriptor, its files and whether Glance l2-normalises its embedding. */
interface Part {
  base: BaseDescriptor;
  files: ModelFiles;
  normalize: boolean;
}

function partsOf(classifier: Classifier): Part[] {
  const { extractor, transform } = classifier;
  if (extractor.parts) return extractor.parts.map((p) => ({ base: p.base, files: p.files, normalize: true }));
  // One base: its embedding is normalised only by the head's own transform.
  return [{ base: extractor.base, files: extractor.files, normalize: transform === 'l2' }];
}

async function foldBase(base: BaseDescriptor, files: ModelFiles): Promise<FoldedModel> {
  if (base.format === 'graph-model') return foldGraphModel(files, base.embeddingNode);
  const full = await tf.loadLayersModel(ioHandlerFromFiles(files));
  try {
    return foldLayersModel(full, base.embeddingNode);
  } finally {
    full.dispose();
  }
}

/** Makes layer names unique and valid ([A-Za-z0-9_]), readable from the step they come from. */
function namer(): (prefix: string, name: string) => string {
  const used = new Set<string>();
  return (prefix, name) => {
    const short = name.split('/').slice(-2).join('_').replace(/[^A-Za-z0-9_]/g, '_');
    let out = `${prefix}_${short}`;
    for (let i = 2; used.has(out); i++) out = `${prefix}_${short}_${i}`;
    used.add(out);
    return out;
  };
}

type Name = ReturnType<typeof namer>;

/** Applies a new layer to `x` and sets its weights (which it copies; the caller still owns them). */
function applyLayer(layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[], weights: tf.Tensor[] = []): tf.SymbolicTensor {
  const out = layer.apply(x) as tf.SymbolicTensor;
  if (weights.length) layer.setWeights(weights);
  return out;
}

/** A per-channel y = x · scale + shift as a 1×1 DepthwiseConv2D (tfjs-layers 1.3.1 has no Rescaling layer). */
function affineLayer(x: tf.SymbolicTensor, scale: tf.Tensor1D, shift: tf.Tensor1D, name: string): tf.SymbolicTensor {
  const channels = scale.shape[0];
  const layer = tf.layers.depthwiseConv2d({ kernelSize: 1, depthMultiplier: 1, useBias: true, name });
  const kernel = tf.reshape(scale, [1, 1, channels, 1]);
  try {
    return applyLayer(layer, x, [kernel, shift]);
  } finally {
    kernel.dispose();
  }
}

function opLayer(op: FoldedOp, xs: tf.SymbolicTensor[], name: string): tf.SymbolicTensor {
  const [x] = xs;
  switch (op.kind) {
    case 'conv': {
      const [kh, kw, , filters] = op.kernel.shape;
      const { strides, padding, activation } = op;
      return applyLayer(tf.layers.conv2d({ filters, kernelSize: [kh, kw], strides, padding, activation, useBias: true, name }), x, [op.kernel, op.bias]);
    }
    case 'depthwise': {
      const [kh, kw, , depthMultiplier] = op.kernel.shape;
      const { strides, padding, activation } = op;
      return applyLayer(tf.layers.depthwiseConv2d({ kernelSize: [kh, kw], depthMultiplier, strides, padding, activation, useBias: true, name }), x, [op.kernel, op.bias]);
    }
    case 'pad':
      return applyLayer(tf.layers.zeroPadding2d({ padding: op.pairs, name }), x);
    case 'affine':
      return affineLayer(x, op.scale, op.shift, name);
    case 'activation':
      if (op.activation === 'linear') return x;
      return applyLayer(tf.layers.reLU({ ...(op.activation === 'relu6' ? { maxValue: 6 } : {}), name }), x);
    case 'add':
      return applyLayer(tf.layers.add({ name }), xs);
    case 'mean':
      return applyLayer(tf.layers.globalAveragePooling2d({ name }), x);
    case 'identity':
      return x;
  }
}

/**
 * One base as layers on the shared image input: TM's x / 127 − 1 mapped to the base's input range, the folded steps,
 * global average pooling, and (when normalised) [x, −x] + LayerNormalization. Output [N, D], or [N, 2D] normalised.
 */
function baseLayers(image: tf.SymbolicTensor, part: Part, program: FoldedModel, prefix: string, name: Name): tf.SymbolicTensor {
  const [lo, hi] = part.base.inputRange;
  // base input = pixel / 255 · (hi − lo) + lo, and pixel = 127 · (t + 1) for TM's t.
  const a = (127 * (hi - lo)) / 255;
  const b = a + lo;
  let x = image;
  if (Math.abs(a - 1) > 1e-9 || Math.abs(b) > 1e-9) {
    const [scale, shift] = [tf.fill([3], a) as tf.Tensor1D, tf.fill([3], b) as tf.Tensor1D];
    try {
      x = affineLayer(x, scale, shift, name(prefix, 'input_range'));
    } finally {
      tf.dispose([scale, shift]);
    }
  }
  const steps = [...program.steps];
  const last = steps[steps.length - 1];
  // The final global pool is applied after the [x, −x] split (pooling is linear, so it commutes).
  const pooled = last?.op.kind === 'mean';
  if (pooled) steps.pop();
  else if (part.base.pooling !== 'mean') throw new UnsupportedLayerError(`${part.base.id}: an embedding that is not a global average pool`);
  const values = new Map<string, tf.SymbolicTensor>([[program.input, x]]);
  for (const step of steps) values.set(step.name, opLayer(step.op, step.inputs.map((n) => values.get(n) as tf.SymbolicTensor), name(prefix, step.name)));
  let features = values.get(steps[steps.length - 1].name) as tf.SymbolicTensor;
  const channels = features.shape[3] as number;
  if (part.normalize) {
    const signs = tf.tidy(() => tf.tile(tf.tensor4d([1, -1], [1, 1, 1, 2]), [1, 1, channels, 1]));
    try {
      features = applyLayer(tf.layers.depthwiseConv2d({ kernelSize: 1, depthMultiplier: 2, useBias: false, name: name(prefix, 'plus_minus') }), features, [signs]);
    } finally {
      signs.dispose();
    }
  }
  features = applyLayer(tf.layers.globalAveragePooling2d({ name: name(prefix, 'pool') }), features);
  if (!part.normalize) return features;
  return applyLayer(tf.layers.layerNormalization({ axis: -1, epsilon: LAYER_NORM_EPSILON, name: name(prefix, 'l2') }), features);
}

/**
 * The head's first Dense kernel re-laid for the combined features: each normalised part's rows interleaved with zero
 * rows (for its −x half) and scaled by c/√d; other parts' rows unchanged. Tidy: the caller disposes it.
 */
function firstKernel(kernel: tf.Tensor2D, parts: Part[], transform: Classifier['transform']): tf.Tensor2D {
  return tf.tidy(() => {
    const units = kernel.shape[1];
    const normalised = parts.filter((p) => p.normalize).length;
    // The head's l2 of k concatenated unit-length parts is a division by √k.
    const c = transform === 'l2' && parts.length > 1 ? 1 / Math.sqrt(normalised) : 1;
    let offset = 0;
    const blocks = parts.map((p) => {
      const d = p.base.embeddingSize;
      const rows = tf.slice(kernel, [offset, 0], [d, units]);
      offset += d;
      if (!p.normalize) return rows;
      const scaled = tf.mul(rows, c / Math.sqrt(d));
      return tf.reshape(tf.stack([scaled, tf.zerosLike(scaled)], 1), [2 * d, units]);
    });
    return (blocks.length === 1 ? blocks[0] : tf.concat(blocks, 0)) as tf.Tensor2D;
  });
}

/** The head's Dense layers on `features` (Dropout is a no-op at prediction and is left out). */
function headLayers(features: tf.SymbolicTensor, classifier: Classifier, parts: Part[]): tf.SymbolicTensor {
  let x = features;
  let first = true;
  for (const layer of classifier.head.layers) {
    const cls = layer.getClassName();
    if (cls === 'Dropout') continue;
    if (cls !== 'Dense') throw new UnsupportedLayerError(`head layer ${layer.name}: ${cls}`);
    const cfg = layer.getConfig();
    const [kernel, bias] = layer.getWeights() as [tf.Tensor2D, tf.Tensor1D?];
    const dense = tf.layers.dense({ units: kernel.shape[1], activation: cfg.activation as 'relu', useBias: Boolean(bias), name: layer.name });
    const k = first ? firstKernel(kernel, parts, classifier.transform) : kernel;
    try {
      x = applyLayer(dense, x, bias ? [k, bias] : [k]);
    } finally {
      if (k !== kernel) k.dispose();
    }
    first = false;
  }
  return x;
}

/**
 * The classifier as one layers model: [N, 224, 224, 3] pixels as x / 127 − 1 → [N, classes] probabilities, the
 * same (to float rounding) as `classifier.predictPixels` on the centre square resized to 224. Caller disposes it.
 * @throws UnsupportedLayerError when a base or the head has a layer this cannot rebuild.
 */
export async function buildTmModel(classifier: Classifier): Promise<tf.LayersModel> {
  const parts = partsOf(classifier);
  const programs: FoldedModel[] = [];
  try {
    for (const p of parts) programs.push(await foldBase(p.base, p.files));
    const name = namer();
    const size = PREPROCESS.imageSize;
    const image = tf.input({ shape: [size, size, 3], name: 'image' });
    const features = parts.map((p, i) => baseLayers(image, p, programs[i], `b${i}`, name));
    const joined = features.length === 1 ? features[0] : applyLayer(tf.layers.concatenate({ axis: -1, name: 'bases' }), features);
    const probabilities = headLayers(joined, classifier, parts);
    return tf.model({ inputs: image, outputs: probabilities, name: 'glance_teachable_machine' });
  } finally {
    programs.forEach((p) => p.dispose());
  }
}
