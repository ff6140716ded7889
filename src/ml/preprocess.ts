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
