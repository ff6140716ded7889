import { ImageFileError } from '../ml/errors';
import { t } from '../i18n';

/** Images whose longer side is above this are scaled down while decoding, so a 50-megapixel photo never
 * becomes a 200 MB tensor. The crop to 224×224 comes after, so nothing visible is lost. */
export const MAX_IMAGE_SIDE = 2048;
/** Files above this are refused before they are read: no photo a person means to use is this big. */
export const MAX_IMAGE_BYTES = 200 * 1024 * 1024;

/**
 * Decodes an image file the way a person expects: EXIF orientation honoured, very large images scaled
 * down. Throws ImageFileError (naming the file and saying what to do) for empty, truncated or
 * non-image files. The caller owns the returned bitmap and must `close()` it.
 */
export async function decodeImageFile(file: File): Promise<ImageBitmap> {
  const name = file.name || t('files.theFile');
  if (file.size === 0) {
    throw new ImageFileError('empty-file', name, t('files.empty', { name }));
  }
  if (file.size > MAX_IMAGE_BYTES) {
    throw new ImageFileError('image-too-large', name, t('files.tooLarge', { name }));
  }
  if (await isCutOffJpeg(file)) throw notAnImage(name, t('files.cutOff'));
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw notAnImage(name, t('files.unreadable'));
  }
  if (bitmap.width === 0 || bitmap.height === 0) {
    bitmap.close();
    throw notAnImage(name, t('files.noPixels'));
  }
  const longer = Math.max(bitmap.width, bitmap.height);
  if (longer <= MAX_IMAGE_SIDE) return bitmap;
  const scale = MAX_IMAGE_SIDE / longer;
  const resizeWidth = Math.max(1, Math.round(bitmap.width * scale));
  const resizeHeight = Math.max(1, Math.round(bitmap.height * scale));
  bitmap.close();
  return createImageBitmap(file, { imageOrientation: 'from-image', resizeWidth, resizeHeight, resizeQuality: 'high' });
}

function notAnImage(name: string, why: string): ImageFileError {
  return new ImageFileError('not-an-image', name, t('files.notAdded', { name, why }));
}

function isJpeg(head: Uint8Array): boolean {
  return head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
}

/** Files up to this size are read whole to check them (one read); larger ones only at their two ends. */
const READ_WHOLE_BYTES = 4 * 1024 * 1024;

/**
 * True for a JPEG without its end: a complete JPEG ends with the EOI marker (FF D9), some encoders add a few padding
 * bytes after it. Browsers happily decode a truncated JPEG into a half-grey picture, which would poison the data set.
 * A photo is read once, whole (each `slice` of a file is a synchronous call into the browser, about 0.6 ms here).
 */
async function isCutOffJpeg(file: File): Promise<boolean> {
  const whole = file.size <= READ_WHOLE_BYTES ? new Uint8Array(await file.arrayBuffer()) : null;
  if (!isJpeg(whole ?? new Uint8Array(await file.slice(0, 4).arrayBuffer()))) return false;
  const tail = whole ? whole.subarray(Math.max(0, whole.length - 1024)) : new Uint8Array(await file.slice(Math.max(0, file.size - 1024)).arrayBuffer());
  for (let i = tail.length - 2; i >= 0; i--) {
    if (tail[i] === 0xff && tail[i + 1] === 0xd9) return false;
  }
  return true;
}

/** True when the file's type or name says it is meant to be an image (used to filter drag-and-drop). */
export function looksLikeImageFile(file: File): boolean {
  return file.type.startsWith('image/') || /\.(jpe?g|png|gif|webp|bmp|avif)$/i.test(file.name);
}
