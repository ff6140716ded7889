import { strToU8, zipSync } from 'fflate';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BROKEN_JPEG, fakeExtractor, flatJpeg, freshPage, settle, useExtractor } from '../test/storeHarness';
import { useTestBackend } from '../test/backend';
import { getState, setState, useAppStore } from './appStore';
import { addClass } from './actions/classes';
import { appendSamples } from './actions/classList';
import { chooseProjectFile, confirmReplace, askNewProject } from './actions/project';
import { setTrainingSettings, stopTraining, train } from './actions/training';
import { flush, startAutosave } from './persistence/autosave';
import { readAll, writeBatch } from './persistence/db';
import { restoreSavedProject } from './persistence/restore';
import { runtime } from './runtime';
import { samples } from './samples';
import { session } from './session';
import { setAside } from './setAside';
import type { WorkerLike } from '../ml/trainInWorker';

/**
 * Store actions that can overlap, in Node: real training (tfjs WASM), a fake extractor, a fake IndexedDB. Each test
 * starts from a fresh page and checks what the person would see and what storage holds.
 */
beforeAll(async () => {
  await useTestBackend();
  startAutosave();
});

let extractor = fakeExtractor();
beforeEach(async () => {
  await freshPage();
  extractor = fakeExtractor();
  useExtractor(extractor);
});

/** Puts `n` embedded samples into class `index` (0-based), vectors far apart per class so training is quick. */
function fillClass(index: number, n: number): string[] {
  const cls = getState().classes[index];
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `s-${cls.id}-${i}`;
    const v = new Float32Array([index === 0 ? 1 : -1, index === 1 ? 1 : -1, i / n, 0]);
    const jpeg = new Blob([flatJpeg(40 + index * 80) as BlobPart], { type: 'image/jpeg' });
    samples.set({ id, classId: cls.id, jpeg, embedding: v, baseId: extractor.base.id });
    ids.push(id);
  }
  appendSamples(cls.id, ids);
  return ids;
}

function tmFile(name: string, entries: Record<string, Uint8Array>): File {
  const zip = zipSync({ 'manifest.json': strToU8(JSON.stringify({ type: 'image', version: '2.4.10' })), ...entries }, { level: 0 });
  return new File([zip as BlobPart], name);
}

async function openFile(file: File): Promise<void> {
  await chooseProjectFile(file);
  expect(getState().ui.confirm?.kind, getState().ui.errors.map((e) => e.message).join('; ')).toBe('open');
  await confirmReplace();
}

const errors = () => getState().ui.errors.map((e) => e.message);

async function stored() {
  const all = await readAll();
  return { names: all?.project.classes.map((c) => c.name), counts: all?.project.classes.map((c) => c.sampleIds.length), samples: all?.samples.size ?? 0, all };
}

/** What a reload does to the page: everything in memory gone, then the saved project restored. */
async function reload(): Promise<void> {
  session.endProject();
  runtime.queue.clear();
  samples.replaceAll([]);
  const engine = getState().ui.engine;
  setState((s) => ({ ...s, classes: [], training: { ...s.training, model: null }, ui: { ...s.ui, setAside: [], errors: [], engine } }));
  await restoreSavedProject(extractor.base.id);
  await runtime.queue.idle();
}

