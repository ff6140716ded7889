import * as tf from '@tensorflow/tfjs';
import { cropAndResize } from '../ml/preprocess';
import { decodeImageFile } from './imageFile';
import { encodeJpeg } from './imageWorker';
import { rgbToRgba, THUMBNAIL_QUALITY } from './jpeg';

/** Pixels of a video frame, a decoded file or a canvas. */
export type PixelSource = HTMLVideoElement | ImageBitmap | HTMLCanvasElement | HTMLImageElement | ImageData;

/** Reads a source into an int32 [H, W, 3] tensor (the caller disposes it). */
export function readPixels(source: PixelSource): tf.Tensor3D {
  return tf.browser.fromPixels(source);
}

/**
 * The sample a person sees: centre square, mirrored when the mirror is on, 224×224 — through the one
 * preprocess function the model and the export use. The caller disposes it.
 */
export function grabCrop(source: PixelSource, mirror: boolean): tf.Tensor3D {
  return tf.tidy(() => cropAndResize(readPixels(source), mirror));
}

/** Decodes a sample's stored 224×224 JPEG back into the crop the model sees (float 0–255). The caller disposes it. */
export async function jpegToCrop(jpeg: Blob): Promise<tf.Tensor3D> {
  const bitmap = await createImageBitmap(jpeg);
  try {
    return grabCrop(bitmap, false);
  } finally {
    bitmap.close();
  }
}

/** Encodes a 224×224 float 0–255 crop as a JPEG blob, for thumbnails (and later project files), in the image worker. */
export async function cropToJpeg(crop: tf.Tensor3D, quality = THUMBNAIL_QUALITY): Promise<Blob> {
  const [h, w] = crop.shape;
  const rgb = await crop.data();
  return encodeJpeg(() => rgbToRgba(rgb, w, h), w, h, quality);
}

/** True when the browser can decode `image` (checked before a file's examples replace the project). */
export async function canDecodeImage(image: Blob): Promise<boolean> {
  try {
    const bitmap = await createImageBitmap(image);
    bitmap.close();
    return true;
  } catch {
    return false;
  }
}

/** Decodes an image file (checked, EXIF-rotated, size-limited by decodeImageFile) into its pixels. The caller disposes them. */
export async function readFilePixels(file: File): Promise<tf.Tensor3D> {
  const bitmap = await decodeImageFile(file);
  try {
    return readPixels(bitmap);
  } finally {
    bitmap.close();
  }
}
