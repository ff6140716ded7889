import fs from 'node:fs';
import path from 'node:path';
import type { Download, Locator, Page } from '@playwright/test';
import { expect } from './fixtures';
import { screenshotsDir } from './paths';

/** Loading the base model and warming up a backend on SwiftShader takes a while on a 2-core machine. */
export const MODEL_READY_TIMEOUT = 180_000;

export type Backend = 'webgl' | 'wasm' | 'cpu';
export const BACKEND_LABEL: Record<Backend, string> = { webgl: 'Backend: WebGL', wasm: 'Backend: WASM', cpu: 'Backend: CPU' };

/** What appeared on the page at any moment, even briefly (a fast training run can be over between two polls). */
export interface SeenOnPage {
  statuses: string[];
  progressbars: string[];
  /** Every aria-valuetext a progressbar showed ("Epoch 3 of 30", "Preparing augmented copies: 2 / 10 examples"). */
  progressTexts: string[];
  stopTraining: boolean;
}

/**
 * Records, from the first paint on, every role=status text, every progressbar's accessible name and value text, and
 * whether a "Stop training" button was shown. Call before `page.goto`.
 */
export async function recordTransientUi(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: SeenOnPage = { statuses: [], progressbars: [], progressTexts: [], stopTraining: false };
    (window as unknown as { glanceSeen: SeenOnPage }).glanceSeen = seen;
    const nameOf = (el: Element): string => {
      const label = el.getAttribute('aria-label');
      if (label) return label.trim();
      const ids = el.getAttribute('aria-labelledby');
      if (ids) return ids.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
      return (el instanceof HTMLProgressElement ? el.labels[0]?.textContent ?? '' : '').trim();
    };
    const scan = (): void => {
      document.querySelectorAll('[role="status"], output').forEach((el) => {
        const text = (el.textContent ?? '').trim();
        if (text && !seen.statuses.includes(text)) seen.statuses.push(text);
      });
      document.querySelectorAll('[role="progressbar"], progress').forEach((el) => {
        const name = nameOf(el);
        if (!seen.progressbars.includes(name)) seen.progressbars.push(name);
        const text = el.getAttribute('aria-valuetext');
        if (text && !seen.progressTexts.includes(text)) seen.progressTexts.push(text);
      });
      document.querySelectorAll('button').forEach((el) => {
        if ((el.getAttribute('aria-label') ?? el.textContent ?? '').trim() === 'Stop training') seen.stopTraining = true;
      });
    };
    new MutationObserver(scan).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

export async function seenOnPage(page: Page): Promise<SeenOnPage> {
  return page.evaluate(() => (window as unknown as { glanceSeen: SeenOnPage }).glanceSeen);
}

export async function forgetSeen(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen = (window as unknown as { glanceSeen: SeenOnPage }).glanceSeen;
    seen.statuses.length = 0;
    seen.progressbars.length = 0;
    seen.progressTexts.length = 0;
    seen.stopTraining = false;
  });
}

/** Opens the app (optionally forcing a backend) and waits until the base model is ready. Returns the backend text. */
export async function openApp(page: Page, backend?: Backend): Promise<string> {
  await page.goto(backend ? `/?backend=${backend}` : '/');
  await expect(classCard(page, 'Class 1')).toBeVisible();
  await expect(classCard(page, 'Class 2')).toBeVisible();
  const backendText = page.getByText(/^Backend: /);
  await expect(backendText).toBeVisible({ timeout: MODEL_READY_TIMEOUT });
  await expect(backendText).toHaveText(/^Backend: (WebGL|WASM|CPU)$/);
  const text = (await backendText.textContent())?.trim() ?? '';
  if (backend) expect(text).toBe(BACKEND_LABEL[backend]);
  console.log(`[${text}]`);
  return text;
}

export function classCard(page: Page, name: string): Locator {
  return page.getByRole('region', { name, exact: true });
}

export function preview(page: Page): Locator {
  return page.getByRole('region', { name: 'Preview', exact: true });
}

export function examplesText(count: number): string {
  return `${count} ${count === 1 ? 'example' : 'examples'}`;
}

export async function expectExampleCount(card: Locator, count: number, timeout?: number): Promise<void> {
  await expect(card.getByText(examplesText(count), { exact: true })).toBeVisible({ timeout });
}

/** Reads the card's "N examples" text as a number. */
export async function exampleCount(card: Locator): Promise<number> {
  const text = card.getByText(/^\d+ examples?$/);
  await expect(text).toBeVisible();
  return Number.parseInt((await text.textContent()) ?? '', 10);
}

export async function addClass(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Add a class', exact: true }).click();
}

