import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  addClass, argmax, classCard, exampleCount, expectExampleCount, exportModel, openApp, preview, readMeters, recordTransientUi, renameClass,
  testImage, trainModel, uploadImages,
} from './glance';
import { rpsImages } from './paths';

const OUT_OF_DATE = 'Model is out of date';

function nameBox(page: Page, className: string) {
  return classCard(page, className).getByRole('textbox', { name: 'Class name', exact: true });
}

test('classes can be added, renamed on Enter or blur, and refuse empty or duplicate names', async ({ page }) => {
  await openApp(page, 'wasm');
  await expect(page.getByRole('region', { name: /^Class \d+$/ })).toHaveCount(2);
  await addClass(page);
  await expect(classCard(page, 'Class 3')).toBeVisible();
  await expect(nameBox(page, 'Class 3')).toHaveValue('Class 3');

  await renameClass(page, 'Class 3', 'dogs');

  // Typing alone does not rename; blur commits.
  const box = nameBox(page, 'dogs');
  await box.fill('cats');
  await expect(classCard(page, 'dogs')).toBeVisible();
  await expect(classCard(page, 'cats')).toHaveCount(0);
  await box.blur();
  await expect(classCard(page, 'cats')).toBeVisible();
  await expect(classCard(page, 'dogs')).toHaveCount(0);

  const cats = nameBox(page, 'cats');
  await expect(cats).not.toHaveAttribute('aria-invalid', 'true');
  await cats.fill('');
  await cats.press('Enter');
  await expect(cats).toHaveAttribute('aria-invalid', 'true');
  await expect(cats).toHaveAccessibleDescription(/\S/);
  await expect(classCard(page, 'cats'), 'an empty name leaves the name unchanged').toBeVisible();

  await cats.fill('Class 1');
  await cats.press('Enter');
  await expect(cats).toHaveAttribute('aria-invalid', 'true');
  await expect(cats).toHaveAccessibleDescription(/already|another|duplicate|unique|taken|exists|in use|Class 1/i);
  await expect(classCard(page, 'cats'), 'a duplicate name leaves the name unchanged').toBeVisible();
  await expect(classCard(page, 'Class 1')).toHaveCount(1);

  await cats.fill('birds');
  await cats.press('Enter');
  await expect(classCard(page, 'birds')).toBeVisible();
  await expect(nameBox(page, 'birds')).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('region', { name: /^(Class \d+|birds)$/ })).toHaveCount(3);
});

test('examples and classes can be deleted at once, with Undo offered instead of a confirmation', async ({ page }) => {
  await openApp(page, 'wasm');
  const first = classCard(page, 'Class 1');
  await uploadImages(first, rpsImages('train', 'rock', 3));
  await expectExampleCount(first, 3);
  await expect(first.getByRole('img', { name: /^Example \d+$/ })).toHaveCount(3);
  await first.getByRole('button', { name: 'Delete example 1', exact: true }).click();
  await expectExampleCount(first, 2);
  await expect(first.getByRole('img', { name: /^Example \d+$/ })).toHaveCount(2);

  await addClass(page);
  const third = classCard(page, 'Class 3');
  await third.getByRole('button', { name: 'Delete class', exact: true }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(third).toHaveCount(0);
  await expect(page.getByRole('status').getByRole('button', { name: 'Undo', exact: true })).toBeVisible();
  await expect(classCard(page, 'Class 1')).toBeVisible();
  await expect(classCard(page, 'Class 2')).toBeVisible();
  await expectExampleCount(first, 2);
});

test('training with examples in only one class says what to add', async ({ page }) => {
  await openApp(page, 'wasm');
  await page.getByRole('button', { name: 'Train model', exact: true }).click();
  await expect(page.getByRole('alert').first()).toContainText(/example/i);

  const first = classCard(page, 'Class 1');
  await uploadImages(first, rpsImages('train', 'rock', 4));
  await expectExampleCount(first, 4);
  const alerts = await page.getByRole('alert').count();
  await page.getByRole('button', { name: 'Train model', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveCount(alerts + 1);
  await expect(page.getByRole('alert').last()).toContainText(/example/i);
  await expect(page.getByRole('progressbar', { name: 'Training progress', exact: true })).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Model trained' })).toHaveCount(0);
});

/** Opens the app with 10 rock and 10 paper images in Class 1 / Class 2 and a trained model. */
async function trainedOnTwoClasses(page: Page): Promise<void> {
  await recordTransientUi(page);
  await openApp(page, 'wasm');
  await uploadImages(classCard(page, 'Class 1'), rpsImages('train', 'rock', 10));
  await uploadImages(classCard(page, 'Class 2'), rpsImages('train', 'paper', 10));
  await expectExampleCount(classCard(page, 'Class 1'), 10);
  await expectExampleCount(classCard(page, 'Class 2'), 10);
  await trainModel(page);
  await expect(page.getByRole('status').filter({ hasText: OUT_OF_DATE })).toHaveCount(0);
  await readMeters(page, ['Class 1', 'Class 2']);
}

test('renaming a class renames its meter and keeps the model current; new data makes it out of date but still usable', async ({ page }, testInfo) => {
  await trainedOnTwoClasses(page);
  const [rockTest, paperTest] = [rpsImages('test', 'rock', 1)[0], rpsImages('test', 'paper', 1)[0]];
  const paperBefore = await testImage(page, paperTest, ['Class 1', 'Class 2']);
  expect(argmax(paperBefore), `the paper image is Class 2 (${paperBefore.join(' / ')} %)`).toBe(1);
  const before = await testImage(page, rockTest, ['Class 1', 'Class 2']);
  expect(argmax(before), `the rock image is Class 1 (${before.join(' / ')} %)`).toBe(0);

  await renameClass(page, 'Class 1', 'rock');
  const area = preview(page);
  await expect(area.getByRole('meter', { name: 'rock', exact: true })).toBeVisible();
  await expect(area.getByRole('meter', { name: 'Class 1', exact: true })).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: OUT_OF_DATE })).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Model trained' })).toBeVisible();

  await uploadImages(classCard(page, 'rock'), rpsImages('train', 'rock', 11).slice(-1));
  await expectExampleCount(classCard(page, 'rock'), 11);
  await expect(page.getByRole('status').filter({ hasText: OUT_OF_DATE })).toBeVisible();

  // The last model keeps predicting, with the same numbers, and exporting.
  expect(await testImage(page, paperTest, ['rock', 'Class 2'])).toEqual(paperBefore);
  expect(await testImage(page, rockTest, ['rock', 'Class 2'])).toEqual(before);
  const saved = await exportModel(page, testInfo.outputPath('out-of-date.zip'));
  expect(saved.suggested).toMatch(/\.zip$/);
});

