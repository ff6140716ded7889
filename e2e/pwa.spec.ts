import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  classCard, expectExampleCount, exportModel, MODEL_READY_TIMEOUT, openApp, recordTransientUi, screenshot, testImage, trainModel, uploadImages,
} from './glance';
import { repoRoot, rpsImages } from './paths';

/**
 * The installed app: manifest and icons, a service worker that precaches everything, cross-origin isolation (so the
 * WASM backend runs threaded), the whole flow with the server stopped and the browser offline, and the update
 * prompt. Each test serves its own copy of dist/ with its own `vite preview`, so it can stop the server or change a
 * file; the suite's shared preview server is not used here.
 */
const PORT = Number(process.env.E2E_PWA_PORT ?? Number(process.env.E2E_PORT ?? 4173) + 100);
const ORIGIN = `http://localhost:${PORT}`;

test.use({ serviceWorkers: 'allow', baseURL: ORIGIN });

interface Served {
  dir: string;
  stop: () => Promise<void>;
}

/** Copies dist/ aside and serves it with `vite preview` (the repo's vite.config.ts: same headers as e2e). */
async function serveCopyOfDist(): Promise<Served> {
  const dist = path.join(repoRoot, 'dist');
  expect(fs.existsSync(path.join(dist, 'sw.js')), 'dist/sw.js: run `npx vite build` first').toBe(true);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glance-pwa-'));
  fs.cpSync(dist, dir, { recursive: true });
  const vite = path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  const server: ChildProcess = spawn(process.execPath, [vite, 'preview', '--outDir', dir, '--port', String(PORT), '--strictPort'], {
    cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  server.stderr?.on('data', (d: Buffer) => void (stderr += d.toString()));
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill();
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 150; i++) {
    if (server.exitCode !== null) throw new Error(`vite preview exited: ${stderr}`);
    if (await fetch(`${ORIGIN}/`).then((r) => r.ok, () => false)) return { dir, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`vite preview did not answer on ${ORIGIN}: ${stderr}`);
}

/** Uncaught errors in the page, for the test to assert empty at the end. */
function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.stack ?? error.message));
  return errors;
}

/** Waits until the service worker is active (so its precache is complete) and controls this page. */
async function expectControlledByServiceWorker(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) {
    // The first visit installs it; from the next load on it answers every request.
    await page.reload();
    await expect(page.getByText(/^Backend: /)).toBeVisible({ timeout: MODEL_READY_TIMEOUT });
  }
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${ORIGIN}/sw.js`);
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).toString('hex'), 'PNG signature').toBe('89504e470d0a1a0a');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

let served: Served | null = null;

test.afterEach(async () => {
  await served?.stop();
  served = null;
});

test('installable: manifest and icons load, a service worker controls the page, which is cross-origin isolated with WASM threads', async ({ page, context }) => {
  const errors = collectPageErrors(page);
  served = await serveCopyOfDist();
  // tfjs computes with half the logical cores; reporting 4 makes it really run 2 threads even on a 2-core machine.
  // The override covers the page only, and the bases run in the engine worker: each worker gets it as it starts.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setHardwareConcurrencyOverride', { hardwareConcurrency: 4 });
  let messageId = 1;
  cdp.on('Target.attachedToTarget', ({ sessionId, targetInfo }) => {
    const send = (method: string, params: object = {}) =>
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: messageId++, method, params }) }).catch(() => undefined);
    void (async () => {
      if (targetInfo.type === 'worker') await send('Emulation.setHardwareConcurrencyOverride', { hardwareConcurrency: 4 });
      await send('Runtime.runIfWaitingForDebugger');
    })();
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
  await openApp(page, 'wasm');

  const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(manifestHref).toBeTruthy();
  const manifestResponse = await page.request.get(new URL(manifestHref!, ORIGIN).href);
  expect(manifestResponse.ok()).toBe(true);
  const manifest = (await manifestResponse.json()) as {
    name: string; short_name: string; display: string; start_url: string; theme_color: string;
    icons: { src: string; sizes: string; purpose?: string }[];
  };
  expect(manifest).toMatchObject({ name: 'Glance', short_name: 'Glance', display: 'standalone' });
  expect(manifest.start_url).toBeTruthy();
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  const icons = await Promise.all(manifest.icons.map(async (icon) => {
    const response = await page.request.get(new URL(icon.src, new URL(manifestHref!, ORIGIN)).href);
    expect(response.ok(), icon.src).toBe(true);
    const { width, height } = pngSize(await response.body());
    expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
    return `${icon.sizes} ${icon.purpose ?? 'any'}`;
  }));
  expect(icons).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));

  expect(await page.evaluate(() => ({ isolated: crossOriginIsolated, sab: typeof SharedArrayBuffer }))).toEqual({ isolated: true, sab: 'function' });
  const wasmFiles = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => e.name).filter((name) => name.endsWith('.wasm')));
  expect(wasmFiles.some((name) => /tfjs-backend-wasm-threaded-simd-[\w-]+\.wasm$/.test(name)), wasmFiles.join(', ')).toBe(true);
  await expect(page.locator('.engine').getByText('· 2 threads', { exact: true })).toBeVisible();
  // …computed in the engine worker, which is cross-origin isolated too.
  await expect(page.locator('.engine').getByText('· in a worker', { exact: true })).toBeVisible();
  const engineWorker = page.workers().find((w) => /engineWorker-[\w-]+\.js$/.test(w.url()));
  expect(engineWorker, page.workers().map((w) => w.url()).join(', ')).toBeTruthy();
  expect(await engineWorker!.evaluate(() => crossOriginIsolated)).toBe(true);

  await expectControlledByServiceWorker(page);
  // What Chromium itself says stands between this page and "Install app". A Playwright context is an incognito
  // profile, where nothing can be installed; any other reason is the app's.
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors.map((e) => e.errorId)).toEqual(['in-incognito']);
  expect(errors).toEqual([]);
});

test('after one visit the app loads, trains, predicts and exports with the server stopped and the browser offline', async ({ page, context }, testInfo) => {
  test.setTimeout(8 * 60_000);
  const errors = collectPageErrors(page);
  await recordTransientUi(page);
  served = await serveCopyOfDist();
  await openApp(page);
  // One visit: the worker is active once its install step has cached everything.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));

  await served.stop();
  expect(await fetch(`${ORIGIN}/`).then(() => 'answered', () => 'no server')).toBe('no server');
  await context.setOffline(true);

  await openApp(page);
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${ORIGIN}/sw.js`);
  // The server is gone, so these headers came from the service worker.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  await uploadImages(classCard(page, 'Class 1'), rpsImages('train', 'rock', 4));
  await uploadImages(classCard(page, 'Class 2'), rpsImages('train', 'paper', 4));
  await expectExampleCount(classCard(page, 'Class 1'), 4, MODEL_READY_TIMEOUT);
  await expectExampleCount(classCard(page, 'Class 2'), 4, MODEL_READY_TIMEOUT);
  await trainModel(page);
  const meters = await testImage(page, rpsImages('test', 'paper', 1)[0], ['Class 1', 'Class 2']);
  expect(meters.reduce((a, b) => a + b, 0)).toBeGreaterThan(99);
  const { file } = await exportModel(page, testInfo.outputPath('offline-pwa.zip'));
  expect(fs.statSync(file).size).toBeGreaterThan(1_000_000);
  expect(errors).toEqual([]);
});

