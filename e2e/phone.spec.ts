import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { classCard, exampleCount, openApp, screenshot } from './glance';

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

/**
 * Chromium's fake capture device is one camera. Phones have two: this reports a second one from
 * enumerateDevices and records the constraints of each getUserMedia call; the app's own code path stays real.
 */
async function pretendTwoCameras(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const media = navigator.mediaDevices;
    const enumerate = media.enumerateDevices.bind(media);
    media.enumerateDevices = async () => {
      const list = await enumerate();
      const back = { deviceId: 'stub-back-camera', groupId: 'stub', kind: 'videoinput', label: 'Back camera', toJSON: () => ({}) } as MediaDeviceInfo;
      return [...list, back];
    };
    const open = media.getUserMedia.bind(media);
    const calls: unknown[] = [];
    (window as unknown as { cameraCalls: unknown[] }).cameraCalls = calls;
    media.getUserMedia = (constraints) => {
      calls.push(JSON.parse(JSON.stringify(constraints ?? {})));
      return open(constraints);
    };
    (window as unknown as { contextMenus: number }).contextMenus = 0;
    addEventListener('contextmenu', () => (window as unknown as { contextMenus: number }).contextMenus++);
  });
}

/** Every visible control lies inside the viewport's width, and the page does not scroll sideways. */
async function expectFitsWidth(page: Page, width: number): Promise<void> {
  await page.setViewportSize({ width, height: 844 });
  // Compared with the screen's width, not innerWidth: a mobile browser widens its layout viewport to fit wide content.
  const report = await page.evaluate((screenWidth) => {
    const outside = Array.from(document.querySelectorAll<HTMLElement>('button, input, select, summary, [tabindex="0"]'))
      .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
      .filter((el) => !el.classList.contains('visually-hidden'))
      .map((el) => ({ name: el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.tagName, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.left < -1 || r.right > screenWidth + 1)
      .map(({ name, r }) => `${name} [${Math.round(r.left)}–${Math.round(r.right)}]`);
    return { scrollWidth: document.documentElement.scrollWidth, outside };
  }, width);
  expect(report.outside, `controls outside a ${width} px wide screen`).toEqual([]);
  expect(report.scrollWidth, `no sideways scrolling at ${width} px`).toBeLessThanOrEqual(width);
}

test('phone: every control fits 360–430 px, Switch camera flips front/back, a finger held on "Hold to record" records', async ({ page }) => {
  await pretendTwoCameras(page);
  await openApp(page, 'wasm');
  const card = classCard(page, 'Class 1');
  await card.getByRole('button', { name: 'Webcam', exact: true }).tap();
  const hold = card.getByRole('button', { name: 'Hold to record', exact: true });
  await expect(hold).toBeVisible();
  for (const width of [360, 390, 430]) await expectFitsWidth(page, width);
  await page.setViewportSize({ width: 390, height: 844 });

  const calls = () => page.evaluate(() => (window as unknown as { cameraCalls: { video?: { facingMode?: { ideal?: string } } }[] }).cameraCalls.map((c) => c.video?.facingMode?.ideal ?? null));
  const mirror = card.getByRole('checkbox', { name: 'Mirror', exact: true });
  await expect(mirror).toBeChecked();
  await card.getByRole('button', { name: 'Switch camera', exact: true }).tap();
  await expect.poll(async () => (await calls()).at(-1)).toBe('environment');
  await expect(mirror, 'the back camera is not mirrored').not.toBeChecked();
  const video = card.getByRole('img', { name: 'Camera view' }).or(card.locator('video'));
  await expect.poll(() => video.evaluate((v) => (v as HTMLVideoElement).videoWidth)).toBeGreaterThan(0);
  await card.getByRole('button', { name: 'Switch camera', exact: true }).tap();
  await expect.poll(async () => (await calls()).at(-1)).toBe('user');
  await expect(mirror).toBeChecked();

  // A finger held on the button: touchstart, a drag that would scroll the page, then touchend 1.5 s later.
  expect(await hold.evaluate((el) => getComputedStyle(el).touchAction)).toBe('none');
  await hold.scrollIntoViewIfNeeded();
  const box = (await hold.boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  const scrollBefore = await page.evaluate(() => scrollY);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  await expect(hold).toHaveAttribute('aria-pressed', 'true');
  for (let i = 1; i <= 5; i++) {
    await page.waitForTimeout(250);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y - i * 8 }] });
  }
  await page.waitForTimeout(250);
  expect(await page.evaluate(() => scrollY), 'the page does not scroll while the finger is held').toBe(scrollBefore);
  await expect(hold, 'still recording while held').toHaveAttribute('aria-pressed', 'true');
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await expect(hold).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => exampleCount(card), { timeout: 30_000 }).toBeGreaterThanOrEqual(5);
  const recorded = await exampleCount(card);
  console.log(`[phone] a 1.5 s touch hold recorded ${recorded} examples`);
  expect(await page.evaluate(() => (window as unknown as { contextMenus: number }).contextMenus), 'no long-press menu').toBe(0);
  await page.waitForTimeout(500);
  expect(await exampleCount(card), 'recording stopped when the finger lifted').toBe(recorded);
  await screenshot(page, 'phone-390');
});
