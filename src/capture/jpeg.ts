import { transfer, wrap, type Remote } from 'comlink';

/** Encodes RGBA pixels as a JPEG blob with a 2D OffscreenCanvas, on whichever thread runs it. */
export async function encodeRgbaJpeg(rgba: Uint8ClampedArray<ArrayBuffer>, width: number, height: number, quality: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  // A software canvas: the pixels go straight to the encoder, with no upload to (and read-back from) a GPU surface.
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  // Also runs in the thumbnail worker, which has no catalogues; the page words it (errors.unexpected) with this detail.
  // eslint-disable-next-line no-restricted-syntax
  if (!ctx) throw new Error('This browser cannot draw images (no 2D canvas).');
  ctx.putImageData(new ImageData(rgba, width, height), 0, 0);
  return canvas.convertToBlob({ type: 'image/jpeg', quality });
}

/** The thumbnail worker's API (`jpegWorker.ts`). */
export interface JpegService {
  encode: typeof encodeRgbaJpeg;
}

interface ThumbnailWorker {
  remote: Remote<JpegService>;
  pending: Set<(err: unknown) => void>;
  /** Stops the worker for good: every call waiting on it is rejected (and encoded on this thread by its caller). */
  stop(): void;
}

/**
 * The one owner of the thumbnail worker: made on first use and kept; 'failed' once it has failed (thumbnails are then
 * encoded on the calling thread). Chromium's convertToBlob encodes a 224×224 JPEG synchronously, about 5 ms on the
 * calling thread: with the bases in the engine worker that was the page's largest piece of work per example.
 */
const thumbnails: { worker: ThumbnailWorker | null | 'failed' } = { worker: null };

function thumbnailWorker(): ThumbnailWorker | null {
  if (thumbnails.worker === 'failed') return null;
  if (thumbnails.worker) return thumbnails.worker;
  if (typeof Worker === 'undefined') {
    thumbnails.worker = 'failed';
    return null;
  }
  try {
    const worker = new Worker(new URL('./jpegWorker.ts', import.meta.url), { type: 'module', name: 'glance-thumbnails' });
    const made: ThumbnailWorker = {
      remote: wrap<JpegService>(worker),
      pending: new Set(),
      stop() {
        if (thumbnails.worker === made) thumbnails.worker = 'failed';
        worker.terminate();
        // Comlink never settles a call whose worker died: reject them. Never shown: encodeJpeg encodes them here.
        made.pending.forEach((reject) => reject(new DOMException('the thumbnail worker stopped', 'AbortError')));
        made.pending.clear();
      },
    };
    worker.addEventListener('error', () => made.stop());
    thumbnails.worker = made;
    return made;
  } catch {
    thumbnails.worker = 'failed';
    return null;
  }
}

/** A thumbnail takes milliseconds; a worker silent for this long is taken as gone. */
const WORKER_ANSWER_MS = 15_000;

/**
 * RGBA pixels → JPEG blob, in the thumbnail worker when it runs, else on this thread. `pixels` makes them: they are
 * transferred to the worker, not copied (a structured clone of 0.2 MB cost the page about 0.8 ms per thumbnail), and
 * made again here if the worker fails.
 */
export async function encodeJpeg(pixels: () => Uint8ClampedArray<ArrayBuffer>, width: number, height: number, quality: number): Promise<Blob> {
  const w = thumbnailWorker();
  if (w) {
    try {
      const rgba = pixels();
      return await new Promise<Blob>((resolve, reject) => {
        w.pending.add(reject);
        // A worker that stops without an error event never answers: after this long it is stopped, and every
        // thumbnail is encoded here from now on.
        const timer = setTimeout(() => w.stop(), WORKER_ANSWER_MS);
        w.remote.encode(transfer(rgba, [rgba.buffer]), width, height, quality).then(resolve, reject).finally(() => {
          clearTimeout(timer);
          w.pending.delete(reject);
        });
      });
    } catch {
      w.stop();
    }
  }
  return encodeRgbaJpeg(pixels(), width, height, quality);
}
