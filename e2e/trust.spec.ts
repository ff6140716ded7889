import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { addClass, classCard, expectExampleCount, openApp, preview, recordTransientUi, renameClass, screenshot, testImage, trainModel, uploadImages } from './glance';
import { repoRoot, rpsImages } from './paths';

const LABELS = ['rock', 'paper'] as const;

/** A committed frame of a clip of bottles on a table (fixtures/ood, CC BY 4.0): nothing like a hand gesture. */
function somethingElse(): string {
  return path.join(repoRoot, 'fixtures', 'ood', 'bottles-03.jpg');
}

function dataChecks(page: Page): Locator {
  return page.getByRole('region', { name: 'Data checks', exact: true });
}

function finding(page: Page, text: string | RegExp): Locator {
  return dataChecks(page).getByRole('listitem').filter({ hasText: text });
}

test('knows when not to trust the model: None of these, its threshold, data checks with their actions', async ({ page }) => {
  test.setTimeout(180_000);
  await recordTransientUi(page);
  await openApp(page, 'wasm');
  await renameClass(page, 'Class 1', 'rock');
  await renameClass(page, 'Class 2', 'paper');
  await uploadImages(classCard(page, 'rock'), rpsImages('train', 'rock', 12));
  await uploadImages(classCard(page, 'paper'), rpsImages('train', 'paper', 12));
  await expectExampleCount(classCard(page, 'rock'), 12);
  await expectExampleCount(classCard(page, 'paper'), 12);
  // Shown before training too; checked again after every change of the data.
  await expect(dataChecks(page).getByRole('heading', { name: 'Data checks' })).toBeVisible();
  await expect(dataChecks(page).getByText('Add examples and the checks appear here.')).toHaveCount(0);
  await trainModel(page);

  const none = preview(page).getByText('None of these classes', { exact: true });
  const slider = preview(page).getByRole('slider', { name: 'Confidence threshold', exact: true });

  await test.step('a hand it was trained on is one of the classes', async () => {
    await testImage(page, rpsImages('test', 'rock', 1)[0], LABELS);
    await expect(none).toHaveCount(0);
  });

  await test.step('a photo of something else shows "None of these classes"; the slider moves the cut-off', async () => {
    await testImage(page, somethingElse(), LABELS);
    await expect(none).toBeVisible();
    await expect(preview(page).getByRole('meter')).toHaveCount(2);
    await expect(slider).toHaveValue('50');
    await slider.fill('0');
    await expect(none).toHaveCount(0);
    await slider.fill('100');
    await expect(none).toBeVisible();
    await slider.fill('50');
    await expect(none).toBeVisible();
    await expect(preview(page).getByRole('checkbox', { name: 'Smooth live predictions' })).toBeChecked();
  });

  await test.step('"Show where the model looks" overlays a heatmap on the test image', async () => {
    await testImage(page, rpsImages('test', 'paper', 1)[0], LABELS);
    await preview(page).getByRole('checkbox', { name: 'Show where the model looks', exact: true }).check();
    await expect(preview(page).getByRole('img', { name: 'Where the model looks', exact: true })).toBeVisible({ timeout: 60_000 });
    // Over a second it is written the English way, with a thousands separator ("1,234 ms").
    const timing = preview(page).getByText(/^7 × 7 occlusion map in \d{1,3}(,\d{3})* ms$/);
    await expect(timing).toBeVisible();
    console.log(`[heatmap] ${await timing.textContent()} (WASM, default three bases)`);
    await screenshot(page, 'trust-heatmap');
    await preview(page).getByRole('checkbox', { name: 'Show where the model looks', exact: true }).uncheck();
    await expect(preview(page).getByRole('img', { name: 'Where the model looks', exact: true })).toHaveCount(0);
  });

  await test.step('a class of 3 examples is found and its examples can be moved', async () => {
    await addClass(page);
    await uploadImages(classCard(page, 'Class 3'), rpsImages('train', 'scissors', 3));
    await expectExampleCount(classCard(page, 'Class 3'), 3);
    const item = finding(page, '"Class 3" has only 3 examples');
    await expect(item).toBeVisible();
    await item.getByRole('button', { name: 'Show 3 examples' }).click();
    await expect(item.getByRole('img', { name: /^Concerned example/ })).toHaveCount(3);
    await item.getByRole('combobox', { name: 'Move to class' }).selectOption({ label: 'rock' });
    await item.getByRole('button', { name: 'Move', exact: true }).click();
    await expectExampleCount(classCard(page, 'rock'), 15);
    await expect(classCard(page, 'Class 3').getByText('No examples yet', { exact: false })).toBeVisible();
    await expect(finding(page, '"Class 3" has only')).toHaveCount(0);
  });

  await test.step('a pair of duplicated classes is found, and deleting the copies clears it', async () => {
    await addClass(page);
    await uploadImages(classCard(page, 'Class 4'), rpsImages('train', 'paper', 12));
    await expectExampleCount(classCard(page, 'Class 4'), 12);
    const overlap = finding(page, /"paper" and "Class 4" overlap/);
    const dupes = finding(page, /near-duplicates of another example/);
    await expect(overlap).toBeVisible();
    await expect(dupes).toBeVisible();
    await dupes.getByRole('button', { name: /^Show \d+ examples$/ }).click();
    await dupes.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(classCard(page, 'Class 4').getByText('No examples yet', { exact: false })).toBeVisible();
    await expectExampleCount(classCard(page, 'paper'), 12);
    await expect(overlap).toHaveCount(0);
    await expect(dupes).toHaveCount(0);
  });
});