describe('open / new project is all or nothing', () => {
  it('a .tm with one undecodable image is refused naming its entry; the page and storage keep the old project', async () => {
    fillClass(0, 3);
    fillClass(1, 2);
    await flush();
    const before = await stored();
    const good = flatJpeg(200);
    await openFile(tmFile('one-bad.tm', { 'hand-!-0.jpg': good, 'hand-!-1.jpg': BROKEN_JPEG, 'fist-!-0.jpg': good }));
    expect(errors().join(' ')).toMatch(/"one-bad\.tm" could not be opened: its image "hand-!-1\.jpg" is damaged/);
    expect(getState().classes.map((c) => c.sampleIds.length)).toEqual([3, 2]);
    expect(samples.size).toBe(5);
    await flush();
    expect(await stored()).toEqual(before);
  });

  it('a good file replaces the page and storage together, and a reload brings back exactly that', async () => {
    fillClass(0, 4);
    await flush();
    await openFile(tmFile('hands.tm', { 'open-!-0.jpg': flatJpeg(10), 'open-!-1.jpg': flatJpeg(20), 'shut-!-0.jpg': flatJpeg(240) }));
    expect(getState().classes.map((c) => [c.name, c.sampleIds.length])).toEqual([['open', 2], ['shut', 1]]);
    // Written in the one transaction of the switch, before the page showed it: nothing of the old project remains.
    const now = await stored();
    expect(now.names).toEqual(['open', 'shut']);
    expect(now.samples).toBe(3);
    await runtime.queue.idle();
    await flush();
    await reload();
    expect(getState().classes.map((c) => [c.name, c.sampleIds.length])).toEqual([['open', 2], ['shut', 1]]);
    for (const c of getState().classes) for (const id of c.sampleIds) expect(samples.get(id)?.embedding?.length).toBe(4);
  });

  it('a file is refused when its class names break the app limits (60 characters) or repeat', async () => {
    await chooseProjectFile(tmFile('long.tm', { [`${'x'.repeat(61)}-!-0.jpg`]: flatJpeg(5), 'b-!-0.jpg': flatJpeg(9) }));
    expect(errors().join(' ')).toMatch(/longer than 60 characters/);
    expect(getState().ui.confirm).toBeNull();
  });
});

describe('runs overtaken by a new project or image model drop their result', () => {
  /** Starts a long training run and calls `during` (synchronously) at its first epoch report, while it still trains. */
  async function trainAndOvertake(during: () => void | Promise<void>): Promise<void> {
    fillClass(0, 30);
    fillClass(1, 30);
    setTrainingSettings({ epochs: 500 });
    let acted: Promise<void> | null = null;
    let started = false;
    const unsubscribe = useAppStore.subscribe((s) => {
      if (started || s.training.epoch === 0 || s.training.phase !== 'training') return;
      started = true;
      acted = Promise.resolve(during());
    });
    try {
      await train();
      expect(acted, 'the action ran while training').not.toBeNull();
      await acted;
    } finally {
      unsubscribe();
    }
  }

  it('New project during training: the new project has no model, before and after a reload', async () => {
    await trainAndOvertake(() => {
      askNewProject();
      return confirmReplace();
    });
    expect(getState().training.model).toBeNull();
    expect(getState().training.phase).toBe('idle');
    expect(runtime.classifier).toBeNull();
    expect(getState().classes.map((c) => c.sampleIds.length)).toEqual([0, 0]);
    await flush();
    await reload();
    expect(getState().training.model).toBeNull();
    expect((await readAll())?.head).toBeUndefined();
  });

  it('a change of image model during training: the head is never paired with the new extractor', async () => {
    // What switchBases does before it installs the new extractor.
    await trainAndOvertake(() => {
      session.endModel();
      stopTraining(); // the run ends early with its best epoch so far, which must still be dropped
    });
    expect(getState().training.model).toBeNull();
    expect(runtime.classifier).toBeNull();
  });

  it('training that is not overtaken installs its model (the check above can fail)', async () => {
    fillClass(0, 6);
    fillClass(1, 6);
    setTrainingSettings({ epochs: 5 });
    await train();
    expect(errors()).toEqual([]);
    expect(getState().training.model?.classIds).toHaveLength(2);
    expect(runtime.classifier).not.toBeNull();
  });

  it('a file read while another project was started is never offered', async () => {
    const reading = chooseProjectFile(tmFile('late.tm', { 'a-!-0.jpg': flatJpeg(1), 'b-!-0.jpg': flatJpeg(2) }));
    askNewProject();
    await confirmReplace();
    await reading;
    expect(getState().ui.confirm).toBeNull();
    expect(runtime.pendingOpen).toBeNull();
  });
});

