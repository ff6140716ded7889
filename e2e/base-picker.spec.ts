import path from 'node:path';
import type { Page } from '@playwright/test';
import { expectValidExport, readZip } from './exported-model';
import { expect, test } from './fixtures';
import {
  argmax, classCard, exportModel, expectExampleCount, openApp, preview, recordTransientUi, renameClass, screenshot, testImage, trainModel, uploadImages,
} from './glance';
import { repoRoot, rpsImages } from './paths';

const LABELS = ['rock', 'paper'] as const;
const DEFAULT = /^Three MobileNets combined \(default\)/;
const FASTEST = /^MobileNet v1 0\.25 \(fastest\)/;
const MOST_ACCURATE = /^Most accurate \(slower, 10\.4 MB download\)/;

const probe = rpsImages('test', 'rock', 1)[0];

/** How many of 3 held-out images per class the model gets right. */
async function correctOf(page: Page): Promise<number> {
  let correct = 0;
  for (const [label, name] of LABELS.entries()) {
    for (const file of rpsImages('test', name, 3)) if (argmax(await testImage(page, file, LABELS)) === label) correct += 1;
  }
  console.log(`base-picker: ${correct}/6 held-out images right`);
  return correct;
}

/**
 * The "Image model" picker in Under the hood: switching bases keeps every example, recomputes its embedding with
 * the new bases, drops the model trained on the old ones, and the choice survives a reload with the model trained
 * on it.
 */
test('switching the image model re-embeds the examples, asks to retrain, and is remembered', async ({ page }) => {
  test.setTimeout(5 * 60_000);
  await recordTransientUi(page);
  await openApp(page, 'wasm');
  for (const [i, name] of LABELS.entries()) {
    await renameClass(page, `Class ${i + 1}`, name);
    await uploadImages(classCard(page, name), rpsImages('train', name, 10));
  }
  for (const name of LABELS) await expectExampleCount(classCard(page, name), 10, 60_000);
  await trainModel(page);
  expect(await correctOf(page)).toBeGreaterThanOrEqual(5);
  const combined = await testImage(page, probe, LABELS);

  await page.getByText('Under the hood', { exact: true }).click();
  // 10 examples per class: no validation split (one image per class would measure nothing), and the panel says so.
  await expect(page.getByText(/^No validation split this time: with fewer than 20 examples in a class/)).toBeVisible();
  await expect(page.getByRole('table', { name: /^Confusion matrix/ })).toHaveCount(0);
  const picker = page.getByRole('group', { name: 'Image model', exact: true });
  await expect(picker.getByRole('radio', { name: DEFAULT })).toBeChecked();
  await picker.getByRole('radio', { name: FASTEST }).check();

  await expect(page.getByText(/The image model changed, so the old model was removed\. Train again/)).toBeVisible();
  await expect(picker.getByRole('radio', { name: FASTEST })).toBeChecked();
  await expect(preview(page).getByRole('meter')).toHaveCount(0);
  // Every example is still there and gets its new embedding (the picker says when that work is done).
  await expect(picker.getByRole('status')).toHaveText(/^Changing it recomputes/, { timeout: 60_000 });
  for (const name of LABELS) await expectExampleCount(classCard(page, name), 10);
  await screenshot(page, 'base-picker');

  await trainModel(page);
  // Trained on every example's new embedding; a different model (v1 0.25 alone is weaker with 10 examples per
  // class: 3–4 of these 6 right, so its accuracy is not asserted here; npm run eval measures it).
  await expect(page.getByRole('status').filter({ hasText: /^Model trained: .*\(20 examples\)/ })).toBeVisible();
  await correctOf(page);
  const before = await testImage(page, probe, LABELS);
  expect(Math.max(...before.map((p, i) => Math.abs(p - combined[i])))).toBeGreaterThan(0.5);

  await page.waitForTimeout(1200); // autosave lands within ~250 ms
  await page.reload();
  await expect(page.getByText('Backend: WASM', { exact: true })).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Model trained' })).toBeVisible({ timeout: 60_000 });
  for (const name of LABELS) await expectExampleCount(classCard(page, name), 10, 60_000);
  await page.getByText('Under the hood', { exact: true }).click();
  await expect(page.getByRole('group', { name: 'Image model', exact: true }).getByRole('radio', { name: FASTEST })).toBeChecked();
  // The model trained on the chosen bases came back with the project: same prediction without retraining.
  const after = await testImage(page, probe, LABELS);
  after.forEach((p, i) => expect(Math.abs(p - before[i])).toBeLessThanOrEqual(1));
});

