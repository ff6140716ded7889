import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { RPS_CLASSES, rpsImages } from '../../e2e/paths';
import { dataRoot, type BenchData } from './setup';
import { WATCH_LONG_TASKS, examplesText, openEmptyProject, waitForStored } from './uiPath';

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
  /** Long tasks are those over 50 ms. */
  longTasks: { count: number; longestMs: number; over200: number; blockingMs: number };
  /** Elements in the page once every example is in (a windowed grid keeps this flat). */
  elements: number;
  /** Reload → every class shows its count again and the page takes input. */
  reloadMs: number;
  storedBytes: number | null;
}

const region = (page: Page, i: number) => page.getByRole('region', { name: `Class ${i + 1}`, exact: true });

/** `perClass` distinct file names per class, cycling through the data's training images (their bytes cost the same). */
function filesFor(data: BenchData, classIndex: number, perClass: number) {
  const sources = rpsImages('train', RPS_CLASSES[classIndex % RPS_CLASSES.length], undefined, dataRoot(data));
  return Array.from({ length: perClass }, (_, j) => {
    const src = sources[j % sources.length];
    return { name: `c${classIndex + 1}-${j}${path.extname(src)}`, mimeType: 'image/jpeg', buffer: fs.readFileSync(src) };
  });
}

export async function uploadGrowth(context: BrowserContext, classes: number, perClass: number, data: BenchData, blockSize: number, log: (msg: string) => void): Promise<Growth> {
  const page = await openEmptyProject(context, classes);
  try {
    const files = Array.from({ length: classes }, (_, i) => filesFor(data, i, perClass));
    await page.evaluate(WATCH_LONG_TASKS);
    const started = await page.evaluate(() => performance.now());
    const countsAtMs: number[] = [];
    for (let i = 0; i < classes; i++) {
      const card = region(page, i);
      await card.getByLabel('Upload images', { exact: true }).setInputFiles(files[i]);
      await card.getByText(examplesText(perClass), { exact: true }).waitFor({ timeout: 600_000 });
      countsAtMs.push((await page.evaluate(() => performance.now())) - started);
      if ((i + 1) % Math.max(1, Math.floor(classes / 4)) === 0) log(`growth: ${(i + 1) * perClass} examples in`);
    }
    const total = classes * perClass;
    // Polled rarely: reading every record back is itself work for the page.
    await waitForStored(page, total, 3000, 900_000);
    const savedMs = (await page.evaluate(() => performance.now())) - started;
    log('growth: all saved; reloading');
    const tasks = await page.evaluate(() => (window as unknown as { glanceLongTasks: number[] }).glanceLongTasks);
    const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
    const storedBytes = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? null);

    const perBlock = Math.max(1, Math.round(blockSize / perClass));
    const blockRates: number[] = [];
    for (let end = perBlock - 1; end < classes; end += perBlock) {
      const from = end - perBlock < 0 ? 0 : countsAtMs[end - perBlock];
      blockRates.push((perBlock * perClass) / ((countsAtMs[end] - from) / 1000));
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
      blockSize: perBlock * perClass,
      blockRates,
      // One block or none (a small run): nothing to compare, so level.
      lastVsFirst: blockRates.length < 2 ? 1 : blockRates[blockRates.length - 1] / blockRates[0],
      savedMs,
      longTasks: {
        count: tasks.length,
        longestMs: Math.max(0, ...tasks),
        over200: tasks.filter((d) => d > 200).length,
        blockingMs: tasks.reduce((a, d) => a + Math.max(0, d - 50), 0),
      },
      elements,
      reloadMs,
      storedBytes,
    };
  } finally {
    await page.close();
  }
}
