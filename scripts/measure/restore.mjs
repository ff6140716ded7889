// Measures how long a 5 classes × 200 samples project takes to come back after a reload, and how much
// IndexedDB it uses. Prints numbers; asserts nothing (machines are noisy).
// Usage: npx vite build && node scripts/measure/restore.mjs   (serves dist/ on port 4190 itself)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const datasets = path.join(process.env.GLANCE_SHARED_DIR ? path.resolve(process.env.GLANCE_SHARED_DIR) : path.resolve(root, '../shared'), 'datasets');
if (!fs.existsSync(path.join(datasets, 'rps-webcam')) || !fs.existsSync(path.join(datasets, 'rps-cgi'))) {
  console.error(`npm run measure:restore needs 1,000 images from ${datasets}/{rps-webcam,rps-cgi}, not found: put shared/ beside the repository or set GLANCE_SHARED_DIR.`);
  process.exit(1);
}
const port = 4190;
const sources = [
  ['webcam-rock', 'rps-webcam', 'rock'], ['webcam-paper', 'rps-webcam', 'paper'], ['webcam-scissors', 'rps-webcam', 'scissors'],
  ['cgi-rock', 'rps-cgi', 'rock'], ['cgi-paper', 'rps-cgi', 'paper'],
];
const entries = { 'manifest.json': strToU8(JSON.stringify({ type: 'image', version: '2.4.10' })) };
for (const [name, set, cls] of sources) {
  const files = ['train', 'test'].flatMap((split) => fs.readdirSync(path.join(datasets, set, split, cls)).sort().map((f) => path.join(datasets, set, split, cls, f)));
  files.slice(0, 200).forEach((f, i) => (entries[`${name}-!-${i}.jpg`] = new Uint8Array(fs.readFileSync(f))));
}
const tmFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'glance-restore-')), 'five-by-200.tm');
fs.writeFileSync(tmFile, zipSync(entries, { level: 0 }));

const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], { cwd: root, stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 2500));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'] });
try {
  const page = await browser.newPage({ locale: 'en-US' });
  const url = `http://localhost:${port}/?backend=wasm`;
  await page.goto(url);
  await page.getByText(/^Backend: /).waitFor({ timeout: 120_000 });
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Open project', exact: true }).click()]);
  let t = Date.now();
  await chooser.setFiles(tmFile);
  await page.getByRole('dialog').getByRole('button', { name: 'Replace', exact: true }).click();
  await page.getByText('200 examples', { exact: true }).nth(4).waitFor({ timeout: 300_000 });
  // Wait until the project and every embedding have landed in IndexedDB (opening writes it in one transaction).
  // Polled from Node: page.waitForFunction does not wait for a promise the page returns (it is truthy at once).
  const landed = () => page.evaluate(() => new Promise((resolve) => {
    const req = indexedDB.open('glance');
    req.onsuccess = () => {
      const tx = req.result.transaction('samples');
      let n = 0;
      tx.objectStore('samples').openCursor().onsuccess = (e) => {
        const cursor = e.target.result;
        if (!cursor) return;
        if (Object.keys(cursor.value.embeddings).length > 0) n++;
        cursor.continue();
      };
      tx.oncomplete = () => { req.result.close(); resolve(n === 1000); };
    };
    req.onerror = () => resolve(false);
  }));
  for (const deadline = Date.now() + 300_000; !(await landed()); await page.waitForTimeout(1000)) {
    if (Date.now() > deadline) throw new Error('the opened project did not land in IndexedDB within 300 s');
  }
  const importMs = Date.now() - t;
  const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage);
  t = Date.now();
  await page.reload();
  await page.getByText('200 examples', { exact: true }).nth(4).waitFor({ timeout: 300_000 });
  await page.getByRole('progressbar', { name: 'Restoring project', exact: true }).waitFor({ state: 'detached', timeout: 300_000 });
  const restoreMs = Date.now() - t;
  const thumbs = await page.getByRole('img', { name: /^Example \d+$/ }).count();
  const result = { samples: 1000, classes: 5, importAndEmbedMs: importMs, restoreAfterReloadMs: restoreMs, indexedDbBytes: usage, thumbnails: thumbs, loadavg: os.loadavg(), date: new Date().toISOString() };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await browser.close();
  server.kill();
}
