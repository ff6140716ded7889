import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { addClass, classCard, expectExampleCount, openApp as openGlance, preview, recordTransientUi, renameClass, screenshot, testImage, trainModel, uploadImages } from './glance';
import { rpsImages } from './paths';

const LABELS = ['rock', 'paper', 'scissors'] as const;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'glance-persist-'));
const probe = rpsImages('test', 'paper', 3)[1];

/** Opens the app on WASM (fast here) and records transient UI, which `trainModel` checks. */
async function openApp(page: Page, backend: 'wasm'): Promise<void> {
  await recordTransientUi(page);
  await openGlance(page, backend);
}

/** Three classes of 20 fixture images each, renamed rock/paper/scissors. */
async function makeProject(page: Page, perClass = 20): Promise<void> {
  await addClass(page);
  for (const [i, name] of LABELS.entries()) {
    await renameClass(page, `Class ${i + 1}`, name);
    await uploadImages(classCard(page, name), rpsImages('train', name, perClass));
  }
  for (const name of LABELS) await expectExampleCount(classCard(page, name), perClass, 60_000);
}

async function snapshot(page: Page) {
  const regions = page.locator('section[aria-label]').filter({ has: page.getByRole('textbox', { name: 'Class name', exact: true }) });
  const names = await regions.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  const counts: string[] = [];
  const thumbs: number[] = [];
  for (const name of names) {
    const card = classCard(page, name!);
    counts.push((await card.getByText(/^\d+ examples?$/).textContent()) ?? '');
    thumbs.push(await card.getByRole('img', { name: /^Example \d+$/ }).count());
  }
  return { names, counts, thumbs };
}

async function waitSaved(page: Page): Promise<void> {
  // Autosave lands within ~250 ms; leave a margin so the reload tests what a person would see.
  await page.waitForTimeout(1200);
}

/**
 * What the app's IndexedDB database holds, read from inside `page`: the saved project (class names, counts, save
 * time) and the keys of every stored sample and head.
 */
async function readStorage(page: Page): Promise<{ project: unknown; samples: string[]; heads: string[] }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('glance');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const read = <T>(store: string, what: (s: IDBObjectStore) => IDBRequest<T>) => new Promise<T>((resolve, reject) => {
      const request = what(db.transaction(store, 'readonly').objectStore(store));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      type Saved = { classes: { name: string; sampleIds: string[] }[]; savedAt: number };
      const project = (await read('project', (s) => s.get('current'))) as Saved | undefined;
      return {
        project: project ? { classes: project.classes.map((c) => `${c.name}: ${c.sampleIds.length}`), savedAt: project.savedAt } : null,
        samples: (await read('samples', (s) => s.getAllKeys())).map(String).sort(),
        heads: (await read('head', (s) => s.getAllKeys())).map(String).sort(),
      };
    } finally {
      db.close();
    }
  });
}

async function saveProjectFile(page: Page, name: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save project', exact: true }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.glance\.zip$/);
  const file = path.join(tmp, name);
  await download.saveAs(file);
  return file;
}

async function openProjectFile(page: Page, file: string): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Open project', exact: true }).click()]);
  await chooser.setFiles(file);
}

