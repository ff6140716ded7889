import { Classifier } from '../../ml/classifier';
import { loadHead } from '../../ml/headIO';
import { jpegToCrop } from '../../capture/frames';
import { getState, setState, toTrainingSettings, useAppStore } from '../appStore';
import { installClassifier, runtime } from '../runtime';
import { samples, type Sample } from '../samples';
import type { ClassInfo, SampleId } from '../types';
import { pushError } from '../actions/errors';
import { readAll, type StoredHead, type StoredProject, type StoredSample } from './db';

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

/** Puts a stored sample back into the registry; queues its embedding when none is stored for this base. */
export async function reviveSample(stored: { id: SampleId; classId: string; jpeg: Blob; embedding: Float32Array | null; baseId: string | null }): Promise<void> {
  samples.set({ ...stored, url: URL.createObjectURL(stored.jpeg) });
  if (stored.embedding) return;
  runtime.queue.enqueue(stored.id, await jpegToCrop(stored.jpeg));
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
 * Brings back the project saved in this browser exactly as it was: classes in order, samples,
 * thumbnails, settings, and the trained model predicting again without retraining.
 * Returns false when there was nothing to restore.
 */
export async function restoreSavedProject(baseId: string): Promise<boolean> {
  const saved = await readAll((done, total) => setRestore({ done, total }));
  if (!saved) return false;
  const { project } = saved;
  const total = project.classes.reduce((n, c) => n + c.sampleIds.length, 0);
  setRestore({ done: 0, total });
  const classes: ClassInfo[] = [];
  let done = 0;
  for (const c of project.classes) {
    const ids: SampleId[] = [];
    for (const id of c.sampleIds) {
      const s = saved.samples.get(id);
      if (!s) continue; // written after the meta record that names it never landed: skip, lose nothing else
      await reviveSample(toLive(s, baseId));
      ids.push(id);
      if (++done % 50 === 0) setRestore({ done, total });
    }
    classes.push({ ...c, sampleIds: ids });
  }
  setState((s) => ({
    classes,
    nextClassNumber: project.nextClassNumber,
    dataVersion: s.dataVersion + 1,
    camera: { ...s.camera, settings: project.settings.recording, mirror: project.settings.mirror },
    training: { ...s.training, history: project.model?.history ?? [], settings: project.settings.training ? toTrainingSettings(project.settings.training) : s.training.settings },
  }));
  setRestore(null);
  if (project.model && saved.head) await reviveModel(saved.head, project.model);
  return true;
}

function toLive(s: StoredSample, baseId: string) {
  const embedding = s.embeddings[baseId] ?? null;
  return { id: s.id, classId: s.classId, jpeg: s.jpeg, embedding, baseId: embedding ? baseId : null };
}

async function reviveModel(head: StoredHead, model: NonNullable<StoredProject['model']>): Promise<void> {
  if (!(await whenEngineReady()) || !runtime.extractor) return;
  if (head.baseId !== runtime.extractor.base.id) return; // trained on another base: the person retrains
  try {
    const layers = await loadHead(head);
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
