import { chanceCheck, countChecks, runDataChecks, type CheckClass } from '../../ml/dataChecks';
import { getState, setState, useAppStore } from '../appStore';
import { runtime } from '../runtime';
import { samples } from '../samples';
import type { ClassId, SampleId } from '../types';

/** Waits this long after the last change before checking again (a recording adds many examples a second). */
const SETTLE_MS = 300;

/** The classes with each example's embedding, as the checks read them. */
function checkInput(): CheckClass[] {
  return getState().classes.map((c) => {
    const embeddings = new Map<string, Float32Array>();
    for (const id of c.sampleIds) {
      const s = samples.get(id);
      if (s?.embedding && !s.setAside) embeddings.set(id, s.embedding);
    }
    return { id: c.id, name: c.name, sampleIds: c.sampleIds, embeddings };
  });
}

/** Runs the checks for the data as it is now; a change while they run starts them again once they finish. */
async function refresh(): Promise<void> {
  const job = runtime.dataChecks;
  if (job.running) {
    job.again = true;
    return;
  }
  job.running = true;
  try {
    do {
      job.again = false;
      const { dataVersion, training } = getState();
      const pause = () => new Promise<void>((r) => setTimeout(r, 0));
      const input = checkInput();
      const model = training.model;
      const chance = model && model.dataVersion === dataVersion ? chanceCheck(model.summary.valAccuracy, model.classIds.length) : [];
      // While examples are still being embedded the data is still changing: the count checks run now, the neighbour
      // checks (O(n²)) once every example is in (the pending count reaching 0 schedules a run), not over and over while
      // a big upload goes in.
      const waiting = getState().ui.pendingEmbeddings;
      const embedded = input.reduce((n, c) => n + c.embeddings.size, 0);
      let compared = 0;
      const stale = () => getState().dataVersion !== dataVersion;
      const items = waiting > 0 ? countChecks(input) : await runDataChecks(input, { pause, stale }, (n) => void (compared = n));
      if (!items || stale()) continue; // overtaken: the next round checks the new data
      setState((s) => ({ ui: { ...s.ui, dataChecks: { dataVersion, items: [...items, ...chance], waiting, compared, embedded } } }));
    } while (job.again);
  } finally {
    job.running = false;
  }
}

function schedule(): void {
  const job = runtime.dataChecks;
  if (job.timer) clearTimeout(job.timer);
  job.timer = setTimeout(() => {
    job.timer = null;
    void refresh();
  }, SETTLE_MS);
}

/**
 * Keeps "Data checks" up to date: after examples or classes change (dataVersion), once embeddings have been
 * computed, after training and on renames. Memoised per dataVersion; never on the render path. Returns a stop function.
 */
export function startDataChecks(): () => void {
  schedule();
  return useAppStore.subscribe((s, prev) => {
    if (
      s.dataVersion !== prev.dataVersion ||
      (s.ui.pendingEmbeddings === 0 && prev.ui.pendingEmbeddings !== 0) ||
      s.training.model !== prev.training.model ||
      s.classes !== prev.classes
    ) schedule();
  });
}

/** Deletes examples from whichever classes hold them. */
export function deleteSamples(ids: readonly SampleId[]): void {
  const gone = new Set(ids);
  if (gone.size === 0) return;
  samples.remove(gone);
  setState((s) => ({
    classes: s.classes.map((c) => (c.sampleIds.some((id) => gone.has(id)) ? { ...c, sampleIds: c.sampleIds.filter((id) => !gone.has(id)) } : c)),
    dataVersion: s.dataVersion + 1,
    ui: s.ui.setAside.some((e) => gone.has(e.id)) ? { ...s.ui, setAside: s.ui.setAside.filter((e) => !gone.has(e.id)) } : s.ui,
  }));
}

/** Moves examples to another class (appended at its end); autosave hears of each moved example. */
export function moveSamples(ids: readonly SampleId[], to: ClassId): void {
  const target = getState().classes.find((c) => c.id === to);
  if (!target) return;
  const moving = new Set(ids.filter((id) => samples.get(id) && !target.sampleIds.includes(id)));
  if (moving.size === 0) return;
  setState((s) => ({
    classes: s.classes.map((c) =>
      c.id === to ? { ...c, sampleIds: [...c.sampleIds, ...moving] } : c.sampleIds.some((id) => moving.has(id)) ? { ...c, sampleIds: c.sampleIds.filter((id) => !moving.has(id)) } : c,
    ),
    dataVersion: s.dataVersion + 1,
  }));
  for (const id of moving) {
    const sample = samples.get(id);
    if (sample) samples.set({ ...sample, classId: to });
  }
}