test.describe('work is never lost', () => {
  test('reload brings back classes, order, counts, thumbnails and the trained model', async ({ page }) => {
    test.setTimeout(6 * 60_000);
    await openApp(page, 'wasm');
    await makeProject(page);
    // Webcam examples too: record into "rock" for a moment.
    const rock = classCard(page, 'rock');
    await rock.getByRole('button', { name: 'Webcam', exact: true }).click();
    const hold = rock.getByRole('button', { name: 'Hold to record', exact: true });
    await hold.hover();
    await page.mouse.down();
    await page.waitForTimeout(800);
    await page.mouse.up();
    await rock.getByRole('button', { name: 'Close webcam', exact: true }).click();
    await trainModel(page);
    const before = await testImage(page, probe, LABELS);
    const saved = await snapshot(page);
    expect(Number.parseInt(saved.counts[0], 10)).toBeGreaterThan(20);
    await waitSaved(page);

    await page.reload();
    await expect(page.getByText(/^Backend: /)).toBeVisible({ timeout: 120_000 });
    await expect(page.getByRole('status').filter({ hasText: 'Model trained' })).toBeVisible({ timeout: 60_000 });
    expect(await snapshot(page)).toEqual(saved);
    const after = await testImage(page, probe, LABELS);
    after.forEach((v, i) => expect(Math.abs(v - before[i])).toBeLessThan(0.01));
    await screenshot(page, 'restored-after-reload');
  });

  test('reload during recording keeps every frame counted a second before', async ({ page }) => {
    await openApp(page, 'wasm');
    const card = classCard(page, 'Class 1');
    await card.getByRole('button', { name: 'Webcam', exact: true }).click();
    const hold = card.getByRole('button', { name: 'Hold to record', exact: true });
    await hold.hover();
    await page.mouse.down();
    const countNow = async () => Number.parseInt((await card.getByText(/^\d+ examples?$/).textContent()) ?? '0', 10);
    await expect.poll(countNow, { timeout: 20_000 }).toBeGreaterThan(3);
    const counted = await countNow();
    await page.waitForTimeout(1000); // a second after those frames, still recording
    await page.reload();
    await expect(page.getByText(/^Backend: /)).toBeVisible({ timeout: 120_000 });
    await expect(page.getByRole('progressbar', { name: 'Restoring project', exact: true })).toHaveCount(0, { timeout: 60_000 });
    const restored = Number.parseInt((await classCard(page, 'Class 1').getByText(/^\d+ examples?$/).textContent()) ?? '0', 10);
    expect(restored).toBeGreaterThanOrEqual(counted);
  });

  test('reload during training keeps the samples and the last trained model', async ({ page }) => {
    test.setTimeout(5 * 60_000);
    await openApp(page, 'wasm');
    await makeProject(page, 8);
    await trainModel(page);
    await uploadImages(classCard(page, 'rock'), rpsImages('train', 'rock', 20).slice(8, 10));
    await expectExampleCount(classCard(page, 'rock'), 10);
    // Autosave writes within ~250 ms of a change, later on a loaded machine: the reload below is about training, so
    // it waits until the two new examples are in IndexedDB (a reload right after adding them once lost them).
    await expect.poll(async () => (await readStorage(page)).samples.length, { timeout: 10_000 }).toBe(26);
    // Long enough that the reload surely lands mid-training.
    await page.getByText('Under the hood').click();
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('400');
    await page.getByRole('button', { name: 'Train model', exact: true }).click();
    await expect(page.getByRole('progressbar', { name: 'Training progress', exact: true })).toBeVisible();
    await page.reload();
    await expect(page.getByText(/^Backend: /)).toBeVisible({ timeout: 120_000 });
    await expectExampleCount(classCard(page, 'rock'), 10, 60_000);
    await expectExampleCount(classCard(page, 'scissors'), 8);
    await expect(page.getByRole('status').filter({ hasText: 'Model is out of date' })).toBeVisible({ timeout: 60_000 });
    await testImage(page, probe, LABELS);
    await trainModel(page);
  });

  test('a second tab says it will not save, and writes nothing to browser storage', async ({ page, context }) => {
    await openApp(page, 'wasm');
    await uploadImages(classCard(page, 'Class 1'), rpsImages('train', 'rock', 3));
    await expectExampleCount(classCard(page, 'Class 1'), 3);
    await waitSaved(page);
    const saved = await readStorage(page);
    expect(saved.samples, 'the first tab saved its examples').toHaveLength(3);

    const other = await context.newPage();
    await other.goto('/?backend=wasm');
    await expect(other.getByRole('alert').filter({ hasText: 'another tab' })).toBeVisible();
    await expect(other.getByText(/^Backend: /)).toBeVisible({ timeout: 120_000 });
    // Changes in the second tab that autosave would write at once: examples, a class name, a new class.
    await expectExampleCount(classCard(other, 'Class 1'), 3, 60_000);
    await uploadImages(classCard(other, 'Class 2'), rpsImages('train', 'paper', 2));
    await expectExampleCount(classCard(other, 'Class 2'), 2);
    await renameClass(other, 'Class 1', 'renamed in tab 2');
    await addClass(other);
    await waitSaved(other);
    expect(await readStorage(other), 'browser storage, read in the second tab, is what the first tab saved').toEqual(saved);
    await other.close();
  });

  test('full storage: a clear message, nothing lost in the page, Save project still works', async ({ page, context, baseURL }) => {
    test.setTimeout(4 * 60_000);
    await openApp(page, 'wasm');
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin, quotaSize: 64 * 1024 });
    await makeProject(page, 6);
    await expect(page.getByRole('alert').filter({ hasText: /storage/i }).first()).toBeVisible({ timeout: 30_000 });
    for (const name of LABELS) await expectExampleCount(classCard(page, name), 6);
    const file = await saveProjectFile(page, 'quota.glance.zip');
    const manifest = JSON.parse(new TextDecoder().decode(unzipSync(new Uint8Array(fs.readFileSync(file)))['manifest.json']));
    expect(manifest.classes.map((c: { samples: string[] }) => c.samples.length)).toEqual([6, 6, 6]);
  });
});