test('a new version waits with "A new version is ready" and a Reload button; the page reloads only when asked', async ({ page }) => {
  const errors = collectPageErrors(page);
  served = await serveCopyOfDist();
  await openApp(page, 'wasm');
  await expectControlledByServiceWorker(page);
  await expect(page.getByRole('button', { name: 'Reload', exact: true })).toHaveCount(0);

  // A deploy: the service worker file changes (as its precache list does when any file changes).
  fs.appendFileSync(path.join(served.dir, 'sw.js'), `\n// next version ${Date.now()}\n`);
  await page.evaluate(() => { (window as unknown as { sameDocument: boolean }).sameDocument = true; });
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));

  const prompt = page.getByRole('status').filter({ hasText: 'A new version of Glance is ready' });
  await expect(prompt).toBeVisible({ timeout: 60_000 });
  const reload = prompt.getByRole('button', { name: 'Reload', exact: true });
  await expect(reload).toBeVisible();
  expect(await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.waiting !== null))).toBe(true);
  // Waiting never means reloading behind the person's back.
  await page.waitForTimeout(1_000);
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);

  await Promise.all([page.waitForEvent('load'), reload.click()]);
  await expect(page.getByText(/^Backend: /)).toBeVisible({ timeout: MODEL_READY_TIMEOUT });
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBeUndefined();
  expect(await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.waiting ?? null))).toBeNull();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await expect(prompt).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('"Most accurate" is not precached: offline before its first download the page says what to do; once fetched it works offline', async ({ page, context }) => {
  test.setTimeout(5 * 60_000);
  const errors = collectPageErrors(page);
  served = await serveCopyOfDist();
  await openApp(page, 'wasm');
  await expectControlledByServiceWorker(page);
  const cachedExtra = () => page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) urls.push(...(await (await caches.open(name)).keys()).map((r) => r.url));
    return urls.filter((u) => u.includes('/models/mobilenet_v1_0.75_224_layers/')).length;
  });
  expect(await cachedExtra(), 'the precache leaves out the extra 10 MB').toBe(0);

  await context.setOffline(true);
  await page.getByText('Under the hood', { exact: true }).click();
  const picker = page.getByRole('group', { name: 'Image model', exact: true });
  const mostAccurate = picker.getByRole('radio', { name: /^Most accurate/ });
  // click, not check: the radio follows the image model in use, which stays the default when the download fails.
  await mostAccurate.click();
  await expect(page.getByRole('alert').filter({ hasText: /not stored for offline use until it is first chosen \(about 10\.4 MB\): connect to the internet and choose it again/ })).toBeVisible({ timeout: 60_000 });
  await expect(picker.getByRole('radio', { name: /^Three MobileNets combined \(default\)/ })).toBeChecked();
  await screenshot(page, 'most-accurate-offline');

  await context.setOffline(false);
  await mostAccurate.check();
  await expect(picker.getByRole('status')).toHaveText(/^Changing it recomputes/, { timeout: 120_000 });
  await expect(mostAccurate).toBeChecked();
  expect(await cachedExtra(), 'model.json and its 55 shards, kept by the service worker').toBe(56);

  await served.stop();
  await context.setOffline(true);
  await openApp(page, 'wasm');
  await page.getByText('Under the hood', { exact: true }).click();
  await expect(picker.getByRole('radio', { name: /^Most accurate/ })).toBeChecked();
  await expect(picker.getByRole('status')).toHaveText(/^Changing it recomputes/);
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(errors).toEqual([]);
});