describe('restore is tolerant', () => {
  async function storeProject(sampleList: { id: string; classId: string; bytes: Uint8Array; embedding?: Float32Array }[]) {
    const classes = [...new Set(sampleList.map((s) => s.classId))].map((id, i) => ({ id, name: `C${i + 1}`, sampleIds: sampleList.filter((s) => s.classId === id).map((s) => s.id) }));
    await writeBatch({
      clear: true,
      project: { classes, nextClassNumber: classes.length + 1, settings: { recording: { fps: 10, delaySec: 0, durationSec: 0 }, mirror: true }, model: null, savedAt: 1 },
      putSamples: sampleList.map((s) => ({ id: s.id, classId: s.classId, jpeg: new Blob([s.bytes as BlobPart], { type: 'image/jpeg' }), embeddings: s.embedding ? { [extractor.base.id]: s.embedding } : {} })),
      removeSamples: [],
    });
  }

  it('an undecodable example is set aside and listed, everything else comes back, and its record stays stored', async () => {
    await storeProject([
      { id: 'a1', classId: 'A', bytes: flatJpeg(10) },
      { id: 'a2', classId: 'A', bytes: BROKEN_JPEG },
      { id: 'b1', classId: 'B', bytes: flatJpeg(200) },
    ]);
    await reload();
    expect(getState().classes.map((c) => c.sampleIds.length)).toEqual([2, 1]);
    expect(getState().ui.setAside).toEqual([expect.objectContaining({ id: 'a2', className: 'C1', position: 2, reason: 'its image could not be decoded' })]);
    expect(samples.get('a1')?.embedding).not.toBeNull();
    addClass();
    await flush();
    const after = await readAll();
    expect(after?.project.classes.map((c) => c.sampleIds.length)).toEqual([2, 1, 0]);
    expect(new Uint8Array(await after!.samples.get('a2')!.jpeg.arrayBuffer())).toEqual(BROKEN_JPEG);
  });

  it('an example set aside after its embedding failed still has its image saved (set aside is never lost)', async () => {
    const [id] = fillClass(0, 1);
    samples.clearEmbedding(id);
    setAside(id, new Error('out of memory'));
    await flush();
    const record = (await readAll())?.samples.get(id);
    expect(record).toBeDefined();
    expect(record!.jpeg.size).toBeGreaterThan(0);
  });

  it('an embedding of the wrong width is computed again instead of trusted', async () => {
    await storeProject([
      { id: 'a1', classId: 'A', bytes: flatJpeg(10), embedding: new Float32Array(7) },
      { id: 'b1', classId: 'B', bytes: flatJpeg(200), embedding: new Float32Array([1, 2, 3, 4]) },
    ]);
    await reload();
    expect(samples.get('a1')?.embedding?.length).toBe(4);
    expect(Array.from(samples.get('b1')!.embedding!)).toEqual([1, 2, 3, 4]);
  });

  it('decodes crops only when their turn comes: restoring 40 examples holds at most one batch of crops', async () => {
    await storeProject(Array.from({ length: 40 }, (_, i) => ({ id: `x${i}`, classId: i % 2 ? 'A' : 'B', bytes: flatJpeg(i * 5) })));
    const decode = globalThis.createImageBitmap;
    let decoded = 0;
    globalThis.createImageBitmap = ((b: Blob) => {
      decoded++;
      return decode(b);
    }) as typeof createImageBitmap;
    extractor.hold = true;
    try {
      session.endProject();
      samples.replaceAll([]);
      await restoreSavedProject(extractor.base.id);
      await settle(100);
      expect(decoded).toBeLessThanOrEqual(4);
      expect(runtime.queue.pending).toBe(40);
      extractor.hold = false;
      extractor.release();
      await runtime.queue.idle();
      expect(decoded).toBe(40);
    } finally {
      extractor.hold = false;
      extractor.release();
      globalThis.createImageBitmap = decode;
    }
  });

  it('a damaged description of the saved project refuses the restore (the caller keeps autosave off)', async () => {
    const { db } = await import('./persistence/db');
    await (await db()).put('project', { classes: 'nope' } as never, 'current');
    await expect(restoreSavedProject(extractor.base.id)).rejects.toThrow(/saved project's description is damaged/);
  });
});

describe('the training worker', () => {
  it('falls back to training in the page, and says so, when the worker cannot start', async () => {
    fillClass(0, 5);
    fillClass(1, 5);
    setTrainingSettings({ epochs: 3 });
    const g = globalThis as unknown as { Worker?: unknown };
    g.Worker = class {};
    runtime.createTrainWorker = () => {
      const w: WorkerLike = {
        onmessage: null,
        onerror: null,
        postMessage: () => setTimeout(() => w.onerror?.({ message: 'script failed to load' } as ErrorEvent), 0),
        terminate: () => undefined,
      };
      return w;
    };
    try {
      await train();
    } finally {
      delete g.Worker;
      runtime.createTrainWorker = null;
    }
    expect(errors()).toEqual([]);
    expect(getState().ui.notice).toMatch(/Training ran in this page because the training worker could not start/);
    expect(getState().training.model).not.toBeNull();
  });
});
