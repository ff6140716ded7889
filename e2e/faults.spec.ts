import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { addClass, classCard, expectExampleCount, openApp as openGlance, preview, recordTransientUi, screenshot, trainModel, uploadImages } from './glance';
import { rpsImages } from './paths';

/**
 * The fault suite: ordinary failures and races must never lose or corrupt a person's work. Each case checks the
 * message the person sees, that nothing was lost, and that a reload shows the same.
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'glance-faults-'));

async function openApp(page: Page): Promise<void> {
  await recordTransientUi(page);
  await openGlance(page, 'wasm');
}

/** Two classes of `n` uploads each. */
async function twoClasses(page: Page, n: number): Promise<void> {
  await uploadImages(classCard(page, 'Class 1'), rpsImages('train', 'rock', n));
  await uploadImages(classCard(page, 'Class 2'), rpsImages('train', 'paper', n));
  await expectExampleCount(classCard(page, 'Class 1'), n, 60_000);
  await expectExampleCount(classCard(page, 'Class 2'), n, 60_000);
}

/** Waits until IndexedDB holds the project with `total` samples, each with an embedding. */
async function waitStored(page: Page, total: number): Promise<void> {
  await expect
    .poll(() => storedCounts(page), { timeout: 30_000 })
    .toEqual(expect.objectContaining({ samples: total, embedded: total }));
}

/** What IndexedDB holds now, read from the page. */
async function storedCounts(page: Page): Promise<{ classes: string[]; counts: number[]; samples: number; embedded: number; delay: unknown }> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open('glance');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const d = req.result;
          const tx = d.transaction(['project', 'samples'], 'readonly');
          const proj = tx.objectStore('project').get('current');
          const all = tx.objectStore('samples').getAll();
          tx.oncomplete = () => {
            const p = proj.result as { classes: { name: string; sampleIds: string[] }[]; settings: { recording: { delaySec: unknown } } } | undefined;
            const samples = all.result as { embeddings: Record<string, unknown> }[];
            d.close();
            // The record may be damaged on purpose: read it without trusting its shape.
            const classes = Array.isArray(p?.classes) ? p.classes : [];
            resolve({
              classes: classes.map((c) => c.name),
              counts: classes.map((c) => c.sampleIds.length),
              samples: samples.length,
              embedded: samples.filter((s) => Object.keys(s.embeddings).length > 0).length,
              delay: p?.settings?.recording?.delaySec,
            });
          };
        };
      }),
  );
}

/** Runs `fn` on the open database in the page (damage done on purpose, as failing storage would). */
async function damageStorage(page: Page, what: 'sample' | 'project'): Promise<void> {
  await page.evaluate(
    (kind) =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('glance');
        req.onsuccess = () => {
          const d = req.result;
          const tx = d.transaction(['project', 'samples'], 'readwrite');
          if (kind === 'project') {
            tx.objectStore('project').put({ classes: 'not a list' }, 'current');
          } else {
            const cursor = tx.objectStore('samples').openCursor();
            cursor.onsuccess = () => {
              const c = cursor.result;
              if (!c) return;
              // An undecodable image and no embedding for any base: it must be embedded again, and cannot be.
              c.update({ ...c.value, jpeg: new Blob([new Uint8Array([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9])], { type: 'image/jpeg' }), embeddings: {} });
            };
          }
          tx.oncomplete = () => {
            d.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    what,
  );
}

/** Two classes of `n`, then a 500-epoch training run, seen under way (Under the hood stays open). */
async function startLongTraining(page: Page, n: number): Promise<void> {
  await openApp(page);
  await twoClasses(page, n);
  await page.getByText('Under the hood', { exact: true }).click();
  await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('500');
  await page.getByRole('button', { name: 'Train model', exact: true }).click();
  await expect(page.getByRole('progressbar', { name: 'Training progress', exact: true })).toBeVisible();
}

/** No model in the page: no meters, no trained or out-of-date status. */
async function expectNoModel(page: Page): Promise<void> {
  await expect(preview(page).getByRole('meter')).toHaveCount(0);
  await expect(page.getByText(/Model is out of date|Model trained/)).toHaveCount(0);
}

async function confirmNewProject(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'New project', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Start new project', exact: true }).click();
}

async function openFile(page: Page, file: string): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Open project', exact: true }).click()]);
  await chooser.setFiles(file);
}

function writeTm(name: string, entries: Record<string, Uint8Array>): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, zipSync({ 'manifest.json': strToU8(JSON.stringify({ type: 'image', version: '2.4.10' })), ...entries }, { level: 0 }));
  return file;
}

const jpegBytes = (f: string) => new Uint8Array(fs.readFileSync(f));

