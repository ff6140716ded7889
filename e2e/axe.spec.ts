import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { classCard, expectExampleCount, openApp, preview, readMeters, screenshot, testImage, uploadImages } from './glance';
import { rpsImages } from './paths';

/** Runs axe (WCAG 2.x A/AA and best practices) on the page as it is now and expects no violation at all. */
async function expectNoViolations(page: Page, state: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  const summary = violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`);
  console.log(`[axe] ${state}: ${violations.length} violations`);
  expect(summary, `axe violations with ${state}`).toEqual([]);
}

test('axe finds no violations in the main states of the app', async ({ page }) => {
  test.setTimeout(5 * 60_000);
  await openApp(page, 'wasm');
  await expectNoViolations(page, 'the empty project');

  const first = classCard(page, 'Class 1');
  await first.getByRole('button', { name: 'Webcam', exact: true }).click();
  await expect(first.getByRole('button', { name: 'Hold to record', exact: true })).toBeVisible();
  await expectNoViolations(page, 'the webcam open');
  await first.getByRole('button', { name: 'Close webcam', exact: true }).click();

  await uploadImages(first, rpsImages('train', 'rock', 8));
  await uploadImages(classCard(page, 'Class 2'), rpsImages('train', 'paper', 8));
  await expectExampleCount(first, 8, 60_000);
  await expectExampleCount(classCard(page, 'Class 2'), 8, 60_000);
  await expectNoViolations(page, 'examples uploaded');

  await page.getByRole('button', { name: 'Train model', exact: true }).click();
  const progress = page.getByRole('progressbar', { name: 'Training progress', exact: true });
  await expect(progress).toBeVisible();
  await expectNoViolations(page, 'training');
  await expect(page.getByRole('status').filter({ hasText: 'Model trained' })).toBeVisible({ timeout: 120_000 });

  await testImage(page, rpsImages('test', 'rock', 1)[0], ['Class 1', 'Class 2']);
  await readMeters(page, ['Class 1', 'Class 2']);
  await expect(preview(page).getByRole('meter')).toHaveCount(2);
  await expectNoViolations(page, 'a trained model predicting a test image');

  await page.getByText('Under the hood', { exact: true }).click();
  await expect(page.getByText('Accuracy per epoch', { exact: true })).toBeVisible();
  await expectNoViolations(page, 'Under the hood open');

  await first.getByRole('gridcell').first().focus();
  await page.keyboard.press('Delete');
  await expect(page.getByRole('status').getByRole('button', { name: 'Undo', exact: true })).toBeVisible();
  await expectNoViolations(page, 'an Undo offer');

  const newProject = page.getByRole('button', { name: 'New project', exact: true });
  await newProject.click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel', exact: true }), 'focus moves into the dialog').toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Cancel', exact: true }), 'Tab stays inside the dialog').toBeFocused();
  await screenshot(page, 'axe-dialog');
  await expectNoViolations(page, 'a dialog open');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(newProject, 'closing the dialog returns focus').toBeFocused();
});
