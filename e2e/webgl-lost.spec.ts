import { expect, test } from './fixtures';
import { classCard, expectExampleCount, openApp, preview, recordTransientUi, testImage, trainModel, uploadImages } from './glance';
import { rpsImages } from './paths';

test('losing the WebGL context switches to WASM and loses no example or model', async ({ page }) => {
  test.setTimeout(5 * 60_000);
  // Keep every WebGL context the page makes, so the test can take the GPU away like a driver reset would.
  await page.addInitScript(() => {
    const contexts: WebGLRenderingContext[] = [];
    (window as unknown as { glContexts: WebGLRenderingContext[] }).glContexts = contexts;
    // tfjs draws on an OffscreenCanvas where there is one, else on a canvas element: watch both.
    for (const proto of [HTMLCanvasElement.prototype, OffscreenCanvas.prototype] as { getContext: (...a: unknown[]) => unknown }[]) {
      const original = proto.getContext;
      proto.getContext = function (this: unknown, type: unknown, ...rest: unknown[]) {
        const ctx = original.call(this, type, ...rest);
        if (ctx && /webgl/.test(String(type))) contexts.push(ctx as WebGLRenderingContext);
        return ctx;
      };
    }
  });
  await recordTransientUi(page);
  await openApp(page, 'webgl');
  await uploadImages(classCard(page, 'Class 1'), rpsImages('train', 'rock', 5));
  await uploadImages(classCard(page, 'Class 2'), rpsImages('train', 'paper', 5));
  await expectExampleCount(classCard(page, 'Class 1'), 5, 120_000);
  await expectExampleCount(classCard(page, 'Class 2'), 5, 120_000);
  await trainModel(page);
  const probe = rpsImages('test', 'rock', 1)[0];
  const before = await testImage(page, probe, ['Class 1', 'Class 2']);
  await preview(page).getByRole('button', { name: 'Back to webcam', exact: true }).click();
  await expect(preview(page).getByRole('img')).toHaveCount(0);

  const lost = await page.evaluate(() => {
    const contexts = (window as unknown as { glContexts: WebGLRenderingContext[] }).glContexts;
    let n = 0;
    for (const gl of contexts) {
      const ext = gl.getExtension('WEBGL_lose_context');
      if (ext) {
        ext.loseContext();
        n++;
      }
    }
    return n;
  });
  expect(lost).toBeGreaterThan(0);
  await expect(page.getByRole('alert').filter({ hasText: 'switched to WASM' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Backend: WASM', { exact: true })).toBeVisible({ timeout: 120_000 });
  await expectExampleCount(classCard(page, 'Class 1'), 5);
  await expectExampleCount(classCard(page, 'Class 2'), 5);
  // The same model on another backend: the same prediction, to float precision. The meters carry percentages with
  // two decimals, so 0.05 points is rounding plus float32 differences between WebGL and WASM, far less than any
  // retrained or re-initialised head would move.
  const after = await testImage(page, probe, ['Class 1', 'Class 2']);
  const diff = Math.max(...after.map((v, i) => Math.abs(v - before[i])));
  console.log(`webgl-lost: before ${before.join(' / ')} %, after ${after.join(' / ')} %, max |Δ| ${diff.toFixed(2)} points`);
  expect(diff, `meters before ${before.join(' / ')}, after ${after.join(' / ')}`).toBeLessThanOrEqual(0.05);
  await expect(preview(page).getByRole('meter')).toHaveCount(2);
  // Training works again on the new backend.
  await trainModel(page);
});
