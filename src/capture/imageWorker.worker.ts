/// <reference lib="webworker" />
/**
 * Web Worker entry: thumbnails encoded as JPEG, and uploaded files decoded, cropped and made into thumbnails, off the
 * page's thread (see `imageWorker.ts`).
 */
import * as tf from '@tensorflow/tfjs';
import { expose, transfer } from 'comlink';
import { currentLanguage, setLanguage, type Language } from '../i18n';
import { ImageFileError } from '../ml/errors';
import { cropAndResize } from '../ml/preprocess';
import { decodeImageFile } from './imageFile';
import type { ImageService, PreparedFile } from './imageWorker';
import { encodeRgbaJpeg, rgbToRgba } from './jpeg';

/**
 * Crops need only a few small ops per file: the plain-JavaScript backend does them in a few milliseconds, with no WASM
 * module or GPU context to start in this worker. Its crops match the page's WASM ones to float rounding, under 0.01
 * of 255 (preprocess.test.ts).
 */
const ready = tf.setBackend('cpu');

/** The decoded file's pixels, read from a software canvas (no GPU surface to read back from). */
function pixelsOf(bitmap: ImageBitmap): ImageData {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  // Never shown: the call fails, and the page decodes this file itself.
  // eslint-disable-next-line no-restricted-syntax
  if (!ctx) throw new Error('This browser cannot draw images (no 2D canvas).');
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
}

async function prepare(file: File, language: Language, quality: number): Promise<PreparedFile> {
  if (currentLanguage() !== language) setLanguage(language, false);
  await ready;
  let bitmap: ImageBitmap;
  try {
    bitmap = await decodeImageFile(file);
  } catch (err) {
    if (err instanceof ImageFileError) return { ok: false, code: err.code, fileName: err.fileName, message: err.message };
    throw err;
  }
  let image: ImageData;
  try {
    image = pixelsOf(bitmap);
  } finally {
    bitmap.close();
  }
  const crop = tf.tidy(() => cropAndResize(tf.browser.fromPixels(image), false));
  let pixels: Float32Array<ArrayBuffer>;
  try {
    // The cpu backend hands out the tensor's own storage: copied, so the buffer can be transferred.
    pixels = new Float32Array(crop.dataSync());
  } finally {
    crop.dispose();
  }
  const [h, w] = crop.shape;
  const jpeg = await encodeRgbaJpeg(rgbToRgba(pixels, w, h), w, h, quality);
  return transfer({ ok: true, jpeg, pixels }, [pixels.buffer]);
}

expose({ encode: encodeRgbaJpeg, prepare } satisfies ImageService);
