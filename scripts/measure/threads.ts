/**
 * `npx tsx scripts/measure/threads.ts [--skip-build]`: embedding speed of the WASM backend with and without threads,
 * on the bench page (Glance's real ml code, three default bases). Three settings, interleaved over a few rounds:
 *  - not isolated: the same server with the COOP/COEP headers removed, so tfjs runs its single-threaded SIMD build;
 *  - isolated: the threaded SIMD build with tfjs's own thread count for this machine (half the logical cores);
 *  - isolated, 4 logical cores reported: Chromium told `navigator.hardwareConcurrency` is 4, so tfjs uses 2 threads,
 *    which is what a 4-thread machine would get (here still on this machine's cores).
 * Prints ms per image (median over rounds) and writes nothing; asserts nothing (machines are noisy).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { datasetsDir, RPS_CLASSES, rpsImages } from '../../e2e/paths';
// For the window.glanceBench type.
import type {} from '../../bench/api';
import { build, DATA_PREFIX, dataUrl, ORIGIN, startPreview } from '../bench/setup';

interface Setting { name: string; isolated: boolean; hardwareConcurrency?: number }
const SETTINGS: Setting[] = [
  { name: 'not isolated (single-threaded SIMD)', isolated: false },
  { name: 'isolated (threaded SIMD, tfjs default)', isolated: true },
  { name: 'isolated, 4 logical cores reported', isolated: true, hardwareConcurrency: 4 },
];
const ROUNDS = 3;
const PER_CLASS = 16;
const ISOLATION = ['cross-origin-opener-policy', 'cross-origin-embedder-policy'];

async function measure(browser: Browser, setting: Setting, images: string[]) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith(ORIGIN + DATA_PREFIX)) {
        const file = path.resolve(datasetsDir, decodeURIComponent(new URL(url).pathname.slice(DATA_PREFIX.length)));
        return route.fulfill({ status: 200, contentType: 'image/jpeg', body: fs.readFileSync(file) });
      }
      if (!url.startsWith(ORIGIN + '/')) return route.abort('blockedbyclient');
      if (setting.isolated) return route.continue();
      const response = await route.fetch();
      const headers = Object.fromEntries(Object.entries(response.headers()).filter(([name]) => !ISOLATION.includes(name.toLowerCase())));
      return route.fulfill({ response, headers });
    });
    const page = await context.newPage();
    if (setting.hardwareConcurrency) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setHardwareConcurrencyOverride', { hardwareConcurrency: setting.hardwareConcurrency });
    }
    await page.goto(`${ORIGIN}/bench/glance.html`);
    await page.waitForFunction(() => 'glanceBench' in window);
    const init = await page.evaluate(() => window.glanceBench.init('wasm'));
    const isolated = await page.evaluate(() => crossOriginIsolated);
    await page.evaluate((u) => window.glanceBench.loadImages(u), images);
    // One unmeasured pass so every kernel and buffer exists before the timed ones.
    await page.evaluate((u) => window.glanceBench.embed(u, 1), images.slice(0, 4));
    const batch1 = await page.evaluate((u) => window.glanceBench.embed(u, 1), images);
    const batchN = await page.evaluate(([u, n]) => window.glanceBench.embed(u, n), [images, init.embedBatchSize] as const);
    return { isolated, threads: init.wasmThreads, batch1: batch1.msPerImage, batchN: batchN.msPerImage, batchSize: init.embedBatchSize };
  } finally {
    await context.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (!process.argv.includes('--skip-build')) build();
const server = await startPreview();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
try {
  const images = RPS_CLASSES.flatMap((cls) => rpsImages('train', cls, PER_CLASS)).map(dataUrl);
  const results = new Map<string, Awaited<ReturnType<typeof measure>>[]>();
  const loadStart = os.loadavg();
  for (let round = 0; round < ROUNDS; round++) {
    for (const setting of SETTINGS) {
      const r = await measure(browser, setting, images);
      console.log(`round ${round + 1}, ${setting.name}: isolated ${r.isolated}, ${r.threads} thread(s), ${r.batch1.toFixed(1)} ms/image at batch 1, ${r.batchN.toFixed(1)} at batch ${r.batchSize}`);
      results.set(setting.name, [...(results.get(setting.name) ?? []), r]);
    }
  }
  console.log(`\n${images.length} rps-webcam images, three default bases, median of ${ROUNDS} rounds; load average ${loadStart.map((v) => v.toFixed(2)).join(' ')} → ${os.loadavg().map((v) => v.toFixed(2)).join(' ')} on ${os.cpus().length} cores\n`);
  console.log('| WASM setting | threads | ms/image, batch 1 | ms/image, batch 16 |');
  console.log('|---|---:|---:|---:|');
  for (const setting of SETTINGS) {
    const rs = results.get(setting.name)!;
    console.log(`| ${setting.name} | ${rs[0].threads} | ${median(rs.map((r) => r.batch1)).toFixed(1)} | ${median(rs.map((r) => r.batchN)).toFixed(1)} |`);
  }
} finally {
  await browser.close();
  server.kill();
}
