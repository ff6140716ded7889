import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';
import { classCard, expectExampleCount, openApp } from './glance';
import { rpsImages } from './paths';

/**
 * A measurement, not a check (run with MEASURE_GRID=1): adds 1,000 examples to one class by uploading the same 10
 * images 100 times, and prints the page's element count and its long tasks meanwhile.
 */
const COUNT = Number(process.env.MEASURE_GRID_COUNT ?? 1000);
test.skip(!process.env.MEASURE_GRID, 'set MEASURE_GRID=1 to measure the thumbnail grid');

test(`DOM size and longest task while adding ${COUNT} examples to one class`, async ({ page }) => {
  test.setTimeout(15 * 60_000);
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: number[]; longest: string[]; steady: number[] };
    w.longTasks = [];
    w.longest = [];
    w.steady = [];
    new PerformanceObserver((list) =>
      list.getEntries().forEach((e) => {
        w.longTasks.push(e.duration);
        // Once 10 examples are in: the start of an upload (reading 1,000 files, the first batch) is not the grid's cost.
        // Counts are written the English way ("1,000 examples").
        if (Number.parseInt((document.body.innerText.match(/([\d,]+) examples?/)?.[1] ?? '0').replaceAll(',', ''), 10) >= 10) w.steady.push(e.duration);
        // Where the upload was when a long one happened (the count is read a moment after the task).
        if (e.duration > 300) w.longest.push(`${Math.round(e.duration)} ms at ${document.body.innerText.match(/[\d,]+ examples?/)?.[0] ?? '?'}`);
      }),
    ).observe({ type: 'longtask', buffered: true });
  });
  await openApp(page, 'wasm');
  const sources = rpsImages('train', 'rock', 10).map((f) => fs.readFileSync(f));
  const files = Array.from({ length: COUNT }, (_, i) => ({ name: `rock-${i}${path.extname('x.jpg')}`, mimeType: 'image/jpeg', buffer: sources[i % sources.length] }));
  const before = await page.evaluate(() => document.getElementsByTagName('*').length);
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[]; longest: string[]; steady: number[] };
    w.longTasks.length = 0;
    w.longest.length = 0;
    w.steady.length = 0;
  });
  const card = classCard(page, 'Class 1');
  const started = Date.now();
  await card.getByLabel('Upload images', { exact: true }).setInputFiles(files);
  await expectExampleCount(card, COUNT, 14 * 60_000);
  const seconds = (Date.now() - started) / 1000;
  const result = await page.evaluate(() => {
    const tasks = (window as unknown as { longTasks: number[] }).longTasks;
    return {
      elements: document.getElementsByTagName('*').length,
      images: document.images.length,
      longTasks: tasks.length,
      longestTaskMs: Math.round(Math.max(0, ...tasks)),
      blockingMs: Math.round(tasks.reduce((a, d) => a + Math.max(0, d - 50), 0)),
      over300: (window as unknown as { longest: string[] }).longest.join('; '),
      steadyLongest: Math.round(Math.max(0, ...(window as unknown as { steady: number[] }).steady)),
    };
  });
  // One re-render of the whole class: deleting example 1 renumbers every example after it (median of 5).
  const deletions: number[] = [];
  for (let i = 0; i < 5; i++) {
    deletions.push(
      await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const button = Array.from(document.querySelectorAll('button')).find((b) => b.getAttribute('aria-label') === 'Delete example 1')!;
            const t0 = performance.now();
            button.click();
            requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0)));
          }),
      ),
    );
    await page.waitForTimeout(300);
  }
  const deleteMs = deletions.sort((x, y) => x - y)[2];
  console.log(`[measure-grid] deleting example 1 of ${COUNT}: ${deleteMs.toFixed(0)} ms to the next frame (median of 5)`);
  console.log(`[measure-grid] ${COUNT} examples in ${seconds.toFixed(1)} s; elements ${before} → ${result.elements}; <img> ${result.images}; long tasks ${result.longTasks}, longest ${result.longestTaskMs} ms (${result.steadyLongest} ms once 10 examples are in), blocking ${result.blockingMs} ms; over 300 ms: ${result.over300}`);
  expect(result.elements).toBeGreaterThan(0);
});
