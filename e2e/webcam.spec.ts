import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  classCard, exampleCount, expectExampleCount, openApp, preview, readMeters, recordTransientUi, sample, screenshot,
  testImage, trainModel, uploadImages,
} from './glance';
import { rpsImages } from './paths';

const LABELS = ['Class 1', 'Class 2'];

function holdToRecord(scope: Page | Locator): Locator {
  return scope.getByRole('button', { name: 'Hold to record', exact: true });
}

/** Presses the mouse on "Hold to record" for `ms`, as a person holding the button. */
async function holdWithMouse(page: Page, card: Locator, ms: number, shot?: string): Promise<void> {
  await holdToRecord(card).hover();
  await page.mouse.down();
  await page.waitForTimeout(ms / 2);
  if (shot) await screenshot(page, shot);
  await page.waitForTimeout(ms / 2);
  await page.mouse.up();
}

/**
 * The card's count once frames captured during a hold have all been added (they are embedded after capture, so the
 * count can rise for a moment after release): the same value over 1 s.
 */
async function settledCount(card: Locator): Promise<number> {
  let last = await exampleCount(card);
  for (let tries = 0; tries < 30; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await exampleCount(card);
    if (now === last) return now;
    last = now;
  }
  throw new Error(`the example count never settled (last ${last})`);
}

/** Asserts nothing more is recorded once released: the settled count stays the same for another 1.5 s. */
async function expectRecordingStopped(page: Page, card: Locator, settled: number): Promise<void> {
  await page.waitForTimeout(1500);
  expect(await exampleCount(card), 'no examples are added after release').toBe(settled);
}

function distinct(values: number[][]): number {
  return new Set(values.map((v) => v.join('|'))).size;
}

test('the webcam records while held, moves between classes, and drives live prediction', async ({ page }) => {
  test.setTimeout(6 * 60_000);
  await recordTransientUi(page);
  await openApp(page, 'wasm');
  const first = classCard(page, 'Class 1');
  const second = classCard(page, 'Class 2');

  await test.step('open the webcam in Class 1: camera list and mirror', async () => {
    await first.getByRole('button', { name: 'Webcam', exact: true }).click();
    const camera = first.getByRole('combobox', { name: 'Camera', exact: true });
    await expect(camera).toBeVisible();
    await expect.poll(() => camera.getByRole('option').count()).toBeGreaterThan(0);
    await expect(camera.getByRole('option').first()).not.toHaveText('');
    const mirror = first.getByRole('checkbox', { name: 'Mirror', exact: true });
    const wasMirrored = await mirror.isChecked();
    await mirror.click();
    await expect(mirror).toBeChecked({ checked: !wasMirrored });
    await mirror.click();
    await expect(mirror).toBeChecked({ checked: wasMirrored });
    await expect(holdToRecord(page)).toHaveCount(1);
  });

  let afterMouse = 0;
  await test.step('hold with the mouse for 1.5 s', async () => {
    await expectExampleCount(first, 0);
    await holdWithMouse(page, first, 1500, 'webcam-recording');
    afterMouse = await settledCount(first);
    console.log(`webcam: ${afterMouse} examples from 1.5 s of mouse hold`);
    expect(afterMouse).toBeGreaterThan(0);
    await expect(first.getByRole('img', { name: 'Example 1', exact: true })).toBeVisible();
    await expect(first.getByRole('button', { name: 'Delete example 1', exact: true })).toBeVisible();
    await expectRecordingStopped(page, first, afterMouse);
  });

  await test.step('hold Space with the button focused', async () => {
    await holdToRecord(first).focus();
    await page.keyboard.down('Space');
    await page.waitForTimeout(1200);
    await page.keyboard.up('Space');
    const afterKeyboard = await settledCount(first);
    console.log(`webcam: ${afterKeyboard - afterMouse} more examples from 1.2 s of Space`);
    expect(afterKeyboard).toBeGreaterThan(afterMouse);
    await expectRecordingStopped(page, first, afterKeyboard);
  });

  await test.step('close the webcam, then move it from Class 1 to Class 2', async () => {
    await first.getByRole('button', { name: 'Close webcam', exact: true }).click();
    await expect(page.getByRole('combobox', { name: 'Camera', exact: true })).toHaveCount(0);
    await expect(holdToRecord(page)).toHaveCount(0);

    await first.getByRole('button', { name: 'Webcam', exact: true }).click();
    await expect(holdToRecord(first)).toBeVisible();
    await second.getByRole('button', { name: 'Webcam', exact: true }).click();
    await expect(holdToRecord(second)).toBeVisible();
    await expect(holdToRecord(page), 'one camera in the page').toHaveCount(1);
    await expect(first.getByRole('combobox', { name: 'Camera', exact: true })).toHaveCount(0);
  });

  await test.step('record into Class 2 and train', async () => {
    await holdWithMouse(page, second, 1500);
    expect(await settledCount(second)).toBeGreaterThan(0);
    await trainModel(page, { screenshot: 'webcam-training' });
  });

  const readLive = () => readMeters(page, LABELS);
  await test.step('live prediction changes the meters several times a second', async () => {
    const live = await sample(readLive, 2000);
    console.log(`webcam: ${distinct(live)} distinct meter readings in ${live.length} samples over 2 s`);
    expect(distinct(live)).toBeGreaterThanOrEqual(3);
    await screenshot(page, 'webcam-predicting');
  });

  await test.step('"Test an image" pauses live prediction; "Back to webcam" resumes it', async () => {
    const [file] = rpsImages('test', 'rock', 1);
    const tested = await testImage(page, file, LABELS);
    const paused = await sample(readLive, 1500);
    expect(distinct(paused), 'meters hold the tested image while paused').toBe(1);
    expect(paused[0]).toEqual(tested);

    await preview(page).getByRole('button', { name: 'Back to webcam', exact: true }).click();
    const resumed = await sample(readLive, 2000);
    expect(distinct(resumed)).toBeGreaterThanOrEqual(3);
  });
});

test('a refused camera permission explains how to allow it, and uploads still work', async ({ page }) => {
  await page.addInitScript(() => {
    const deny = (): Promise<MediaStream> => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    if (navigator.mediaDevices) navigator.mediaDevices.getUserMedia = deny;
  });
  await openApp(page, 'wasm');
  const first = classCard(page, 'Class 1');
  await first.getByRole('button', { name: 'Webcam', exact: true }).click();
  const alert = page.getByRole('alert').filter({ hasText: /camera/i });
  await expect(alert).toHaveCount(1);
  await expect(alert).toContainText(/allow/i);
  await expect(holdToRecord(page)).toHaveCount(0);

  await uploadImages(first, rpsImages('train', 'rock', 3));
  await expectExampleCount(first, 3);
  await expect(page.getByRole('alert')).toHaveCount(1);
});
