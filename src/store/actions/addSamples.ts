import type * as tf from '@tensorflow/tfjs';
import { cropToJpeg, grabCrop } from '../../capture/frames';
import { decodeImageFile } from '../../capture/imageFile';
import { prepareFileOffThread } from '../../capture/imageWorker';
import { THUMBNAIL_QUALITY } from '../../capture/jpeg';
import { disposeCrop, type Crop } from '../../ml/preprocess';
import { getState, newId, setState } from '../appStore';
import { whenEngineReady } from '../persistence/restore';
import { runtime } from '../runtime';
import { session, type RunToken } from '../session';
import { samples } from '../samples';
import type { ClassId, SampleId } from '../types';
import { appendSamples, findClass } from './classList';
import { pushError } from './errors';

/** How far decoding may run ahead of the embedding queue during a big upload. */
const MAX_QUEUED = 32;
/**
 * Files being decoded, cropped and made into thumbnails at once during an upload. One at a time, the image worker
 * waited idle while the browser decoded a file, and the page while the worker worked; three keep both busy.
 */
const UPLOAD_PIPELINE = 3;
/**
 * Past this many bytes of files in flight no further file is started (one always is): a phone photo is decoded at its
 * full size before it is scaled down, so three 48-megapixel photos at once would hold ~600 MB of pixels.
 */
const PIPELINE_BYTES = 6 * 1024 * 1024;
/**
 * An upload's examples reach their class (count, grid, autosave, data checks) at most this often, together: one
 * state change and one render per file cost the page more than the file itself once the page grew.
 */
const COMMIT_EVERY_MS = 250;

/** A crop (a tensor made here, or pixels made in the image worker) with its thumbnail, ready to become a sample. */
interface Prepared {
  jpeg: Blob;
  crop: Crop;
}

/**
 * Makes prepared crops samples of the class, in order: registered, queued for embedding and appended to the class in
 * one state change. Takes ownership of the crops. Adds nothing (and disposes them) when the project was replaced or
 * the class deleted meanwhile: these frames belong to neither.
 */
function addPrepared(classId: ClassId, prepared: readonly Prepared[], run: RunToken): SampleId[] {
  if (prepared.length === 0) return [];
  if (!run.current || !findClass(classId)) {
    prepared.forEach((p) => disposeCrop(p.crop));
    return [];
  }
  const jobs = prepared.map(({ jpeg, crop }) => {
    const sampleId = newId('sample');
    samples.set({ id: sampleId, classId, jpeg, embedding: null, baseId: null });
    return { sampleId, crop };
  });
  // One change of the pending count for the batch, not one per example.
  runtime.queue.enqueueAll(jobs);
  const ids = jobs.map((j) => j.sampleId);
  appendSamples(classId, ids);
  return ids;
}

/** Crop → thumbnail. Takes ownership of `crop` (disposed if the thumbnail cannot be made). */
async function withThumbnail(crop: tf.Tensor3D): Promise<Prepared> {
  try {
    return { jpeg: await cropToJpeg(crop), crop };
  } catch (err) {
    crop.dispose();
    throw err;
  }
}

/**
 * Turns a 224×224 crop into a sample of the class (a recorded frame): thumbnail now, embedding queued, appended to the
 * class. Takes ownership of `crop`. Returns null when the class was deleted (or the project replaced) meanwhile.
 */
export async function createSample(classId: ClassId, crop: tf.Tensor3D, run: RunToken = session.forProject()): Promise<SampleId | null> {
  const prepared = await withThumbnail(crop);
  return addPrepared(classId, [prepared], run)[0] ?? null;
}

/**
 * Adds image files to a class, in order, with progress and cancel. A file that cannot be used gets its own alert
 * naming it; the others are still added and counts never include a refused file.
 */
