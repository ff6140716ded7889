import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { classCard, expectExampleCount, openApp, screenshot, uploadImages } from './glance';
import { rpsImages } from './paths';

/** What has focus, in the words a screen reader would use: role and accessible name (or the value of a field). */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    const role = el.getAttribute('role') ?? el.tagName.toLowerCase();
    const name = el.getAttribute('aria-label') ?? el.querySelector('img')?.alt ?? el.textContent?.trim() ?? '';
    return `${role}:${name}`;
  });
}

/** Every thumbnail's image size in bytes, in the grid's order: a fingerprint of which examples and in which order. */
/** The byte sizes of a card's `count` thumbnails, in order (each has its URL a moment after it is drawn). */
async function thumbnailBytes(card: Locator, count: number): Promise<number[]> {
  const thumbnails = card.getByRole('img', { name: /^Example \d+$/ });
  await expect(thumbnails).toHaveCount(count);
  await expect.poll(() => thumbnails.evaluateAll((imgs) => imgs.every((img) => img.getAttribute('src')))).toBe(true);
  return thumbnails.evaluateAll(async (imgs) => {
    const sorted = (imgs as HTMLImageElement[]).sort((a, b) => Number(a.alt.split(' ')[1]) - Number(b.alt.split(' ')[1]));
    return Promise.all(sorted.map(async (img) => (await (await fetch(img.src)).blob()).size));
  });
}

/** True when the focus is on a thumbnail of this card. */
async function focusedGridOf(card: Locator): Promise<boolean> {
  return card.evaluate((el) => el.contains(document.activeElement) && document.activeElement?.getAttribute('role') === 'gridcell');
}

