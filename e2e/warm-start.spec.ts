import { expect, test } from './fixtures';
import { openApp } from './glance';

/**
 * Start-up times each backend on real embeddings (seconds where WebGL is emulated in software); a reload on the same
 * device starts on the one that won, without timing again. A stored value that is not a backend is ignored.
 */
test('a reload starts on the backend timed fastest last time, without timing every backend again', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.setItem('glance.backend', 'not-a-backend'));
  await openApp(page);
  const timings = page.getByText(/ per image$/);
  await expect(timings, 'the first start times the backends and shows their warm-up times').toBeVisible();
  const first = (await timings.textContent()) ?? '';
  expect(first.split(' · ').length, `every backend was timed: ${first}`).toBeGreaterThan(1);
  const chosen = await page.evaluate(() => localStorage.getItem('glance.backend'));
  expect(['webgl', 'wasm', 'cpu']).toContain(chosen);

  await page.reload();
  const text = await openApp(page);
  expect(text.toLowerCase()).toContain(chosen);
  // Only the backend in use is warmed up (its one timing shows), none of the others.
  await expect(timings).toBeVisible();
  const again = (await timings.textContent()) ?? '';
  expect(again.split(' · '), `only ${chosen} was timed: ${again}`).toHaveLength(1);
  expect(again.toLowerCase()).toContain(chosen);
});