test.describe('faults lose nothing', () => {
  test('a damaged stored example is set aside and listed; the rest restores and nothing is written over', async ({ page }) => {
    await openApp(page);
    await twoClasses(page, 6);
    await waitStored(page, 12);
    await damageStorage(page, 'sample');
    await page.reload();
    await expect(page.getByText(/^Backend: /)).toBeVisible({ timeout: 120_000 });
    const notice = page.getByRole('region', { name: 'Examples set aside', exact: true });
    await expect(notice.getByRole('alert')).toHaveText(/^1 example could not be read and was set aside/, { timeout: 60_000 });
    await expect(notice.getByRole('listitem')).toHaveText(/^Example \d of “Class [12]”: its image could not be decoded$/);
    await expectExampleCount(classCard(page, 'Class 1'), 6);
    await expectExampleCount(classCard(page, 'Class 2'), 6);
    await expect(page.getByRole('img', { name: /^Example \d \(could not be read\)$/ })).toHaveCount(1);
    await screenshot(page, 'fault-set-aside');
    // The next edit saves the project again, and keeps the damaged record (the person has not deleted it).
    await addClass(page);
    await expect.poll(() => storedCounts(page)).toEqual(expect.objectContaining({ classes: ['Class 1', 'Class 2', 'Class 3'], counts: [6, 6, 0], samples: 12 }));
    await trainModel(page);
    await expect(page.getByRole('status').filter({ hasText: /\(11 examples\)/ })).toBeVisible();
    await page.reload();
    await expectExampleCount(classCard(page, 'Class 1'), 6, 60_000);
    await expectExampleCount(classCard(page, 'Class 2'), 6);
    await expect(notice.getByRole('listitem')).toHaveCount(1, { timeout: 60_000 });
    // Deleting is the person's choice, and only then is the record gone.
    await notice.getByRole('button', { name: 'Delete the examples set aside', exact: true }).click();
    await expect(notice).toHaveCount(0);
    await expect.poll(() => storedCounts(page)).toEqual(expect.objectContaining({ samples: 11 }));
  });

  test('a saved project that cannot be restored is never written over; starting fresh is a choice', async ({ page }) => {
    await openApp(page);
    await twoClasses(page, 3);
    await waitStored(page, 6);
    await damageStorage(page, 'project');
    await page.reload();
    const notice = page.getByRole('region', { name: 'Saved project not restored', exact: true });
    await expect(notice.getByRole('alert')).toHaveText(/could not be restored from browser storage .* nothing will be saved over it until you choose/);
    await expect(page.getByText('Not saving: the saved project could not be restored', { exact: true })).toBeVisible();
    await addClass(page);
    await uploadImages(classCard(page, 'Class 1'), rpsImages('train', 'scissors', 1));
    await expectExampleCount(classCard(page, 'Class 1'), 1, 60_000);
    await page.waitForTimeout(1000);
    expect((await storedCounts(page)).samples, 'the six stored examples are untouched').toBe(6);
    await page.reload();
    await expect(notice.getByRole('alert')).toBeVisible({ timeout: 60_000 });
    // Saving what was readable is one of the choices: every stored example, one folder per saved class.
    const [download] = await Promise.all([page.waitForEvent('download'), notice.getByRole('button', { name: 'Download the stored examples', exact: true }).click()]);
    const saved = path.join(tmp, 'stored.zip');
    await download.saveAs(saved);
    const entries = Object.keys(unzipSync(new Uint8Array(fs.readFileSync(saved)))).filter((n) => n.endsWith('.jpg'));
    expect(entries).toHaveLength(6);
    expect(new Set(entries.map((n) => n.split('/')[0])).size).toBe(2);
    await notice.getByRole('button', { name: 'Start a new project', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('deleted from browser storage for good');
    await dialog.getByRole('button', { name: 'Start new project', exact: true }).click();
    await expect(notice).toHaveCount(0);
    await expect(page.getByText(/^Saved in this browser/)).toBeVisible();
    await expect.poll(() => storedCounts(page)).toEqual(expect.objectContaining({ classes: ['Class 1', 'Class 2'], samples: 0 }));
  });

  test('New project during training: the old model never lands in the new project, even after a reload', async ({ page }) => {
    await startLongTraining(page, 6);
    await confirmNewProject(page);
    await expectExampleCount(classCard(page, 'Class 1'), 0);
    await page.waitForTimeout(3000); // long enough for the stopped run to come back with its best epoch
    await expectNoModel(page);
    await page.reload();
    await expect(page.getByText(/^Backend: /)).toBeVisible({ timeout: 120_000 });
    await expectExampleCount(classCard(page, 'Class 1'), 0);
    await expectNoModel(page);
  });

  test('the image model cannot change under a training run, and Train waits for a switch', async ({ page }) => {
    await startLongTraining(page, 4);
    const picker = page.getByRole('group', { name: 'Image model', exact: true });
    await expect(picker.getByRole('radio', { name: /^MobileNet v1 0\.25 \(fastest\)/ })).toBeDisabled();
    await page.getByRole('button', { name: 'Stop training', exact: true }).click();
    await expect(page.getByRole('progressbar', { name: 'Training progress', exact: true })).toHaveCount(0, { timeout: 60_000 });
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('30');
    // The switch may take only a few frames (the bases' files are already in memory): record what the page showed.
    await page.evaluate(() => {
      const w = window as unknown as { trainDisabledWhileSwitching?: boolean };
      new MutationObserver(() => {
        const button = Array.from(document.querySelectorAll('button')).find((b) => b.textContent?.trim() === 'Train model');
        if (button?.disabled && document.body.textContent?.includes('The image model is changing; you can train once it has loaded.')) w.trainDisabledWhileSwitching = true;
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await picker.getByRole('radio', { name: /^MobileNet v1 0\.25 \(fastest\)/ }).check();
    await expect.poll(() => page.evaluate(() => (window as unknown as { trainDisabledWhileSwitching?: boolean }).trainDisabledWhileSwitching)).toBe(true);
    await expect(page.getByRole('button', { name: 'Train model', exact: true })).toBeEnabled({ timeout: 60_000 });
    await trainModel(page);
  });

  test('opening a .tm with one damaged image is refused naming the entry, and the open project survives a reload', async ({ page }) => {
    await openApp(page);
    await twoClasses(page, 4);
    await waitStored(page, 8);
    const good = rpsImages('train', 'scissors', 3).map(jpegBytes);
    const garbage = new Uint8Array([0xff, 0xd8, ...Array.from({ length: 400 }, (_, i) => (i * 37) % 251), 0xff, 0xd9]);
    const file = writeTm('one-bad.tm', { 'hand-!-0.jpg': good[0], 'hand-!-1.jpg': garbage, 'hand-!-2.jpg': good[1], 'fist-!-0.jpg': good[2] });
    await openFile(page, file);
    await page.getByRole('dialog').getByRole('button', { name: 'Replace', exact: true }).click();
    await expect(page.getByRole('alert').filter({ hasText: /"one-bad\.tm" could not be opened: its image "hand-!-1\.jpg" is damaged/ })).toBeVisible();
    await expectExampleCount(classCard(page, 'Class 1'), 4);
    await expect(classCard(page, 'hand')).toHaveCount(0);
    await page.reload();
    await expectExampleCount(classCard(page, 'Class 1'), 4, 60_000);
    await expectExampleCount(classCard(page, 'Class 2'), 4);
    expect(await storedCounts(page)).toEqual(expect.objectContaining({ classes: ['Class 1', 'Class 2'], samples: 8 }));
  });

  test('a project file with a bad head is refused naming it; bad settings load as defaults, never NaN', async ({ page }) => {
    await openApp(page);
    await twoClasses(page, 2);
    await waitStored(page, 4);
    const jpegs = rpsImages('train', 'rock', 2).map(jpegBytes);
    const manifest = (head: unknown) => ({
      format: 'glance-project', formatVersion: 2, appVersion: 'test', createdAt: '', name: 'x',
      classes: [{ name: 'a', samples: ['samples/0/1.jpg'] }, { name: 'b', samples: ['samples/1/1.jpg'] }],
      settings: { recording: { fps: 12 }, training: { epochs: 'lots' } }, embeddings: null, head,
    });
    const files = { 'samples/0/1.jpg': jpegs[0], 'samples/1/1.jpg': jpegs[1] };
    const badHead = path.join(tmp, 'bad-head.glance.zip');
    fs.writeFileSync(badHead, zipSync({
      ...files, 'head/model.json': strToU8('{"modelTopology": {}, "weightsManifest": "nope"}'), 'head/weights.bin': new Uint8Array(8),
      'manifest.json': strToU8(JSON.stringify(manifest({ classIndices: [0, 1], embeddingTransform: 'l2', baseId: 'x', modelPath: 'head/model.json', weightsPath: 'head/weights.bin', summary: {}, history: [] }))),
    }));
    await openFile(page, badHead);
    await expect(page.getByRole('alert').filter({ hasText: /"bad-head\.glance\.zip" is damaged \(the trained model description is not a valid model\.json\)/ })).toBeVisible();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    const settingsOnly = path.join(tmp, 'settings.glance.zip');
    fs.writeFileSync(settingsOnly, zipSync({ ...files, 'manifest.json': strToU8(JSON.stringify(manifest(null))) }));
    await openFile(page, settingsOnly);
    await page.getByRole('dialog').getByRole('button', { name: 'Replace', exact: true }).click();
    await expectExampleCount(classCard(page, 'a'), 1, 60_000);
    await expect.poll(() => storedCounts(page)).toEqual(expect.objectContaining({ classes: ['a', 'b'], samples: 2, delay: 0 }));
    await page.reload();
    await expectExampleCount(classCard(page, 'b'), 1, 60_000);
  });

  test('a reload at any moment while opening a 300-example project shows the old project or the new one, whole', async ({ page }) => {
    test.setTimeout(6 * 60_000);
    await openApp(page);
    await twoClasses(page, 3);
    await waitStored(page, 6);
    const images = [...rpsImages('train', 'rock', 10), ...rpsImages('train', 'paper', 10), ...rpsImages('train', 'scissors', 10)].map(jpegBytes);
    const entries: Record<string, Uint8Array> = {};
    for (let i = 0; i < 300; i++) entries[`${['rock', 'paper', 'scissors'][i % 3]}-!-${Math.floor(i / 3)}.jpg`] = images[i % images.length];
    const file = writeTm('big.tm', entries);
    const outcomes: string[] = [];
    for (const delayMs of [150, 700, 2000]) {
      await openFile(page, file);
      await page.getByRole('dialog').getByRole('button', { name: 'Replace', exact: true }).click();
      await page.waitForTimeout(delayMs);
      await page.reload();
      await expect(page.getByText(/^Backend: /)).toBeVisible({ timeout: 120_000 });
      await expect(page.getByRole('progressbar', { name: 'Restoring project', exact: true })).toHaveCount(0, { timeout: 60_000 });
      const stored = await storedCounts(page);
      const old = JSON.stringify(stored.counts) === '[3,3]' && stored.samples === 6;
      const whole = JSON.stringify(stored.counts) === '[100,100,100]' && stored.samples === 300;
      expect(old || whole, `after a reload at ${delayMs} ms: ${JSON.stringify(stored)}`).toBe(true);
      if (old) {
        await expectExampleCount(classCard(page, 'Class 1'), 3);
      } else {
        for (const name of ['rock', 'paper', 'scissors']) await expectExampleCount(classCard(page, name), 100, 60_000);
      }
      outcomes.push(`${delayMs} ms: ${old ? 'old' : 'new'}`);
      if (whole) break;
    }
    console.log(`reload while opening: ${outcomes.join(', ')}`);
  });

  test('images dropped while the page is still loading its image model are all added, none refused', async ({ page }) => {
    await page.goto('/?backend=wasm');
    await uploadImages(classCard(page, 'Class 1'), rpsImages('train', 'rock', 4));
    await expectExampleCount(classCard(page, 'Class 1'), 4, 120_000);
    await expect(page.getByRole('alert')).toHaveCount(0);
  });

  test('a training worker that cannot start: training runs in the page and says so', async ({ page }) => {
    await page.route(/trainWorker.*\.js/, (route) => route.abort('failed'));
    await openApp(page);
    await twoClasses(page, 4);
    await trainModel(page);
    await expect(page.getByRole('status').filter({ hasText: 'Training ran in this page because the training worker could not start' })).toBeVisible();
    await expect(preview(page).getByRole('meter')).toHaveCount(2);
  });

  test('an engine worker that cannot start: the image model runs in the page, says so, and everything works', async ({ page }) => {
    await page.route(/engineWorker.*\.js/, (route) => route.abort('failed'));
    await openApp(page);
    await expect(page.getByRole('status').filter({ hasText: 'The image model runs in this page because its worker could not start' })).toBeVisible();
    await expect(page.getByText('· in a worker', { exact: true })).toHaveCount(0);
    await twoClasses(page, 4);
    await trainModel(page);
    await expect(preview(page).getByRole('meter')).toHaveCount(2);
  });

  test('another tab that upgrades the database: this page lets go, says so, and keeps its work', async ({ page, context }) => {
    await openApp(page);
    await twoClasses(page, 2);
    await waitStored(page, 4);
    const other = await context.newPage();
    await other.goto('/models/mobilenet_v1_0.25_224_layers/NOTICE');
    const version = await other.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const req = indexedDB.open('glance', 2);
          req.onblocked = () => reject(new Error('blocked: the Glance tab did not let go'));
          req.onsuccess = () => {
            const v = req.result.version;
            req.result.close();
            resolve(v);
          };
          req.onerror = () => reject(req.error);
        }),
    );
    expect(version).toBe(2);
    await other.close();
    await expect(page.getByRole('alert').filter({ hasText: 'A newer Glance opened in another tab and took over browser storage' })).toBeVisible();
    await expectExampleCount(classCard(page, 'Class 1'), 2);
    await expectExampleCount(classCard(page, 'Class 2'), 2);
  });
});
