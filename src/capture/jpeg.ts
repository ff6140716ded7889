/** Encodes RGBA pixels as a JPEG blob with a 2D OffscreenCanvas, on whichever thread runs it. */
export async function encodeRgbaJpeg(rgba: Uint8ClampedArray<ArrayBuffer>, width: number, height: number, quality: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  // A software canvas: the pixels go straight to the encoder, with no upload to (and read-back from) a GPU surface.
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  // Never shown from the image worker (the page then encodes the thumbnail itself); on the page it is worded
  // (errors.unexpected) with this detail.
  // eslint-disable-next-line no-restricted-syntax
  if (!ctx) throw new Error('This browser cannot draw images (no 2D canvas).');
  ctx.putImageData(new ImageData(rgba, width, height), 0, 0);
  return canvas.convertToBlob({ type: 'image/jpeg', quality });
}

/** Float RGB pixels 0–255 (a crop's) → opaque RGBA bytes, for `encodeRgbaJpeg`. */
export function rgbToRgba(rgb: ArrayLike<number>, width: number, height: number): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, j = 0; i < width * height * 3; i += 3, j += 4) {
    out[j] = rgb[i];
    out[j + 1] = rgb[i + 1];
    out[j + 2] = rgb[i + 2];
    out[j + 3] = 255;
  }
  return out;
}

/** The quality of every thumbnail (and of the examples in project files, which are these thumbnails). */
export const THUMBNAIL_QUALITY = 0.9;