export async function addFiles(classId: ClassId, files: File[]): Promise<void> {
  if (files.length === 0) return;
  runtime.uploads.get(classId)?.abort();
  const abort = new AbortController();
  runtime.uploads.set(classId, abort);
  const run = session.forProject();
  const total = files.length;
  setProgress(classId, { done: 0, total });
  const inFlight: { size: number; prepared: Promise<Prepared | null> }[] = [];
  let started = 0;
  let done = 0;
  let ready: Prepared[] = [];
  let committedAt = performance.now();
  // A newer upload into this class took over (it shows its own progress), or the project was replaced.
  const ours = () => run.current && runtime.uploads.get(classId) === abort;
  // Each file's size is read once: `File.size` of a picked file can be a synchronous call into the browser (about
  // 0.15 ms each here), and reading it on every step was a third of the page's own time per upload.
  const sizes: number[] = [];
  const sizeOf = (i: number) => (sizes[i] ??= files[i].size);
  const bytesInFlight = () => inFlight.reduce((n, f) => n + f.size, 0);
  try {
    while (done < total && !abort.signal.aborted && run.current) {
      while (started < total && inFlight.length < UPLOAD_PIPELINE && (inFlight.length === 0 || bytesInFlight() + sizeOf(started) <= PIPELINE_BYTES)) {
        const size = sizeOf(started);
        const file = files[started++];
        inFlight.push({ size, prepared: prepareFile(file, run, abort.signal) });
      }
      const prepared = await inFlight.shift()!.prepared;
      done++;
      if (prepared) ready.push(prepared);
      if (abort.signal.aborted) break;
      if (performance.now() - committedAt >= COMMIT_EVERY_MS || done === total) {
        const batch = ready;
        ready = [];
        addPrepared(classId, batch, run);
        if (ours()) setProgress(classId, { done, total });
        // Back-pressure for the files still to read; after the last one there are none, and the bar goes at once.
        if (done < total) await runtime.queue.waitBelow(MAX_QUEUED);
        committedAt = performance.now();
      }
    }
  } finally {
    // Cancelled (or the project replaced): what the count does not show yet is let go with the files still being read,
    // so the class ends with what the person saw when they cancelled.
    ready.forEach((p) => disposeCrop(p.crop));
    for (const f of inFlight) void f.prepared.then((late) => late && disposeCrop(late.crop));
    if (ours()) setProgress(classId, null);
    if (runtime.uploads.get(classId) === abort) runtime.uploads.delete(classId);
  }
}

/**
 * One file → its crop and thumbnail, or null when it cannot be used (its alert shown, unless the upload was cancelled
 * meanwhile) or the project was replaced. Made in the image worker, so the page neither decodes the file nor holds its
 * pixels; on this thread when that worker cannot run.
 */
async function prepareFile(file: File, run: RunToken, cancelled: AbortSignal): Promise<Prepared | null> {
  try {
    const off = await prepareFileOffThread(file, THUMBNAIL_QUALITY);
    if (off) return run.current ? { jpeg: off.jpeg, crop: off.pixels } : null;
    // Until the engine has picked its backend, TF.js may be mid-way through starting one and refuses every op: files
    // dropped on a page that is still loading wait here (their progress bar shows) instead of failing.
    if (getState().ui.engine.backend === null) await whenEngineReady();
    if (!run.current) return null;
    const bitmap = await decodeImageFile(file);
    let crop: tf.Tensor3D;
    try {
      crop = grabCrop(bitmap, false);
    } finally {
      bitmap.close();
    }
    return await withThumbnail(crop);
  } catch (err) {
    if (!cancelled.aborted) pushError(err);
    return null;
  }
}

/** Stops an upload in progress; files already added stay. */
export function cancelUpload(classId: ClassId): void {
  runtime.uploads.get(classId)?.abort();
}

function setProgress(classId: ClassId, progress: { done: number; total: number } | null): void {
  setState((s) => {
    const uploads = { ...s.ui.uploads };
    if (progress) uploads[classId] = progress;
    else delete uploads[classId];
    return { ui: { ...s.ui, uploads } };
  });
}
