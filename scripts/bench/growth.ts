import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { RPS_CLASSES, rpsImages } from '../../e2e/paths';
import { benchCacheDir, dataRoot, type BenchData } from './setup';
import { WATCH_CHANGES, WATCH_LONG_FRAMES, WATCH_LONG_TASKS, changeDuring, examplesText, openEmptyProject, readLongTasks, waitForStored, type LongFrame, type LongTasks } from './uiPath';

/** Does adding examples slow down as the project grows? The case: 20 classes × 250 uploads, one class after the other. */
export interface Growth {
  classes: number;
  perClass: number;
  images: number;
  /** File input → that class shows its count, for each class in turn (ms since the first upload started). */
  countsAtMs: number[];
  /** The images/s of each block of `blockSize` examples (by counts shown), first to last. */
  blockSize: number;
  blockRates: number[];
  /** Last block's rate ÷ first block's. */
  lastVsFirst: number;
  /** Every example in IndexedDB with its embedding (ms since the first upload started). */
  savedMs: number;
  /** Long tasks over the whole upload, split at each `change` (`splitLongTasks` in uiPath.ts). */
  longTasks: LongTasks;
  /** The longest frames (up to 5) with what ran in them (scripts over 5 ms, rendering): where a long task comes from. */
  longestFrames: (LongFrame & { hasFileList: boolean })[];
  /** The same for the frames without a file list (the page's own work), by blocking time. */
  longestOwnFrames: LongFrame[];
  /** Elements in the page once every example is in (a windowed grid keeps this flat). */
  elements: number;
  /** Reload → every class shows its count again and the page takes input. */
  reloadMs: number;
  storedBytes: number | null;
}

const region = (page: Page, i: number) => page.getByRole('region', { name: `Class ${i + 1}`, exact: true });

/**
 * `perClass` distinct files per class, cycling through the data's training images, written once to a folder of the
 * bench's cache and given to the file input by path: the files a file picker gives (disk-backed, made by the
 * browser). Given as buffers, Playwright made 250 Files in the page itself, a 200 ms task per class that no person's
 * upload has.
 */
function filesFor(data: BenchData, classIndex: number, perClass: number): string[] {
  const sources = rpsImages('train', RPS_CLASSES[classIndex % RPS_CLASSES.length], undefined, dataRoot(data));
  const dir = path.join(benchCacheDir, 'growth-files', data);
  fs.mkdirSync(dir, { recursive: true });
  return Array.from({ length: perClass }, (_, j) => {
    const src = sources[j % sources.length];
    const file = path.join(dir, `c${classIndex + 1}-${j}${path.extname(src)}`);
    if (!fs.existsSync(file) || fs.statSync(file).size !== fs.statSync(src).size) fs.copyFileSync(src, file);
    return file;
  });
}

/**
 * `profileDir`: also records the page's main-thread CPU profile (Chrome DevTools protocol) over the first and the last
 * `blockSize` uploads, written as first.cpuprofile and last.cpuprofile there (open them in DevTools' Performance panel).
 */
export async function uploadGrowth(
  context: BrowserContext, classes: number, perClass: number, data: BenchData, blockSize: number, log: (msg: string) => void, profileDir?: string,
): Promise<Growth> {
  const page = await openEmptyProject(context, classes);
  const perBlockClasses = Math.max(1, Math.round(blockSize / perClass));
  const cdp = profileDir ? await context.newCDPSession(page) : null;
  if (cdp) await cdp.send('Profiler.enable');
  // Before the first block's first class and the last block's first class; after each block's last class.
  const profileBefore = async (i: number) => {
    if (cdp && (i === 0 || i === classes - perBlockClasses)) await cdp.send('Profiler.start');
  };
  const profileAfter = async (i: number) => {
    if (!cdp || !profileDir || (i !== perBlockClasses - 1 && i !== classes - 1)) return;
    const { profile } = await cdp.send('Profiler.stop');
    fs.mkdirSync(profileDir, { recursive: true });
    fs.writeFileSync(path.join(profileDir, i === classes - 1 ? 'last.cpuprofile' : 'first.cpuprofile'), JSON.stringify(profile));
  };
  try {
    const files = Array.from({ length: classes }, (_, i) => filesFor(data, i, perClass));
    await page.evaluate(WATCH_LONG_TASKS);
    await page.evaluate(WATCH_LONG_FRAMES);
    // Capture phase on the document: before the page's own (React's) listener on its root.
    await page.evaluate(WATCH_CHANGES);
    const started = await page.evaluate(() => performance.now());
    const countsAtMs: number[] = [];
    for (let i = 0; i < classes; i++) {
      const card = region(page, i);
      await profileBefore(i);
      // The card a person uploads into is the one they look at. Left where "Add a class" scrolled the page (the
      // bottom), the first classes were out of view and never painted, and only the last blocks paid for rendering.
      await card.scrollIntoViewIfNeeded();
      await card.getByLabel('Upload images', { exact: true }).setInputFiles(files[i]);
      await card.getByText(examplesText(perClass), { exact: true }).waitFor({ timeout: 600_000 });
      countsAtMs.push((await page.evaluate(() => performance.now())) - started);
      await profileAfter(i);
      if ((i + 1) % Math.max(1, Math.floor(classes / 4)) === 0) log(`growth: ${(i + 1) * perClass} examples in`);
    }
    const total = classes * perClass;
    // Polled rarely: reading every record back is itself work for the page.
    await waitForStored(page, total, 3000, 900_000);
    const savedMs = (await page.evaluate(() => performance.now())) - started;
    log('growth: all saved; reloading');
    const { longTasks, changes } = await readLongTasks(page);
    const frames = await page.evaluate(() => (window as unknown as { glanceLongFrames: LongFrame[] }).glanceLongFrames);
    const hasFileList = (f: LongFrame) => changeDuring(changes, f) !== undefined;
    const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
    const storedBytes = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? null);

    const blockRates: number[] = [];
    for (let end = perBlockClasses - 1; end < classes; end += perBlockClasses) {
      const from = end - perBlockClasses < 0 ? 0 : countsAtMs[end - perBlockClasses];
      blockRates.push((perBlockClasses * perClass) / ((countsAtMs[end] - from) / 1000));
    }

    const reloadStart = Date.now();
    await page.reload();
    await region(page, classes - 1).getByText(examplesText(perClass), { exact: true }).waitFor({ timeout: 300_000 });
    await page.getByRole('button', { name: 'Add a class', exact: true }).waitFor();
    const reloadMs = Date.now() - reloadStart;

    return {
      classes,
      perClass,
      images: total,
      countsAtMs,
      blockSize: perBlockClasses * perClass,
      blockRates,
      // One block or none (a small run): nothing to compare, so level.
      lastVsFirst: blockRates.length < 2 ? 1 : blockRates[blockRates.length - 1] / blockRates[0],
      savedMs,
      longTasks,
      longestFrames: [...frames].sort((a, b) => b.durationMs - a.durationMs).slice(0, 5).map((f) => ({ ...f, hasFileList: hasFileList(f) })),
      longestOwnFrames: frames.filter((f) => !hasFileList(f)).sort((a, b) => b.blockingMs - a.blockingMs).slice(0, 5),
      elements,
      reloadMs,
      storedBytes,
    };
  } finally {
    await page.close();
  }
}
