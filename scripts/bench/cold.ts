import type { BrowserContext, Page } from '@playwright/test';
import type {} from '../../bench/api';
import { RPS_CLASSES, rpsImages } from '../../e2e/paths';
import { ORIGIN, dataRoot, type BenchData } from './setup';
import { examplesText } from './uiPath';

const MODEL_READY_MS = 180_000;

/**
 * Trains the real app once (dist's index.html: upload `perClass` images of `data` into three classes, "Train
 * model"), so that its autosave holds a trained model for the cold-start runs.
 */
export async function trainAppOnce(context: BrowserContext, perClass: number, data: BenchData): Promise<void> {
  const page = await context.newPage();
  try {
    await page.goto(`${ORIGIN}/`);
    await page.getByText(/^Backend: /).waitFor({ timeout: MODEL_READY_MS });
    await page.getByRole('button', { name: 'Add a class', exact: true }).click();
    for (const [i, cls] of RPS_CLASSES.entries()) {
      const card = page.getByRole('region', { name: `Class ${i + 1}`, exact: true });
      await card.getByLabel('Upload images', { exact: true }).setInputFiles(rpsImages('train', cls, perClass, dataRoot(data)));
      await card.getByText(examplesText(perClass), { exact: true }).waitFor({ timeout: MODEL_READY_MS });
    }
    await page.getByRole('button', { name: 'Train model', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Model trained' }).waitFor({ timeout: MODEL_READY_MS });
    // Autosave flushes within 250 ms; leave it ample time before the page goes away.
    await page.waitForTimeout(2000);
    await page.getByText(/^Saved in this browser/).waitFor();
  } finally {
    await page.close();
  }
}

/**
 * Records performance.now() when the Preview meters first show a prediction (they are painted 0 before any).
 * A string, not a function: tsx's esbuild would wrap a function's inner helpers in `__name`, which the page lacks.
 */
const WATCH_FIRST_PREDICTION = `(() => {
  const check = () => {
    if (window.glanceFirstPrediction !== undefined) return;
    const meters = document.querySelectorAll('[aria-label="Preview"] [role="meter"]');
    let sum = 0;
    meters.forEach((m) => { sum += Number(m.getAttribute('aria-valuenow') || 0); });
    if (meters.length > 0 && sum > 99) window.glanceFirstPrediction = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, attributes: true, attributeFilter: ['aria-valuenow'] });
})();`;

/**
 * Clicks the Preview's "Turn on webcam" the moment it shows and is enabled, from inside the page. Playwright's own
 * click waits for the button with growing pauses (up to 500 ms between tries), which a warm reload's ~2 s would
 * otherwise include.
 */
const CLICK_WEBCAM_WHEN_SHOWN = `(() => {
  const tryClick = () => {
    if (window.glanceWebcamClickedAt !== undefined) return;
    const region = document.querySelector('[aria-label="Preview"]');
    const button = region && [...region.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Turn on webcam' && !b.disabled);
    if (!button) return;
    window.glanceWebcamClickedAt = performance.now();
    button.click();
  };
  new MutationObserver(tryClick).observe(document, { subtree: true, childList: true, attributes: true });
})();`;

async function firstPrediction(page: Page, read: () => number | undefined | string): Promise<number> {
  const handle = await page.waitForFunction(read, undefined, { timeout: MODEL_READY_MS, polling: 50 });
  const value = (await handle.jsonValue()) as number | string;
  if (typeof value !== 'number') throw new Error(`cold start failed: ${value}`);
  return value;
}

/**
 * Cold start of the real app on a warm HTTP cache: navigation → first live prediction, the camera turned on
 * from inside the page as soon as its button shows. `backend` null = the app's own choice (it times wasm and webgl first).
 */
export async function coldApp(context: BrowserContext, backend: 'wasm' | 'webgl' | null): Promise<{ backend: string; firstPredictionMs: number }> {
  const page = await context.newPage();
  try {
    await page.addInitScript(WATCH_FIRST_PREDICTION);
    await page.addInitScript(CLICK_WEBCAM_WHEN_SHOWN);
    await page.goto(backend ? `${ORIGIN}/?backend=${backend}` : `${ORIGIN}/`);
    await page.waitForFunction(() => (window as unknown as { glanceWebcamClickedAt?: number }).glanceWebcamClickedAt !== undefined, undefined, { timeout: MODEL_READY_MS, polling: 50 });
    const ms = await firstPrediction(page, () => window.glanceFirstPrediction);
    const label = (await page.getByText(/^Backend: /).textContent({ timeout: MODEL_READY_MS })) ?? '';
    return { backend: label.replace('Backend: ', '').toLowerCase(), firstPredictionMs: ms };
  } finally {
    await page.close();
  }
}

/** Cold start of a TM user's page (bench/tm.html?cold): load libraries, `tmImage.load` the saved model, Webcam, predict. */
export async function coldTm(context: BrowserContext): Promise<{ firstPredictionMs: number }> {
  const page = await context.newPage();
  try {
    await page.goto(`${ORIGIN}/bench/tm.html?cold`);
    const ms = await firstPrediction(page, () => window.tmCold && (window.tmCold.firstPredictionMs ?? window.tmCold.error));
    return { firstPredictionMs: ms };
  } finally {
    await page.close();
  }
}