/**
 * "Most accurate" (the default bases plus MobileNet v1 0.75, downloaded when first picked): picked before any example,
 * it trains, predicts held-out images, flags "None of these classes", its Glance export carries the fourth base, the
 * choice and the model come back after a reload, and a saved project file opens with its model.
 */
test('"Most accurate" downloads its extra model when picked, trains, predicts, exports and is remembered', async ({ page }, testInfo) => {
  test.setTimeout(5 * 60_000);
  const extra: string[] = [];
  page.on('request', (r) => void (r.url().includes('/models/mobilenet_v1_0.75_224_layers/') && extra.push(r.url())));
  await recordTransientUi(page);
  await openApp(page, 'wasm');
  expect(extra, 'the default image model never fetches the extra 10 MB').toEqual([]);
  await page.getByText('Under the hood', { exact: true }).click();
  const picker = page.getByRole('group', { name: 'Image model', exact: true });
  await picker.getByRole('radio', { name: MOST_ACCURATE }).check();
  await expect(picker.getByRole('radio', { name: MOST_ACCURATE })).toBeChecked();
  await expect(picker.getByRole('status')).toHaveText(/^Changing it recomputes/, { timeout: 120_000 });
  // model.json and its 55 weight shards.
  expect(extra).toHaveLength(56);
  await screenshot(page, 'base-picker-most-accurate');

  for (const [i, name] of LABELS.entries()) {
    await renameClass(page, `Class ${i + 1}`, name);
    await uploadImages(classCard(page, name), rpsImages('train', name, 8));
  }
  for (const name of LABELS) await expectExampleCount(classCard(page, name), 8, 120_000);
  await trainModel(page);
  expect(await correctOf(page)).toBeGreaterThanOrEqual(5);
  const before = await testImage(page, probe, LABELS);
  expect(argmax(before), `the held-out rock image is rock (${before.join(' / ')} %)`).toBe(0);
  // "None of these classes" works on the wider embedding too: a hand is one of the classes, bottles are not.
  const none = preview(page).getByText('None of these classes', { exact: true });
  await expect(none).toHaveCount(0);
  await testImage(page, path.join(repoRoot, 'fixtures', 'ood', 'bottles-03.jpg'), LABELS);
  await expect(none).toBeVisible();

  const { file } = await exportModel(page, testInfo.outputPath('most-accurate.zip'));
  const meta = expectValidExport(readZip(file), LABELS);
  expect(meta.bases.map((b) => [b.id, b.embeddingSize])).toEqual([
    ['mobilenet-v1-025-224', 256], ['mobilenet-v1-025-224-layers', 256], ['tm-mobilenet-v2-035-224', 1280], ['mobilenet-v1-075-224-layers', 768],
  ]);

  await page.waitForTimeout(1200); // autosave lands within ~250 ms
  await page.reload();
  await expect(page.getByText('Backend: WASM', { exact: true })).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Model trained' })).toBeVisible({ timeout: 60_000 });
  await page.getByText('Under the hood', { exact: true }).click();
  await expect(page.getByRole('group', { name: 'Image model', exact: true }).getByRole('radio', { name: MOST_ACCURATE })).toBeChecked();
  const after = await testImage(page, probe, LABELS);
  after.forEach((p, i) => expect(Math.abs(p - before[i])).toBeLessThanOrEqual(1));

  // A project file made with it opens with its model (the embeddings and head carry the combined id).
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save project', exact: true }).click()]);
  const saved = testInfo.outputPath('most-accurate.glance.zip');
  await download.saveAs(saved);
  await page.getByRole('button', { name: 'New project', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Start new project', exact: true }).click();
  await expectExampleCount(classCard(page, 'Class 1'), 0);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Open project', exact: true }).click()]);
  await chooser.setFiles(saved);
  await page.getByRole('dialog').getByRole('button', { name: 'Replace', exact: true }).click();
  for (const name of LABELS) await expectExampleCount(classCard(page, name), 8, 60_000);
  const opened = await testImage(page, probe, LABELS);
  opened.forEach((p, i) => expect(Math.abs(p - before[i])).toBeLessThanOrEqual(1));
});
