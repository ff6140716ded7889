import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from './dataset';
import type { FeatureExtractor } from './featureExtractor';
import { PREPROCESS } from './preprocess';

/** How many augmented copies `augmentedCrops` makes of each sample by default. */
export const AUGMENT_COUNT = 4;

/** Ranges of the random changes; each copy draws its own values from a seeded generator. */
export const AUGMENT = {
  /** Side of the zoom crop as a share of the image side. */
  cropScale: [0.75, 0.95],
  /** Added to every channel, in 0–255 pixel units. */
  brightness: [-40, 40],
  /** Multiplies the distance from the image's mean grey. */
  contrast: [0.7, 1.3],
  /** Multiplies the distance from each pixel's grey (0 = grey, 1 = unchanged). */
  saturation: [0.6, 1.4],
} as const;

type Rng = () => number;

const between = (rng: Rng, [lo, hi]: readonly [number, number]) => lo + (hi - lo) * rng();

/** A square crop of `scale` × side at a random position, resized back to 224 like `cropAndResize` does. */
function zoom(img: tf.Tensor3D, rng: Rng): tf.Tensor3D {
  const scale = between(rng, AUGMENT.cropScale);
  const top = (1 - scale) * rng();
  const left = (1 - scale) * rng();
  const size = PREPROCESS.imageSize;
  const boxes = tf.tensor2d([[top, left, top + scale, left + scale]]);
  const out = tf.image.cropAndResize(tf.expandDims(img, 0) as tf.Tensor4D, boxes, [0], [size, size], 'bilinear');
  return tf.squeeze(out, [0]) as tf.Tensor3D;
}

/** Brightness, contrast and saturation changes, clipped to 0–255. */
function jitter(img: tf.Tensor3D, rng: Rng): tf.Tensor3D {
  const brightness = between(rng, AUGMENT.brightness);
  const contrast = between(rng, AUGMENT.contrast);
  const saturation = between(rng, AUGMENT.saturation);
  const grey = tf.mean(img, 2, true);
  const saturated = tf.add(grey, tf.mul(tf.sub(img, grey), saturation));
  const mean = tf.mean(saturated);
  const contrasted = tf.add(mean, tf.mul(tf.sub(saturated, mean), contrast));
  return tf.clipByValue(tf.add(contrasted, brightness), 0, 255) as tf.Tensor3D;
}

const flip = (img: tf.Tensor3D): tf.Tensor3D => tf.reverse(img, 1);

/**
 * Augmented copies of one 224×224 crop (float 0–255, from `cropAndResize`), to embed when a sample is added and
 * train on beside the original: a left–right flip, a zoom crop, a colour jitter, then flip + zoom + jitter for the
 * rest. Reproducible for a seed (use a per-sample number). Synchronous and tidy: the caller disposes the results;
 * the input is not disposed.
 */
export function augmentedCrops(crop: tf.Tensor3D, seed: number, count = AUGMENT_COUNT): tf.Tensor3D[] {
  const rng = mulberry32(seed);
  const recipes: ((img: tf.Tensor3D) => tf.Tensor3D)[] = [
    flip,
    (img) => zoom(img, rng),
    (img) => jitter(img, rng),
  ];
  return tf.tidy(() => {
    const x = crop.toFloat();
    return Array.from({ length: count }, (_, i) => {
      const recipe = recipes[i] ?? ((img: tf.Tensor3D) => jitter(zoom(rng() < 0.5 ? flip(img) : img, rng), rng));
      return recipe(x);
    });
  });
}

/**
 * Embeddings of `count` augmented copies of one crop (see `augmentedCrops`), through any extractor's `embed` (one
 * base or several combined). The copies are disposed here; the crop is not.
 */
export async function augmentedEmbeddings(extractor: Pick<FeatureExtractor, 'embed'>, crop: tf.Tensor3D, seed: number, count = AUGMENT_COUNT): Promise<Float32Array[]> {
  const copies = augmentedCrops(crop, seed, count);
  try {
    return await extractor.embed(copies);
  } finally {
    tf.dispose(copies);
  }
}
