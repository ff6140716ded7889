import { saveHead } from '../../ml/headIO';
import { GlanceError } from '../../ml/errors';
import { getState, isModelStale, setState, useAppStore } from '../appStore';
import { runtime } from '../runtime';
import { samples } from '../samples';
import type { AppState, SampleId } from '../types';
import { pushError } from '../actions/errors';
import { ensureCurrent, type RunToken } from '../session';
import { writeBatch, type StoredHead, type StoredProject, type StoredSample, type WriteBatch } from './db';
import { t } from '../../i18n';

/** Changes land in IndexedDB within about this long, batched, off the recording hot path. */
const FLUSH_DELAY_MS = 250;

/**
 * The one owner of what is waiting to be written. `enabled` stays false until the saved project was restored (or
 * the person chose to replace it): autosave never writes over a saved project that did not come back.
 */
const state = {
  dirty: { samples: new Set<SampleId>(), removed: new Set<SampleId>(), project: false, head: false, clear: false },
  timer: null as ReturnType<typeof setTimeout> | null,
  flushing: null as Promise<void> | null,
  enabled: false,
  listening: false,
  storageFull: false,
  lastUsage: 0,
};
const dirty = state.dirty;

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
  // A placeholder for an unreadable stored record (no bytes) must never replace that record; a set-aside example that
  // has its image (undecodable, or an embedding that failed) is written like any other, so it is never lost.
  if (!s || (s.setAside && s.jpeg.size === 0)) return null;
  return { id, classId: s.classId, jpeg: s.jpeg, embeddings: s.embedding && s.baseId ? { [s.baseId]: s.embedding } : {} };
}

/** The model in use, as stored. */
export async function headRecord(): Promise<StoredHead | null> {
  const c = runtime.classifier;
  if (!c || !runtime.extractor) return null;
  return { ...(runtime.headArtifacts ?? (await saveHead(c.head))), transform: c.transform, labels: [...c.labels], baseId: runtime.extractor.base.id };
}

function schedule(): void {
  if (!state.enabled || state.timer) return;
  state.timer = setTimeout(() => {
    state.timer = null;
    void flush();
  }, FLUSH_DELAY_MS);
}

function forgetPending(): void {
  dirty.samples.clear();
  dirty.removed.clear();
  dirty.project = dirty.head = dirty.clear = false;
}

/** Writes everything pending now. Resolves when it has landed (or failed and been reported). */
export async function flush(): Promise<void> {
  if (!state.enabled) return;
  while (state.flushing) await state.flushing;
  if (!dirty.project && !dirty.head && !dirty.clear && dirty.samples.size === 0 && dirty.removed.size === 0) return;
  const taken = { samples: [...dirty.samples], removed: [...dirty.removed], project: dirty.project, head: dirty.head, clear: dirty.clear };
  forgetPending();
  state.flushing = (async () => {
    try {
      await writeBatch({
        project: taken.project ? projectRecord(getState()) : null,
        putSamples: taken.samples.map(sampleRecord).filter((s): s is StoredSample => s !== null),
        removeSamples: taken.removed,
        head: taken.head ? await headRecord() : undefined,
        clear: taken.clear,
      });
      if (state.storageFull) setStorage({ full: false });
      state.storageFull = false;
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
      state.flushing = null;
    }
  })();
  await state.flushing;
}

/**
 * Replaces the whole saved project in one IndexedDB transaction (open a file, start a new project): the old one is
 * cleared and the new one written together, so a reload at any moment finds one of them, whole. Waits for any write
 * in flight first; changes of the old project still waiting are dropped (the old project is being replaced). Throws
 * when the write fails: the caller then keeps the old project, in the page and in storage.
 */
export async function replaceStored(batch: Omit<WriteBatch, 'clear' | 'removeSamples'>, run?: RunToken): Promise<void> {
  if (state.timer) clearTimeout(state.timer);
  state.timer = null;
  while (state.flushing) await state.flushing;
  // Another replace landed while this one waited: writing now would leave storage holding a project the page is not.
  if (run) ensureCurrent(run, 'Replacing the saved project');
  const write = writeBatch({ ...batch, removeSamples: [], clear: true });
  state.flushing = write.catch(() => undefined).then(() => {
    state.flushing = null;
  });
  await write;
  forgetPending();
}

function isQuotaError(err: unknown): boolean {
  const e = err as { name?: string; inner?: { name?: string } } | null;
  return e?.name === 'QuotaExceededError' || e?.inner?.name === 'QuotaExceededError' || /quota/i.test(String((err as Error)?.message));
}

function reportWriteError(err: unknown): void {
  if (state.storageFull) return; // said once; the banner stays until a write succeeds
  state.storageFull = true;
  setStorage({ full: true });
  const message = isQuotaError(err)
    ? t('storage.full')
    : t('storage.writeFailed');
  pushError(new GlanceError(isQuotaError(err) ? 'storage-full' : 'storage-failed', message));
}

function setStorage(patch: Partial<AppState['ui']['storage']>): void {
  setState((s) => ({ ui: { ...s.ui, storage: { ...s.ui.storage, ...patch } } }));
}

/** Shows how much this origin stores (throttled: estimate() is not free). */
export async function refreshUsage(force = false): Promise<void> {
  if (!globalThis.navigator?.storage?.estimate || (!force && Date.now() - state.lastUsage < 2000)) return;
  state.lastUsage = Date.now();
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

/** True while changes are being saved as they happen. */
export function autosaveEnabled(): boolean {
  return state.enabled;
}

/**
 * Starts writing changes as they happen. Call after the saved project was restored, or once the person chose to
 * replace a saved project that could not be restored. Listens from the first call on.
 */
export function startAutosave(): void {
  if (state.enabled) return;
  state.enabled = true;
  schedule();
  if (state.listening) return;
  state.listening = true;
  samples.subscribe((e) => {
    if (e.type === 'reset') {
      // The new project's records were written whole by replaceStored(); nothing of either project is pending.
      forgetPending();
    } else if (e.type === 'put') {
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
  void globalThis.navigator?.storage?.persist?.().catch(() => false);
  void refreshUsage(true);
}
