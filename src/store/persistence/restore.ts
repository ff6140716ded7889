import { Classifier } from '../../ml/classifier';
import { loadHead } from '../../ml/headIO';
import { jpegToCrop } from '../../capture/frames';
import { getState, setState, toTrainingSettings, useAppStore } from '../appStore';
import { installClassifier, runtime } from '../runtime';
import { samples, type Sample } from '../samples';
import type { ClassInfo, SampleId } from '../types';
import { pushError } from '../actions/errors';
import { GlanceError } from '../../ml/errors';
import { session, type RunToken } from '../session';
import { setAside } from '../setAside';
import { readAll, type StoredHead, type StoredProject, type StoredSample } from './db';
import { formatNumber, t } from '../../i18n';

/** Resolves once the feature extractor is ready (true) or failed to load (false). */
export function whenEngineReady(): Promise<boolean> {
  return new Promise((resolve) => {
    const settled = (status: string) => {
      if (status === 'loading') return false;
      resolve(status === 'ready');
      return true;
    };
    if (settled(getState().ui.engine.status)) return;
    const unsubscribe = useAppStore.subscribe((s) => {
      if (settled(s.ui.engine.status)) unsubscribe();
    });
  });
}

/**
 * Puts a sample back into the registry. Its embedding is used when it was made by the bases in use and has their
 * width; otherwise it is queued, and its crop is decoded only when its turn comes (restoring 1,000 samples after a
 * change of bases holds a few crops at a time, not 600 MB of them). An image that cannot be decoded then is set aside.
 */
export function reviveSample(stored: { id: SampleId; classId: string; jpeg: Blob; embedding: Float32Array | null; baseId: string | null }): void {
  const width = runtime.extractor?.base.embeddingSize;
  const fits = stored.embedding !== null && (width === undefined || stored.embedding.length === width);
  const embedding = fits ? stored.embedding : null;
  samples.set({ ...stored, embedding, baseId: embedding ? stored.baseId : null });
  if (!embedding) runtime.queue.enqueue(stored.id, () => jpegToCrop(stored.jpeg));
}

/**
 * Computes again, from their stored images, the embeddings of the samples `needs` picks, with the extractor now in
 * use (after the bases were switched, or after the backend holding an in-flight embedding was lost).
 */
export function reembedSamples(needs: (sample: Sample) => boolean): void {
  // Queued all at once (each crop is decoded when its turn comes), so training waits for every one of them.
  for (const c of getState().classes) {
    for (const id of c.sampleIds) {
      const s = samples.get(id);
      if (!s || !needs(s)) continue;
      samples.clearEmbedding(id);
      runtime.queue.enqueue(id, () => jpegToCrop(s.jpeg));
    }
  }
}

function setRestore(progress: { done: number; total: number } | null): void {
  setState((s) => ({ ui: { ...s.ui, restore: progress } }));
}

/**
 * Brings back the project saved in this browser exactly as it was: classes in order, samples, thumbnails, settings,
 * and the trained model predicting again without retraining. Tolerant: an example whose record is damaged or whose
 * image cannot be decoded is set aside (kept in storage, listed for the person) and everything else comes back.
 * Returns false when there was nothing to restore; throws only when the project's description itself is unreadable
 * (the caller then keeps autosave off, so nothing is written over it).
 */
export async function restoreSavedProject(baseId: string): Promise<boolean> {
  const run = session.forProject();
  const saved = await readAll((done, total) => setRestore({ done, total }));
  if (!saved || !run.current) return false;
  const { project } = saved;
  const total = project.classes.reduce((n, c) => n + c.sampleIds.length, 0);
  setRestore({ done: 0, total });
  const classes: ClassInfo[] = [];
  const damaged: SampleId[] = [];
  let missing = 0;
  let done = 0;
  for (const c of project.classes) {
    const ids: SampleId[] = [];
    for (const id of c.sampleIds) {
      const s = saved.samples.get(id);
      if (s) {
        // The bases in use once they are loaded (they may differ from the remembered choice: actions/engine.ts).
        reviveSample(toLive(s, runtime.extractor?.base.id ?? baseId));
        ids.push(id);
      } else if (saved.damaged.has(id)) {
        // Its record is there but unreadable: keep it listed (and stored) rather than drop it.
        samples.set({ id, classId: c.id, jpeg: new Blob([], { type: 'image/jpeg' }), embedding: null, baseId: null });
        ids.push(id);
        damaged.push(id);
      } else {
        missing++; // named by the description but never written (a write that did not land): nothing to keep
      }
      if (++done % 50 === 0) setRestore({ done, total });
    }
    classes.push({ ...c, sampleIds: ids });
  }
  setState((s) => ({
    classes,
    nextClassNumber: project.nextClassNumber,
    dataVersion: s.dataVersion + 1,
    camera: { ...s.camera, settings: project.settings.recording, mirror: project.settings.mirror },
    training: { ...s.training, history: project.model?.history ?? [], settings: toTrainingSettings(project.settings.training) },
  }));
  damaged.forEach((id) => setAside(id, new Error(t('storage.recordDamaged'))));
  setRestore(null);
  if (missing > 0) pushError(new GlanceError('storage-failed', t('storage.missing', { count: missing, n: formatNumber(missing) })));
  if (saved.headProblem) pushError(new GlanceError('storage-failed', t('storage.headFailed', { detail: saved.headProblem })));
  if (project.model && saved.head) await reviveModel(saved.head, project.model, run);
  return true;
}

function toLive(s: StoredSample, baseId: string) {
  const embedding = s.embeddings[baseId] ?? null;
  return { id: s.id, classId: s.classId, jpeg: s.jpeg, embedding, baseId: embedding ? baseId : null };
}

async function reviveModel(head: StoredHead, model: NonNullable<StoredProject['model']>, run: RunToken): Promise<void> {
  if (!(await whenEngineReady()) || !runtime.extractor || !run.current) return;
  if (head.baseId !== runtime.extractor.base.id) return; // trained on another base: the person retrains
  const modelRun = session.forModel();
  try {
    const layers = await loadHead(head);
    if (!modelRun.current || !runtime.extractor) {
      layers.dispose();
      return;
    }
    installClassifier(new Classifier(runtime.extractor, layers, head.transform, head.labels), head);
    const { dataVersion } = getState();
    setState((s) => ({
      training: {
        ...s.training,
        model: { classIds: model.classIds, summary: model.summary, dataVersion: model.stale ? dataVersion - 1 : dataVersion },
      },
    }));
  } catch (err) {
    pushError(err);
  }
}
