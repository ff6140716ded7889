import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';
import {
  addClass, argmax, classCard, expectExampleCount, openApp, recordTransientUi, renameClass, screenshot, seenOnPage, testImage, trainModel, uploadImages,
} from './glance';
import { RPS_CLASSES, rpsImages } from './paths';

test('"Under the hood" shows one row per class and a confusion matrix that sums to the validation size', async ({ page }) => {
  await recordTransientUi(page);
  await openApp(page, 'wasm');
  await addClass(page);
  for (const [i, name] of RPS_CLASSES.entries()) {
    await renameClass(page, `Class ${i + 1}`, name);
    await uploadImages(classCard(page, name), rpsImages('train', name, 20));
  }
  for (const name of RPS_CLASSES) await expectExampleCount(classCard(page, name), 20, 60_000);
  await trainModel(page);

  await page.getByText('Under the hood', { exact: true }).click();
  const perClass = page.getByRole('table', { name: 'Accuracy per class (validation)' });
  await expect(perClass.getByRole('rowheader')).toHaveText([...RPS_CLASSES]);
  // 15 % of 20 examples per class are held out: 3 per class, 9 in all.
  const matrix = page.getByRole('table', { name: /^Confusion matrix/ });
  await expect(matrix.getByRole('rowheader')).toHaveText([...RPS_CLASSES]);
  const cells = (await matrix.getByRole('cell').allTextContents()).filter((t) => t.trim() !== '').map(Number);
  expect(cells).toHaveLength(9);
  expect(cells.reduce((a, b) => a + b, 0)).toBe(9);
  // Every epoch is in the table alternative to the charts.
  await page.getByText('Training history as a table', { exact: true }).click();
  const history = page.getByRole('table', { name: 'Training history' });
  await expect(history.getByRole('rowheader')).toHaveCount(30);
  await expect(page.getByRole('img', { name: /^Accuracy per epoch/ })).toBeVisible();

  // Advanced settings change what training does, and reset restores the defaults.
  const epochs = page.getByRole('spinbutton', { name: 'Epochs', exact: true });
  await epochs.fill('12');
  await trainModel(page);
  await expect(history.getByRole('rowheader')).toHaveCount(12);
  await page.getByRole('button', { name: 'Reset to defaults', exact: true }).click();
  await expect(epochs).toHaveValue('30');
  await screenshot(page, 'under-the-hood');
});

/** The value texts the Training progress bar showed while it made augmented copies. */
async function preparingTexts(page: Page): Promise<string[]> {
  return (await seenOnPage(page)).progressTexts.filter((t) => t.startsWith('Preparing augmented copies'));
}

test('"Augment examples" makes augmented copies before training, survives a reload and is reset to off', async ({ page }) => {
  const PER_CLASS = 4;
  const total = 2 * PER_CLASS;
  await recordTransientUi(page);
  await openApp(page, 'wasm');
  await uploadImages(classCard(page, 'Class 1'), rpsImages('train', 'rock', PER_CLASS));
  await uploadImages(classCard(page, 'Class 2'), rpsImages('train', 'paper', PER_CLASS));
  await expectExampleCount(classCard(page, 'Class 1'), PER_CLASS, 60_000);
  await expectExampleCount(classCard(page, 'Class 2'), PER_CLASS, 60_000);

  await page.getByText('Under the hood', { exact: true }).click();
  const augment = page.getByRole('checkbox', { name: 'Augment examples (flips, crops, colour)', exact: true });
  await expect(augment).not.toBeChecked();
  await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('8');
  await augment.focus();
  await page.keyboard.press('Space');
  await expect(augment).toBeChecked();
  await screenshot(page, 'augment-setting');

  await trainModel(page);
  // Every sample got its copies, counted on the Training progress bar before the epochs.
  expect(await preparingTexts(page)).toContain(`Preparing augmented copies: ${total} / ${total} examples`);
  const trained = page.getByRole('status').filter({ hasText: 'Model trained' });
  await expect(trained).toContainText(new RegExp(`\\(${total} examples \\+ \\d+ augmented copies\\)`));
  // Trained, not just built: held-out rock and paper images get their own class.
  const [rockTest, paperTest] = [rpsImages('test', 'rock', 1)[0], rpsImages('test', 'paper', 1)[0]];
  const rock = await testImage(page, rockTest, ['Class 1', 'Class 2']);
  expect(argmax(rock), `the rock image is Class 1 (${rock.join(' / ')} %)`).toBe(0);
  const paper = await testImage(page, paperTest, ['Class 1', 'Class 2']);
  expect(argmax(paper), `the paper image is Class 2 (${paper.join(' / ')} %)`).toBe(1);

  // The setting is saved with the project; the copies are not, so the next training makes them again.
  await page.reload();
  await expect(page.getByText(/^Backend: /)).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole('progressbar', { name: 'Restoring project', exact: true })).toHaveCount(0, { timeout: 60_000 });
  await expectExampleCount(classCard(page, 'Class 1'), PER_CLASS);
  await page.getByText('Under the hood', { exact: true }).click();
  await expect(augment).toBeChecked();
  await trainModel(page);
  expect(await preparingTexts(page)).toContain(`Preparing augmented copies: ${total} / ${total} examples`);

  // A second training in the same page reuses the copies in memory: nothing to prepare.
  await trainModel(page);
  expect(await preparingTexts(page)).toEqual([]);
  await expect(trained).toContainText('augmented copies');

  await page.getByRole('button', { name: 'Reset to defaults', exact: true }).click();
  await expect(augment).not.toBeChecked();
  await trainModel(page);
  expect(await preparingTexts(page)).toEqual([]);
  await expect(trained).not.toContainText('augmented');
});
