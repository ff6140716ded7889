import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { classCard, openApp, recordTransientUi, screenshot, testImage, trainModel, uploadImages } from './glance';
import { rpsImages } from './paths';

/** Every language the picker offers, by the name it shows, with what the page must say once it is chosen. */
const LANGUAGES = [
  { name: 'English', lang: 'en', dir: 'ltr', train: 'Train model', preview: 'Preview' },
  { name: 'Español', lang: 'es', dir: 'ltr', train: 'Entrenar modelo', preview: 'Vista previa' },
  { name: 'Français', lang: 'fr', dir: 'ltr', train: 'Entraîner le modèle', preview: 'Aperçu' },
  { name: 'Deutsch', lang: 'de', dir: 'ltr', train: 'Modell trainieren', preview: 'Vorschau' },
  { name: 'Português', lang: 'pt', dir: 'ltr', train: 'Treinar modelo', preview: 'Pré-visualização' },
  { name: '日本語', lang: 'ja', dir: 'ltr', train: 'モデルを学習', preview: 'プレビュー' },
  { name: 'العربية', lang: 'ar', dir: 'rtl', train: 'تدريب النموذج', preview: 'المعاينة' },
] as const;

/** The picker: its label is translated, and every translation keeps "(Language)" so it is found in any language. */
const picker = (page: Page) => page.getByRole('combobox', { name: /Language/ });

/** i18next reports a key missing from every catalogue with console.error (src/i18n): any such message fails. */
function watchMissingKeys(page: Page): string[] {
  const missing: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && msg.text().includes('Missing translation key')) missing.push(msg.text());
  });
  return missing;
}

/** Lines of visible text, names and descriptions that look like a raw catalogue key ("training.title"). */
async function rawKeys(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const key = /^[a-z]+(\.[a-zA-Z0-9]+)+$/;
    const texts = document.body.innerText.split('\n').map((l) => l.trim());
    for (const el of Array.from(document.querySelectorAll('[aria-label], [title], [alt], [aria-valuetext]'))) {
      for (const a of ['aria-label', 'title', 'alt', 'aria-valuetext']) texts.push(el.getAttribute(a)?.trim() ?? '');
    }
    return texts.filter((t) => key.test(t));
  });
}

async function expectNoViolations(page: Page, state: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  const summary = violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`);
  console.log(`[axe] ${state}: ${violations.length} violations`);
  expect(summary, `axe violations with ${state}`).toEqual([]);
}

test.describe('a German browser', () => {
  test.use({ locale: 'de-DE' });

  test('opens the page in German', async ({ page }) => {
    const missing = watchMissingKeys(page);
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
    await expect(page.getByRole('heading', { name: 'Vorschau', exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Modell trainieren', exact: true })).toBeVisible();
    await expect(picker(page)).toHaveValue('de');
    // The default classes are named in the page's language too.
    await expect(page.getByRole('region', { name: 'Klasse 1', exact: true })).toBeVisible();
    expect(missing).toEqual([]);
  });
});

test('every language renders whole, passes axe, mirrors for Arabic, formats percentages, and is remembered', async ({ page }) => {
  test.setTimeout(4 * 60_000);
  const missing = watchMissingKeys(page);
  await recordTransientUi(page);
  await openApp(page, 'wasm');
  // One shared set-up: a tiny model (4 + 4 images) predicting a test image, with Under the hood open.
  await uploadImages(classCard(page, 'Class 1'), rpsImages('train', 'rock', 4));
  await uploadImages(classCard(page, 'Class 2'), rpsImages('train', 'paper', 4));
  await expect(classCard(page, 'Class 2').getByText('4 examples', { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(classCard(page, 'Class 1').getByText('4 examples', { exact: true })).toBeVisible({ timeout: 60_000 });
  await trainModel(page);
  await testImage(page, rpsImages('test', 'rock', 1)[0], ['Class 1', 'Class 2']);
  await page.getByText('Under the hood', { exact: true }).click();
  await expect(page.getByText('Accuracy per epoch', { exact: true })).toBeVisible();

  const classesBox = async () => (await classCard(page, 'Class 1').boundingBox())!;
  const previewBox = async (name: string) => (await page.getByRole('region', { name, exact: true }).boundingBox())!;
  const ltr = { classes: await classesBox(), preview: await previewBox('Preview') };
  expect(ltr.classes.x, 'classes on the left, preview on the right').toBeLessThan(ltr.preview.x);

  for (const l of LANGUAGES) {
    await picker(page).selectOption({ label: l.name });
    await expect(page.locator('html')).toHaveAttribute('lang', l.lang);
    await expect(page.locator('html')).toHaveAttribute('dir', l.dir);
    // The whole page switched at once: a button in the training panel and the preview heading.
    await expect(page.getByRole('button', { name: l.train, exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { name: l.preview, exact: true })).toBeVisible();
    expect(await rawKeys(page), `raw keys shown in ${l.lang}`).toEqual([]);
    expect(missing, `missing keys in ${l.lang}`).toEqual([]);
    await expectNoViolations(page, `the trained model in ${l.name}`);
    if (['de', 'ja', 'ar'].includes(l.lang)) await screenshot(page, `i18n-${l.lang}`);

    const meter = page.getByRole('region', { name: l.preview, exact: true }).getByRole('meter', { name: 'Class 1', exact: true });
    const value = Number(await meter.getAttribute('aria-valuenow'));
    const expected = await page.evaluate(([lang, v]) => new Intl.NumberFormat(lang, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v / 100), [l.lang, value] as const);
    await expect(meter, `the confidence is written the ${l.lang} way`).toHaveAttribute('aria-valuetext', expected);
    if (l.lang === 'fr') expect(expected, 'French: a decimal comma and a no-break space before %').toMatch(/^\d{1,3},\d[\u00a0\u202f]%$/);
    if (l.lang === 'en') expect(expected).toMatch(/^\d{1,3}\.\d%$/);

    if (l.lang === 'ar') {
      const rtl = { classes: await classesBox(), preview: await previewBox(l.preview) };
      expect(rtl.classes.x, 'Arabic: the classes column moves to the right, the preview to the left').toBeGreaterThan(rtl.preview.x);
      // The picker sits at the inline end of the top bar, which is now its left side.
      const pick = (await picker(page).boundingBox())!;
      expect(pick.x).toBeLessThan(page.viewportSize()!.width / 2);
    }
  }

  // The choice survives a reload.
  await picker(page).selectOption({ label: '日本語' });
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(picker(page)).toHaveValue('ja');
  await expect(page.getByRole('button', { name: 'モデルを学習', exact: true })).toBeVisible();
  expect(missing).toEqual([]);
});