test('keyboard only: one tab stop per grid, arrows, Home/End, Delete moves focus to the neighbour, Undo', async ({ page }) => {
  await openApp(page, 'wasm');
  const first = classCard(page, 'Class 1');
  // 60 images: every committed rock fixture (40 train + 20 test).
  await uploadImages(first, [...rpsImages('train', 'rock'), ...rpsImages('test', 'rock')]);
  await uploadImages(classCard(page, 'Class 2'), rpsImages('train', 'paper', 3));
  await expectExampleCount(first, 60, 60_000);
  await expectExampleCount(classCard(page, 'Class 2'), 3, 60_000);

  // Windowed: 60 examples, but only the rows near the view are in the DOM.
  const drawn = await first.getByRole('img', { name: /^Example \d+$/ }).count();
  console.log(`[keyboard] 60 examples, ${drawn} thumbnails in the DOM`);
  expect(drawn).toBeGreaterThan(0);
  expect(drawn).toBeLessThan(60);

  await first.getByRole('textbox', { name: 'Class name', exact: true }).focus();
  const stops: string[] = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    stops.push(await focused(page));
    if (await classCard(page, 'Class 2').getByRole('textbox', { name: 'Class name', exact: true }).evaluate((el) => el === document.activeElement)) break;
  }
  console.log(`[keyboard] Tab presses from Class 1's name to Class 2's name: ${stops.length} (${stops.join(' → ')})`);
  expect(stops.length).toBeLessThanOrEqual(6);
  expect(stops.filter((s) => s.startsWith('gridcell:')), 'the grid of 60 is one tab stop').toEqual(['gridcell:Example 1']);

  // Back into the grid, then move with the keyboard.
  await page.keyboard.press('Shift+Tab');
  expect(await focused(page)).toBe('gridcell:Example 1');
  await page.keyboard.press('ArrowRight');
  expect(await focused(page)).toBe('gridcell:Example 2');
  await page.keyboard.press('End');
  expect(await focused(page)).toBe('gridcell:Example 60');
  await expect(first.getByRole('img', { name: 'Example 60', exact: true })).toBeInViewport();
  await expect(first.getByRole('img', { name: 'Example 1', exact: true }), 'rows scrolled far away leave the DOM').toHaveCount(0);
  await page.keyboard.press('Home');
  expect(await focused(page)).toBe('gridcell:Example 1');
  await page.keyboard.press('ArrowDown');
  const below = await focused(page);
  expect(below).toMatch(/^gridcell:Example (\d+)$/);
  expect(Number(below.split(' ')[1])).toBeGreaterThan(2);
  await page.keyboard.press('Home');

  const before = await thumbnailBytes(classCard(page, 'Class 2'), 3);
  await classCard(page, 'Class 2').getByRole('gridcell').first().focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Delete');
  await expectExampleCount(classCard(page, 'Class 2'), 2);
  expect(await focused(page), 'focus moves to the example that took its place').toBe('gridcell:Example 2');
  expect(await thumbnailBytes(classCard(page, 'Class 2'), 2)).toEqual([before[0], before[2]]);
  await page.keyboard.press('Backspace');
  await expectExampleCount(classCard(page, 'Class 2'), 1);
  expect(await focused(page), 'the last one deleted: focus moves back').toBe('gridcell:Example 1');

  const offer = page.getByRole('status').filter({ has: page.getByRole('button', { name: 'Undo', exact: true }) });
  await expect(offer).toContainText('Deleted example 2 of "Class 2"');
  await screenshot(page, 'keyboard-undo-offer');
  await offer.getByRole('button', { name: 'Undo', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expectExampleCount(classCard(page, 'Class 2'), 3);
  expect(await thumbnailBytes(classCard(page, 'Class 2'), 3), 'both deletions undone, in order').toEqual(before);
  await expect.poll(() => focusedGridOf(classCard(page, 'Class 2')), 'focus goes to what came back').toBe(true);
  await expect(offer).toHaveCount(0);
});

test('Undo restores a deleted class of 20 examples exactly, also after a reload; New project ends the offer', async ({ page }) => {
  await openApp(page, 'wasm');
  await uploadImages(classCard(page, 'Class 1'), rpsImages('train', 'rock', 20));
  await uploadImages(classCard(page, 'Class 2'), rpsImages('train', 'paper', 2));
  await expectExampleCount(classCard(page, 'Class 1'), 20, 60_000);
  await expectExampleCount(classCard(page, 'Class 2'), 2, 60_000);
  const bytes = await thumbnailBytes(classCard(page, 'Class 1'), 20);
  expect(bytes).toHaveLength(20);

  await classCard(page, 'Class 1').getByRole('button', { name: 'Delete class', exact: true }).click();
  await expect(page.getByRole('dialog'), 'no confirmation: Undo covers it').toHaveCount(0);
  await expect(classCard(page, 'Class 1')).toHaveCount(0);
  await expect(classCard(page, 'Class 2').getByRole('textbox', { name: 'Class name', exact: true }), 'focus goes on to the next card').toBeFocused();
  const offer = page.getByRole('status').filter({ has: page.getByRole('button', { name: 'Undo', exact: true }) });
  await expect(offer).toContainText('Deleted "Class 1" and its 20 examples.');
  await page.waitForTimeout(600); // autosave has written the deletion
  await offer.getByRole('button', { name: 'Undo', exact: true }).click();

  const names = () => page.getByRole('textbox', { name: 'Class name', exact: true }).evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  expect(await names()).toEqual(['Class 1', 'Class 2']);
  await expectExampleCount(classCard(page, 'Class 1'), 20);
  expect(await thumbnailBytes(classCard(page, 'Class 1'), 20)).toEqual(bytes);
  await expect.poll(() => focusedGridOf(classCard(page, 'Class 1')), 'focus goes to the restored class').toBe(true);

  await page.waitForTimeout(1200); // autosave lands within ~250 ms
  await page.reload();
  await expectExampleCount(classCard(page, 'Class 1'), 20, 60_000);
  expect(await names()).toEqual(['Class 1', 'Class 2']);
  expect(await thumbnailBytes(classCard(page, 'Class 1'), 20), 'after a reload: same examples, same order').toEqual(bytes);

  // An offer from the old project never reaches the new one.
  await classCard(page, 'Class 2').getByRole('button', { name: 'Delete class', exact: true }).click();
  await expect(offer).toBeVisible();
  await page.getByRole('button', { name: 'New project', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Start new project', exact: true }).click();
  await expect(offer).toHaveCount(0);
  await expect(classCard(page, 'Class 1')).toBeVisible();
  await expectExampleCount(classCard(page, 'Class 1'), 0);
});
