import type { BrowserContext, Page } from '@playwright/test';
import { RPS_CLASSES, rpsImages } from '../../e2e/paths';
import { ORIGIN, dataRoot, type BenchData } from './setup';

/** Multiply-accumulates per image of the default three bases (TF-Hub v1 0.25 + Keras v1 0.25 + TM v2 0.35), in millions. */
export const DEFAULT_BASES_MMAC = 141;

export interface UiUpload {
  images: number;
  /** File input → every class shows its count (thumbnails drawn). */
  countsMs: number;
  /** File input → IndexedDB holds every example with its embedding (what survives a reload). */
  savedMs: number;
  countsPerSec: number;
  savedPerSec: number;
  /** Images/s to saved × the bases' cost: how much of this machine's compute the page path uses. */
  gmacPerSec: number;
  /** Long tasks over the upload, split at each `change` as in the growth stage (`splitLongTasks`). */
  longTasks: LongTasks;
}

/**
 * Main-thread tasks over 50 ms. The browser hands chosen files to the page in one task: it makes the FileList, then
 * dispatches `change`, and the page's handler runs at the end of that same task. Split at the moment `change` reached
 * the document: `fileListLongestMs` is the longest part before it (the browser's, before any page code runs), and
 * `ownCount` / `ownLongestMs` count the page's own work (the part after it, and every other task whole).
 */
export interface LongTasks {
  count: number;
  longestMs: number;
  over200: number;
  blockingMs: number;
  withFileList: number;
  fileListLongestMs: number;
  ownCount: number;
  ownLongestMs: number;
}

/** The first `change` (from WATCH_CHANGES) that reached the document during `span` (a task or a frame). */
export function changeDuring(changes: readonly number[], span: { startMs: number; durationMs: number }): number | undefined {
  return changes.find((c) => c >= span.startMs && c <= span.startMs + span.durationMs);
}

/** `tasks` (from WATCH_LONG_TASKS) split at the `changes` (from WATCH_CHANGES), as `LongTasks` says. */
export function splitLongTasks(tasks: readonly { startMs: number; durationMs: number }[], changes: readonly number[]): LongTasks {
  const fileLists: number[] = [];
  const own: number[] = [];
  for (const t of tasks) {
    const c = changeDuring(changes, t);
    if (c !== undefined) fileLists.push(c - t.startMs);
    const mine = c === undefined ? t.durationMs : t.startMs + t.durationMs - c;
    if (mine > 50) own.push(mine);
  }
  const durations = tasks.map((t) => t.durationMs);
  return {
    count: durations.length,
    longestMs: Math.max(0, ...durations),
    over200: durations.filter((d) => d > 200).length,
    blockingMs: durations.reduce((a, d) => a + Math.max(0, d - 50), 0),
    withFileList: fileLists.length,
    fileListLongestMs: Math.max(0, ...fileLists),
    ownCount: own.length,
    ownLongestMs: Math.max(0, ...own),
  };
}

/** The long tasks the page recorded, split at its `change` times (also returned, to place other spans by them). */
export async function readLongTasks(page: Page): Promise<{ longTasks: LongTasks; changes: number[] }> {
  const tasks = await page.evaluate(() => (window as unknown as { glanceLongTasks: { startMs: number; durationMs: number }[] }).glanceLongTasks);
  const changes = await page.evaluate(() => (window as unknown as { glanceChanges: number[] }).glanceChanges);
  return { longTasks: splitLongTasks(tasks, changes), changes };
}

/** Counts main-thread long tasks from now on (a string: tsx would wrap a function's helpers in `__name`). */
export const WATCH_LONG_TASKS = `(() => {
  window.glanceLongTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.glanceLongTasks.push({ startMs: e.startTime, durationMs: e.duration }); })
    .observe({ type: 'longtask', buffered: false });
})();`;

/**
 * Also keeps, from now on, every main-thread task over 50 ms with what ran in it (Long Animation Frames: the scripts
 * over 5 ms by entry point and function, and the rendering time), in `window.glanceLongFrames`.
 */
export const WATCH_LONG_FRAMES = `(() => {
  window.glanceLongFrames = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.blockingDuration <= 0) continue;
      window.glanceLongFrames.push({
        startMs: e.startTime, durationMs: e.duration, blockingMs: e.blockingDuration,
        renderMs: e.renderStart ? e.startTime + e.duration - e.renderStart : 0,
        scripts: e.scripts.map((s) => ({ invoker: s.invoker, fn: s.sourceFunctionName, url: (s.sourceURL || '').split('/').pop(), ms: s.duration })),
      });
    }
  }).observe({ type: 'long-animation-frame', buffered: false });
})();`;

