import type * as tf from '@tensorflow/tfjs';
import { cropToJpeg, grabCrop } from '../../capture/frames';
import { decodeImageFile } from '../../capture/imageFile';
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
 * Turns a 224×224 crop into a sample of the class: thumbnail now, embedding queued. Takes ownership of
 * `crop`. Returns null when the class was deleted meanwhile.
 */
export async function createSample(classId: ClassId, crop: tf.Tensor3D, run: RunToken = session.forProject()): Promise<SampleId | null> {
  let jpeg: Blob;
  try {
    jpeg = await cropToJpeg(crop);
  } catch (err) {
    crop.dispose();
    throw err;
  }
  // The project was replaced, or the class deleted, while the JPEG was made: this frame belongs to neither.
  if (!run.current || !findClass(classId)) {
    crop.dispose();
    return null;
  }
  const id = newId('sample');
  samples.set({ id, classId, jpeg, url: URL.createObjectURL(jpeg), embedding: null, baseId: null });
  runtime.queue.enqueue(id, crop);
  return id;
}

/**
 * Adds image files to a class one by one, with progress and cancel. A file that cannot be used gets its
 * own alert naming it; the others are still added and counts never include a refused file.
 */
export async function addFiles(classId: ClassId, files: File[]): Promise<void> {
  if (files.length === 0) return;
  runtime.uploads.get(classId)?.abort();
  const abort = new AbortController();
  runtime.uploads.set(classId, abort);
  const run = session.forProject();
  setProgress(classId, { done: 0, total: files.length });
  try {
    for (let i = 0; i < files.length && !abort.signal.aborted && run.current; i++) {
      await addOneFile(classId, files[i], run);
      if (!run.current) break;
      setProgress(classId, { done: i + 1, total: files.length });
      await runtime.queue.waitBelow(MAX_QUEUED);
    }
  } finally {
    if (runtime.uploads.get(classId) === abort) runtime.uploads.delete(classId);
    if (run.current) setProgress(classId, null);
  }
}

async function addOneFile(classId: ClassId, file: File, run: RunToken): Promise<void> {
  try {
    // Until the engine has picked its backend, TF.js may be mid-way through starting one and refuses every op: files
    // dropped on a page that is still loading wait here (their progress bar shows) instead of failing.
    if (getState().ui.engine.backend === null) await whenEngineReady();
    if (!run.current) return;
    const bitmap = await decodeImageFile(file);
    let crop: tf.Tensor3D;
    try {
      crop = grabCrop(bitmap, false);
    } finally {
      bitmap.close();
    }
    const id = await createSample(classId, crop, run);
    if (id) appendSamples(classId, [id]);
  } catch (err) {
    pushError(err);
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