const CHANGES: { name: string; change: (page: Page) => Promise<void> }[] = [
  {
    name: 'deleting an example',
    change: async (page) => {
      await classCard(page, 'Class 1').getByRole('button', { name: 'Delete example 1', exact: true }).click();
      await expectExampleCount(classCard(page, 'Class 1'), 9);
    },
  },
  {
    name: 'adding a class',
    change: async (page) => {
      await addClass(page);
      await expect(classCard(page, 'Class 3')).toBeVisible();
    },
  },
  {
    name: 'deleting a class',
    change: async (page) => {
      await classCard(page, 'Class 2').getByRole('button', { name: 'Delete class', exact: true }).click();
      await expect(classCard(page, 'Class 2')).toHaveCount(0);
    },
  },
];

for (const { name, change } of CHANGES) {
  test(`${name} after training makes the model out of date and it keeps predicting`, async ({ page }) => {
    await trainedOnTwoClasses(page);
    await change(page);
    await expect(page.getByRole('status').filter({ hasText: OUT_OF_DATE })).toBeVisible();
    await expect(preview(page).getByRole('meter')).toHaveCount(2);
  });
}

test('"Stop training" after the first epoch keeps a working model', async ({ page }) => {
  await recordTransientUi(page);
  await openApp(page, 'wasm');
  await uploadImages(classCard(page, 'Class 1'), rpsImages('train', 'rock', 40));
  await uploadImages(classCard(page, 'Class 2'), rpsImages('train', 'paper', 40));
  await expectExampleCount(classCard(page, 'Class 1'), 40, 120_000);
  await expectExampleCount(classCard(page, 'Class 2'), 40, 120_000);
  // Training runs in a worker and is fast: give it enough epochs that "Stop training" lands mid-way.
  await page.getByText('Under the hood').click();
  await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('400');
  await page.getByRole('button', { name: 'Train model', exact: true }).click();
  const progress = page.getByRole('progressbar', { name: 'Training progress', exact: true });
  await expect.poll(async () => Number(await progress.getAttribute('aria-valuenow')), { intervals: [50] }).toBeGreaterThanOrEqual(1);
  await page.getByRole('button', { name: 'Stop training', exact: true }).click();
  await expect(progress).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Model trained' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'stopped after' })).toBeVisible();
  // The kept model is a trained one: it tells a held-out rock from a held-out paper (an untrained head would not).
  const [rockTest, paperTest] = [rpsImages('test', 'rock', 1)[0], rpsImages('test', 'paper', 1)[0]];
  const rock = await testImage(page, rockTest, ['Class 1', 'Class 2']);
  expect(argmax(rock), `the rock image is Class 1 (${rock.join(' / ')} %)`).toBe(0);
  const paper = await testImage(page, paperTest, ['Class 1', 'Class 2']);
  expect(argmax(paper), `the paper image is Class 2 (${paper.join(' / ')} %)`).toBe(1);
});

test('"Cancel upload" stops adding at once: the class keeps what it showed, nothing is added later, no alert', async ({ page }) => {
  await openApp(page, 'wasm');
  const card = classCard(page, 'Class 1');
  const rock = rpsImages('train', 'rock');
  const files = Array.from({ length: 120 }, (_, i) => rock[i % rock.length]);
  await uploadImages(card, files);
  const bar = card.getByRole('progressbar', { name: 'Adding images', exact: true });
  await expect(bar).toBeVisible();
  // Let some examples in first, so cancelling has something to keep.
  await expect.poll(() => exampleCount(card), { timeout: 60_000 }).toBeGreaterThan(0);
  await card.getByRole('button', { name: 'Cancel upload', exact: true }).click();
  await expect(bar).toHaveCount(0);
  const kept = await exampleCount(card);
  expect(kept).toBeGreaterThan(0);
  expect(kept).toBeLessThan(files.length);
  // Files that were being read when Cancel was clicked are let go, not added a moment later.
  await page.waitForTimeout(1500);
  expect(await exampleCount(card)).toBe(kept);
  await expect(page.getByRole('alert')).toHaveCount(0);
  // The class takes a new upload as before.
  await uploadImages(card, rock.slice(0, 3));
  await expectExampleCount(card, kept + 3, 60_000);
});
