import { transfer, wrap, type Remote } from 'comlink';
import { currentLanguage, type Language } from '../i18n';
import { ImageFileError, type ImageFileErrorCode } from '../ml/errors';
import type { CropPixels } from '../ml/preprocess';
import { encodeRgbaJpeg } from './jpeg';

/** An image file made ready to be an example, in the image worker: its crop's pixels and its thumbnail. */
export type PreparedFile =
  | { ok: true; jpeg: Blob; pixels: CropPixels }
  /** The file cannot be used (`decodeImageFile`'s refusal, worded in the page's language): it crosses as data. */
  | { ok: false; code: ImageFileErrorCode; fileName: string; message: string };

/** The image worker's API (`imageWorker.worker.ts`). */
export interface ImageService {
  encode: typeof encodeRgbaJpeg;
  /**
   * A file → decoded (`decodeImageFile`), cropped (`cropAndResize`) and its thumbnail encoded, all on the worker's
   * thread; the pixels are transferred back.
   */
  prepare(file: File, language: Language, quality: number): Promise<PreparedFile>;
}

interface ImageWorker {
  remote: Remote<ImageService>;
  pending: Set<(err: unknown) => void>;
  /** Stops the worker for good: every call waiting on it is rejected (and done on this thread by its caller). */
  stop(): void;
}

/**
 * The one owner of the image worker: made on first use and kept; 'failed' once it has failed (thumbnails are then
 * encoded, and files decoded and cropped, on the calling thread). Off the page's thread go Chromium's JPEG encoding
 * (convertToBlob is synchronous, about 5 ms per thumbnail) and, for uploads, the decoded file's pixels, the crop and
 * its read-back: some 3 MB of short-lived buffers per file, which made the page's garbage collector pause it.
 */
const images: { worker: ImageWorker | null | 'failed' } = { worker: null };

function imageWorker(): ImageWorker | null {
  if (images.worker === 'failed') return null;
  if (images.worker) return images.worker;
  if (typeof Worker === 'undefined') {
    images.worker = 'failed';
    return null;
  }
  try {
    const worker = new Worker(new URL('./imageWorker.worker.ts', import.meta.url), { type: 'module', name: 'glance-images' });
    const made: ImageWorker = {
      remote: wrap<ImageService>(worker),
      pending: new Set(),
      stop() {
        if (images.worker === made) images.worker = 'failed';
        worker.terminate();
        // Comlink never settles a call whose worker died: reject them. Never shown: the callers redo them here.
        made.pending.forEach((reject) => reject(new DOMException('the image worker stopped', 'AbortError')));
        made.pending.clear();
      },
    };
    worker.addEventListener('error', () => made.stop());
    images.worker = made;
    return made;
  } catch {
    images.worker = 'failed';
    return null;
  }
}

/** A thumbnail takes milliseconds and a file well under a second; a worker silent for this long is taken as gone. */
const WORKER_ANSWER_MS = 15_000;

/**
 * Runs `call` in the image worker. Null when there is none or this call failed: the caller then does the work on this
 * thread. A worker that died (its error event) or went silent is stopped and not used again; a call that merely
 * failed (a file the worker could not read, say) costs only itself, and the worker goes on with the next.
 */
async function inWorker<T>(call: (remote: Remote<ImageService>) => Promise<T>): Promise<{ value: T } | null> {
  const w = imageWorker();
  if (!w) return null;
  try {
    const value = await new Promise<T>((resolve, reject) => {
      w.pending.add(reject);
      // A worker that stops without an error event never answers: after this long it is stopped.
      const timer = setTimeout(() => w.stop(), WORKER_ANSWER_MS);
      call(w.remote).then(resolve, reject).finally(() => {
        clearTimeout(timer);
        w.pending.delete(reject);
      });
    });
    return { value };
  } catch {
    return null;
  }
}

/**
 * RGBA pixels → JPEG blob, in the image worker when it runs, else on this thread. `pixels` makes them: they are
 * transferred to the worker, not copied (a structured clone of 0.2 MB cost the page about 0.8 ms per thumbnail), and
 * made again here if the worker fails.
 */
export async function encodeJpeg(pixels: () => Uint8ClampedArray<ArrayBuffer>, width: number, height: number, quality: number): Promise<Blob> {
  const done = await inWorker((remote) => {
    const rgba = pixels();
    return remote.encode(transfer(rgba, [rgba.buffer]), width, height, quality);
  });
  return done ? done.value : encodeRgbaJpeg(pixels(), width, height, quality);
}

/**
 * An image file → its crop's pixels and thumbnail, made in the image worker. Null when the worker cannot do it (the
 * caller makes them on this thread). @throws ImageFileError when the file cannot be used, naming it.
 */
export async function prepareFileOffThread(file: File, quality: number): Promise<{ jpeg: Blob; pixels: CropPixels } | null> {
  // Comlink's Remote type splits the union's promise; the value is one PreparedFile.
  const done = await inWorker((remote) => remote.prepare(file, currentLanguage(), quality) as Promise<PreparedFile>);
  if (!done) return null;
  const r = done.value;
  if (!r.ok) throw new ImageFileError(r.code, r.fileName, r.message);
  return { jpeg: r.jpeg, pixels: r.pixels };
}