/** Renames through the card's textbox and Enter; waits for the region to carry the new name. */
export async function renameClass(page: Page, from: string, to: string): Promise<void> {
  const box = classCard(page, from).getByRole('textbox', { name: 'Class name', exact: true });
  await box.fill(to);
  await box.press('Enter');
  await expect(classCard(page, to)).toBeVisible();
  await expect(classCard(page, from)).toHaveCount(0);
}

export async function uploadImages(card: Locator, files: string[]): Promise<void> {
  await card.getByLabel('Upload images', { exact: true }).setInputFiles(files);
}

/**
 * Clicks "Train model" and waits for "Model trained". Asserts that the "Training progress" bar and a "Stop
 * training" button were shown meanwhile (recorded even if training ends between two polls), and screenshots the
 * training state when it lasts long enough to catch.
 */
export async function trainModel(page: Page, options: { timeout?: number; screenshot?: string } = {}): Promise<void> {
  await forgetSeen(page);
  await page.getByRole('button', { name: 'Train model', exact: true }).click();
  const progress = page.getByRole('progressbar', { name: 'Training progress', exact: true });
  await expect.poll(async () => (await seenOnPage(page)).progressbars, { timeout: 30_000 }).toContain('Training progress');
  if (options.screenshot) {
    if (await progress.isVisible()) await screenshot(page, options.screenshot);
    else console.log(`training was over before the "${options.screenshot}" screenshot`);
  }
  await expect(progress).toHaveCount(0, { timeout: options.timeout ?? 180_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Model trained' })).toBeVisible();
  expect((await seenOnPage(page)).stopTraining, 'a "Stop training" button while training').toBe(true);
}

/** Reads each trained class's meter in Preview, by class name: confidence in percent. */
export async function readMeters(page: Page, labels: readonly string[]): Promise<number[]> {
  const area = preview(page);
  await expect(area.getByRole('meter')).toHaveCount(labels.length);
  const values: number[] = [];
  for (const label of labels) {
    const raw = await area.getByRole('meter', { name: label, exact: true }).getAttribute('aria-valuenow');
    const value = Number(raw);
    expect(raw, `meter "${label}" aria-valuenow`).not.toBeNull();
    expect(Number.isFinite(value) && value >= 0 && value <= 100, `meter "${label}" = ${raw}, a percentage`).toBe(true);
    values.push(value);
  }
  return values;
}

/** Tests one image file in Preview; resolves once its thumbnail shows, when the meters already show its prediction. */
export async function testImage(page: Page, file: string, labels: readonly string[]): Promise<number[]> {
  const area = preview(page);
  await area.getByLabel('Test an image', { exact: true }).setInputFiles(file);
  await expect(area.getByRole('img', { name: path.basename(file), exact: true })).toBeVisible();
  return readMeters(page, labels);
}

export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i += 1) if (values[i] > values[best]) best = i;
  return best;
}

/** Clicks "Export model" and saves the download; returns where it was saved and the name the app gave it. */
export async function exportModel(page: Page, saveAs: string): Promise<{ file: string; suggested: string }> {
  const [download]: [Download, void] = await Promise.all([
    page.waitForEvent('download', { timeout: 120_000 }),
    page.getByRole('button', { name: 'Export model', exact: true }).click(),
  ]);
  await download.saveAs(saveAs);
  expect(await download.failure()).toBeNull();
  return { file: saveAs, suggested: download.suggestedFilename() };
}

/** Full-page screenshot into test-results/screenshots/, for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage: true });
}

/** Samples `read` every `everyMs` for `forMs` and returns the values seen, in order. */
export async function sample<T>(read: () => Promise<T>, forMs: number, everyMs = 100): Promise<T[]> {
  const values: T[] = [];
  const end = Date.now() + forMs;
  while (Date.now() < end) {
    values.push(await read());
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return values;
}

/**
 * Decodes an image file with Chromium's own decoder (createImageBitmap, as the app does) and returns its RGB bytes.
 * JPEG decoders differ by a few levels per pixel, which moves an uncertain prediction by several percent, so this
 * is how a Node-side check sees exactly the pixels the page saw.
 */
export async function decodeInBrowser(page: Page, file: string): Promise<{ rgb: Uint8Array; width: number; height: number }> {
  const decoded = await page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes]), { imageOrientation: 'from-image' });
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('no 2d context');
    context.drawImage(bitmap, 0, 0);
    const rgba = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let binary = '';
    for (let i = 0; i < rgba.length; i += 4) binary += String.fromCharCode(rgba[i], rgba[i + 1], rgba[i + 2]);
    return { base64: btoa(binary), width: bitmap.width, height: bitmap.height };
  }, fs.readFileSync(file).toString('base64'));
  return { rgb: new Uint8Array(Buffer.from(decoded.base64, 'base64')), width: decoded.width, height: decoded.height };
}
