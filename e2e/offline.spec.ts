import { expect, test } from './fixtures';
import {
  classCard, expectExampleCount, exportModel, openApp, recordTransientUi, seenOnPage, testImage, trainModel, uploadImages,
} from './glance';
import { rpsImages } from './paths';

test('the offline guard sees and blocks a request that leaves the origin', async ({ page, offOrigin }) => {
  await page.goto('/');
  const outcome = await page.evaluate(() =>
    fetch('http://glance-offline-check.invalid/ping').then(() => 'reached', () => 'blocked'));
  expect(outcome).toBe('blocked');
  expect(offOrigin).toEqual(['http://glance-offline-check.invalid/ping']);
  // This one was made on purpose; the fixture checks that the app itself attempts none.
  offOrigin.length = 0;
});

test('load, upload, train, predict, webcam and export attempt no request outside the origin', async ({ page, offOrigin }, testInfo) => {
  await recordTransientUi(page);
  await openApp(page);
  expect((await seenOnPage(page)).statuses, 'a status while the model loads').toContain('Loading the image model…');
  await uploadImages(classCard(page, 'Class 1'), rpsImages('train', 'rock', 8));
  await uploadImages(classCard(page, 'Class 2'), rpsImages('train', 'paper', 8));
  await expectExampleCount(classCard(page, 'Class 1'), 8);
  await expectExampleCount(classCard(page, 'Class 2'), 8);
  await classCard(page, 'Class 1').getByRole('button', { name: 'Webcam', exact: true }).click();
  await expect(classCard(page, 'Class 1').getByRole('button', { name: 'Hold to record', exact: true })).toBeVisible();
  await trainModel(page);
  await testImage(page, rpsImages('test', 'paper', 1)[0], ['Class 1', 'Class 2']);
  await exportModel(page, testInfo.outputPath('offline.zip'));
  expect(offOrigin).toEqual([]);
});
