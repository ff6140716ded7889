import { saveHead } from '../../ml/headIO';
import { GlanceError } from '../../ml/errors';
import { getState, isModelStale, setState, useAppStore } from '../appStore';
import { runtime } from '../runtime';
import { samples } from '../samples';
import type { AppState, SampleId } from '../types';
import { pushError } from '../actions/errors';
import { writeBatch, type StoredHead, type StoredProject, type StoredSample } from './db';

/** Changes land in IndexedDB within about this long, batched, off the recording hot path. */
const FLUSH_DELAY_MS = 250;

const dirty = { samples: new Set<SampleId>(), removed: new Set<SampleId>(), project: false, head: false, clear: false };
let timer: ReturnType<typeof setTimeout> | null = null;
let flushing: Promise<void> | null = null;
let enabled = false;
let storageFull = false;

/** The project's meta record from the current state. */
export function projectRecord(s: AppState): StoredProject {
  return {
    classes: s.classes,
    nextClassNumber: s.nextClassNumber,
    settings: { recording: s.camera.settings, mirror: s.camera.mirror, training: s.training.settings },
    model: s.training.model
      ? { classIds: s.training.model.classIds, summary: s.training.model.summary, history: s.training.history, stale: isModelStale(s) }
      : null,
    savedAt: Date.now(),
  };
}

/** A sample as stored (JPEG + embeddings by base). */
export function sampleRecord(id: SampleId): StoredSample | null {
  const s = samples.get(id);
  if (!s) return null;
  return { id, classId: s.classId, jpeg: s.jpeg, embeddings: s.embedding && s.baseId ? { [s.baseId]: s.embedding } : {} };
}

/** The model in use, as stored. */
export async function headRecord(): Promise<StoredHead | null> {
  const c = runtime.classifier;
  if (!c || !runtime.extractor) return null;
  return { ...(runtime.headArtifacts ?? (await saveHead(c.head))), transform: c.transform, labels: [...c.labels], baseId: runtime.extractor.base.id };
}

function schedule(): void {
  if (!enabled || timer) return;
  timer = setTimeout(() => {
    timer = null;
    void flush();
  }, FLUSH_DELAY_MS);
}

/** Writes everything pending now. Resolves when it has landed (or failed and been reported). */
export async function flush(): Promise<void> {
  while (flushing) await flushing;
  if (!dirty.project && !dirty.head && !dirty.clear && dirty.samples.size === 0 && dirty.removed.size === 0) return;
  const taken = { samples: [...dirty.samples], removed: [...dirty.removed], project: dirty.project, head: dirty.head, clear: dirty.clear };
  dirty.samples.clear();
  dirty.removed.clear();
  dirty.project = dirty.head = dirty.clear = false;
  flushing = (async () => {
    try {
      await writeBatch({
        project: taken.project ? projectRecord(getState()) : null,
        putSamples: taken.samples.map(sampleRecord).filter((s): s is StoredSample => s !== null),
        removeSamples: taken.removed,
        head: taken.head ? await headRecord() : undefined,
        clear: taken.clear,
      });
      if (storageFull) setStorage({ full: false });
      storageFull = false;
      void refreshUsage();
    } catch (err) {
      // Keep what failed so the next change (or Save project) tries again: nothing in memory is lost.
      taken.samples.forEach((id) => dirty.samples.add(id));
      taken.removed.forEach((id) => dirty.removed.add(id));
      dirty.project ||= taken.project;
      dirty.head ||= taken.head;
      dirty.clear ||= taken.clear;
      reportWriteError(err);
    } finally {
      flushing = null;
    }
  })();
  await flushing;
}

function isQuotaError(err: unknown): boolean {
  const e = err as { name?: string; inner?: { name?: string } } | null;
  return e?.name === 'QuotaExceededError' || e?.inner?.name === 'QuotaExceededError' || /quota/i.test(String((err as Error)?.message));
}

function reportWriteError(err: unknown): void {
  if (storageFull) return; // said once; the banner stays until a write succeeds
  storageFull = true;
  setStorage({ full: true });
  const message = isQuotaError(err)
    ? 'Browser storage is full, so recent changes are not saved in this browser. Everything is still here in the page: click "Save project" to keep a copy as a file, or free up space.'
    : 'Your work could not be saved in browser storage. Everything is still here in the page: click "Save project" to keep a copy as a file.';
  pushError(new GlanceError(isQuotaError(err) ? 'storage-full' : 'storage-failed', message));
}

function setStorage(patch: Partial<AppState['ui']['storage']>): void {
  setState((s) => ({ ui: { ...s.ui, storage: { ...s.ui.storage, ...patch } } }));
}

/** Shows how much this origin stores (throttled: estimate() is not free). */
let lastUsage = 0;
export async function refreshUsage(force = false): Promise<void> {
  if (!navigator.storage?.estimate || (!force && Date.now() - lastUsage < 2000)) return;
  lastUsage = Date.now();
  const { usage } = await navigator.storage.estimate();
  setStorage({ usageBytes: usage ?? null });
}

/** Marks everything for writing; `clearFirst` drops what was stored before (opened or new project). */
export function markAllDirty(opts: { clearFirst?: boolean } = {}): void {
  if (opts.clearFirst) {
    dirty.clear = true;
    dirty.removed.clear();
  }
  getState().classes.forEach((c) => c.sampleIds.forEach((id) => dirty.samples.add(id)));
  dirty.project = true;
  dirty.head = true;
  schedule();
}

/** Starts writing changes as they happen. Call once, after the saved project was restored. */
export function startAutosave(): void {
  if (enabled) return;
  enabled = true;
  samples.subscribe((e) => {
    if (e.type === 'put') {
      dirty.samples.add(e.id);
      dirty.removed.delete(e.id);
    } else {
      e.ids.forEach((id) => {
        dirty.samples.delete(id);
        dirty.removed.add(id);
      });
    }
    schedule();
  });
  useAppStore.subscribe((s, prev) => {
    const projectChanged =
      s.classes !== prev.classes || s.camera.settings !== prev.camera.settings || s.camera.mirror !== prev.camera.mirror || s.dataVersion !== prev.dataVersion ||
      s.training.settings !== prev.training.settings;
    const modelChanged = s.training.model !== prev.training.model;
    if (modelChanged) dirty.head = true;
    if (projectChanged || modelChanged) {
      dirty.project = true;
      schedule();
    }
  });
  // Last chance when the tab goes away (best effort; batched writes already landed within ~250 ms).
  addEventListener('pagehide', () => void flush());
  void navigator.storage?.persist?.().catch(() => false);
  void refreshUsage(true);
}