test.describe('project files', () => {
  test('save → new project → open gives back the identical project and predictions', async ({ page }) => {
    test.setTimeout(5 * 60_000);
    await openApp(page, 'wasm');
    await makeProject(page, 8);
    await trainModel(page);
    const before = await testImage(page, probe, LABELS);
    const saved = await snapshot(page);
    const file = await saveProjectFile(page, 'roundtrip.glance.zip');

    await page.getByRole('button', { name: 'New project', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('button', { name: 'Cancel', exact: true })).toBeVisible();
    await dialog.getByRole('button', { name: 'Start new project', exact: true }).click();
    await expectExampleCount(classCard(page, 'Class 1'), 0);
    await expectExampleCount(classCard(page, 'Class 2'), 0);
    await expect(classCard(page, 'rock')).toHaveCount(0);
    await expect(preview(page).getByRole('meter')).toHaveCount(0);

    await openProjectFile(page, file);
    await page.getByRole('dialog').getByRole('button', { name: 'Replace', exact: true }).click();
    await expectExampleCount(classCard(page, 'scissors'), 8, 60_000);
    expect(await snapshot(page)).toEqual(saved);
    const after = await testImage(page, probe, LABELS);
    after.forEach((v, i) => expect(Math.abs(v - before[i])).toBeLessThan(0.01));
  });

  test('broken project files are refused with an alert and change nothing', async ({ page }) => {
    await openApp(page, 'wasm');
    await uploadImages(classCard(page, 'Class 1'), rpsImages('train', 'rock', 3));
    await expectExampleCount(classCard(page, 'Class 1'), 3);
    const good = zipSync({ 'manifest.json': strToU8(JSON.stringify({ format: 'glance-project', formatVersion: 2, classes: [] })) });
    const cases: [string, Uint8Array | null][] = [
      ['not-a-zip.glance.zip', strToU8('just some text, not a zip')],
      ['truncated.glance.zip', good.slice(0, Math.floor(good.length / 2))],
      ['corrupt.glance.zip', zipSync({ 'manifest.json': strToU8('{broken json') })],
      ['huge.glance.zip', null],
    ];
    for (const [name, bytes] of cases) {
      const file = path.join(tmp, name);
      if (bytes) fs.writeFileSync(file, bytes);
      else fs.truncateSync((fs.writeFileSync(file, ''), file), 1024 * 1024 * 1024 + 1); // sparse: no disk used
      await openProjectFile(page, file);
      await expect(page.getByRole('alert').filter({ hasText: name })).toBeVisible();
      await expect(page.getByRole('dialog')).toHaveCount(0);
      await expectExampleCount(classCard(page, 'Class 1'), 3);
      await expect(classCard(page, 'Class 2')).toBeVisible();
    }
  });

  test('a Teachable Machine .tm project imports with its classes and counts', async ({ page }) => {
    await openApp(page, 'wasm');
    const entries: Record<string, Uint8Array> = { 'manifest.json': strToU8(JSON.stringify({ type: 'image', version: '2.4.10' })) };
    const counts = { scissors: 4, rock: 6, paper: 5 };
    for (const [cls, n] of Object.entries(counts)) {
      rpsImages('train', cls as (typeof LABELS)[number], n).forEach((f, i) => (entries[`${cls}-!-${i}.jpg`] = new Uint8Array(fs.readFileSync(f))));
    }
    const file = path.join(tmp, 'rps.tm');
    fs.writeFileSync(file, zipSync(entries, { level: 0 }));
    await openProjectFile(page, file);
    await page.getByRole('dialog').getByRole('button', { name: 'Replace', exact: true }).click();
    for (const [cls, n] of Object.entries(counts)) await expectExampleCount(classCard(page, cls), n, 60_000);
    const order = await page.getByRole('textbox', { name: 'Class name', exact: true }).evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(order).toEqual(['scissors', 'rock', 'paper']);
    await trainModel(page);
  });

  test('Export dataset writes one folder per class with every example', async ({ page }) => {
    await openApp(page, 'wasm');
    await makeProject(page, 4);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export dataset', exact: true }).click()]);
    const file = path.join(tmp, 'dataset.zip');
    await download.saveAs(file);
    const names = Object.keys(unzipSync(new Uint8Array(fs.readFileSync(file))));
    for (const cls of LABELS) expect(names.filter((n) => n.startsWith(`${cls}/`) && n.endsWith('.jpg'))).toHaveLength(4);
    expect(names).toHaveLength(12);
  });
});
