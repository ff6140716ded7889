import { expect, test } from './fixtures';
import { addClass, classCard, expectExampleCount, openApp, recordTransientUi, renameClass, screenshot, trainModel, uploadImages } from './glance';
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