/** Keeps when each `change` event reaches the document (capture phase: before the page's own listeners). */
export const WATCH_CHANGES = `(() => {
  window.glanceChanges = [];
  document.addEventListener('change', () => window.glanceChanges.push(performance.now()), true);
})();`;

/** One long frame as WATCH_LONG_FRAMES keeps it. */
export interface LongFrame {
  startMs: number;
  durationMs: number;
  blockingMs: number;
  renderMs: number;
  scripts: { invoker: string; fn: string; url: string; ms: number }[];
}

/** The examples in IndexedDB that have their embeddings (read 100 records at a time). */
export const COUNT_STORED = `new Promise((resolve, reject) => {
  const req = indexedDB.open('glance');
  req.onerror = () => reject(req.error);
  req.onsuccess = () => {
    const d = req.result;
    const store = d.transaction('samples').objectStore('samples');
    let stored = 0;
    // 100 records per read: one getAll() of 5,000 (their images and embeddings) was a 60 ms task of the bench's own.
    const read = (after) => {
      const part = store.getAll(after === undefined ? undefined : IDBKeyRange.lowerBound(after, true), 100);
      part.onerror = () => reject(part.error);
      part.onsuccess = () => {
        const rows = part.result;
        stored += rows.filter((s) => Object.keys(s.embeddings).length > 0).length;
        if (rows.length < 100) { d.close(); resolve(stored); } else read(rows[rows.length - 1].id);
      };
    };
    read(undefined);
  };
})`;

/** A class card's count as the page words it in English ("1,000 examples"). */
export const examplesText = (n: number): string => `${n.toLocaleString('en-US')} example${n === 1 ? '' : 's'}`;

/** A page of the app (WASM) on an empty project with `classes` classes, whatever an earlier phase saved. */
export async function openEmptyProject(context: BrowserContext, classes: number): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${ORIGIN}/?backend=wasm`);
  await page.getByText(/^Backend: /).waitFor({ timeout: 180_000 });
  await page.getByRole('button', { name: 'New project', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Start new project', exact: true }).click();
  for (let i = 2; i < classes; i++) await page.getByRole('button', { name: 'Add a class', exact: true }).click();
  await page.getByRole('region', { name: `Class ${classes}`, exact: true }).waitFor();
  return page;
}

/**
 * Waits until IndexedDB holds `total` examples with their embeddings, reading it every `everyMs`. Polled from Node:
 * `page.waitForFunction` does not wait for a promise the page returns (a pending promise is truthy), so it would
 * return at once.
 */
export async function waitForStored(page: Page, total: number, everyMs: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await page.evaluate(COUNT_STORED)) as number < total) {
    if (Date.now() > deadline) throw new Error(`IndexedDB did not reach ${total} examples with embeddings in ${timeoutMs / 1000} s`);
    await page.waitForTimeout(everyMs);
  }
}

/**
 * The path a person uses: the real app (WASM), "Upload images" into `classes` classes one after the other (class i
 * gets the images of hand i mod 3), as fast as the page takes them, timed to the counts on screen and to the examples
 * landing in IndexedDB with their embeddings.
 */
export async function uploadThroughUi(context: BrowserContext, classes: number, perClass: number, data: BenchData): Promise<UiUpload> {
  const page = await openEmptyProject(context, classes);
  try {
    const indices = Array.from({ length: classes }, (_, i) => i);
    await page.evaluate(WATCH_LONG_TASKS);
    await page.evaluate(WATCH_CHANGES);
    const started = await page.evaluate(() => performance.now());
    for (const i of indices) {
      const card = page.getByRole('region', { name: `Class ${i + 1}`, exact: true });
      await card.getByLabel('Upload images', { exact: true }).setInputFiles(rpsImages('train', RPS_CLASSES[i % RPS_CLASSES.length], perClass, dataRoot(data)));
    }
    for (const i of indices) {
      await page.getByRole('region', { name: `Class ${i + 1}`, exact: true }).getByText(examplesText(perClass), { exact: true }).waitFor({ timeout: 600_000 });
    }
    const counted = await page.evaluate(() => performance.now());
    const total = perClass * classes;
    await waitForStored(page, total, 100, 600_000);
    const saved = await page.evaluate(() => performance.now());
    const { longTasks } = await readLongTasks(page);
    const countsMs = counted - started;
    const savedMs = saved - started;
    const savedPerSec = total / (savedMs / 1000);
    return {
      images: total,
      countsMs,
      savedMs,
      countsPerSec: total / (countsMs / 1000),
      savedPerSec,
      gmacPerSec: (savedPerSec * DEFAULT_BASES_MMAC) / 1000,
      longTasks,
    };
  } finally {
    await page.close();
  }
}
