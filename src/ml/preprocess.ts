import * as tf from '@tensorflow/tfjs';

/**
 * The one definition of how pixels become model input. Capture, upload, prediction and the exported README
 * all follow it, and `metadata.json` records it so the export reproduces the app's numbers.
 */
export const PREPROCESS = {
  imageSize: 224,
  crop: 'center-square',
  resize: { method: 'bilinear', alignCorners: false, halfPixelCenters: true },
} as const;

/** One 224×224×3 crop as float pixels 0–255, row-major: what `cropAndResize` makes, read out of its tensor. */
export type CropPixels = Float32Array;

/** A crop as the model takes it: the tensor `cropAndResize` made, or its pixels already read (made on another thread). */
export type Crop = tf.Tensor3D | CropPixels;

/** The pixels a crop tensor needs; a `CropPixels` of any other length is refused. */
export const CROP_LENGTH = PREPROCESS.imageSize * PREPROCESS.imageSize * 3;

/** `pixels` themselves when they are a crop's number of values; throws otherwise. */
export function checkedCropPixels(pixels: CropPixels): CropPixels {
  const size = PREPROCESS.imageSize;
  if (pixels.length !== CROP_LENGTH) throw new Error(`A crop has ${CROP_LENGTH} pixel values (${size}×${size}×3), this one ${pixels.length}.`);
  return pixels;
}

/** A crop as a tensor: the tensor itself, or a new one over its pixels (the caller disposes that one). */
export function cropTensor(crop: Crop): tf.Tensor3D {
  if (!(crop instanceof Float32Array)) return crop;
  const size = PREPROCESS.imageSize;
  return tf.tensor3d(checkedCropPixels(crop), [size, size, 3], 'float32');
}

/** Frees a crop's tensor; pixels need no freeing. */
export function disposeCrop(crop: Crop): void {
  if (!(crop instanceof Float32Array)) crop.dispose();
}

/**
 * Centre-crops to a square, optionally mirrors left–right, and resizes with `tf.image.resizeBilinear` to
 * 224×224. Input: [H, W, 3] pixels 0–255 (any dtype). Output: float32 [224, 224, 3], still 0–255.
 * Synchronous: call inside `tf.tidy` or dispose the result.
 */
export function cropAndResize(pixels: tf.Tensor3D, mirror = false): tf.Tensor3D {
  return tf.tidy(() => {
    const [h, w] = pixels.shape;
    const side = Math.min(h, w);
    const top = Math.floor((h - side) / 2);
    const left = Math.floor((w - side) / 2);
    let x = tf.slice(pixels, [top, left, 0], [side, side, 3]).toFloat();
    if (mirror) x = tf.reverse(x, 1);
    const size = PREPROCESS.imageSize;
    if (side === size) return x as tf.Tensor3D;
    return tf.image.resizeBilinear(x, [size, size], PREPROCESS.resize.alignCorners, PREPROCESS.resize.halfPixelCenters);
  });
}
