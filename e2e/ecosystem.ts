import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { repoRoot } from './paths';

/**
 * Pages that load a "Teachable Machine format" export with the real libraries people use, all served from the app's
 * own origin by `page.route` (nothing leaves it; the offline fixture would fail the test otherwise):
 * `@teachablemachine/image` 0.8.5 on its tfjs 1.3.1 (the `tfjs-13` alias) and ml5 1.x, whose UMD bundle carries its
 * own tfjs 4, and p5.js 1.11.3 for the ml5 + p5 snippet.
 */

export const LIBRARY_SCRIPTS = {
  tfjs13: path.join(repoRoot, 'node_modules/tfjs-13/dist/tf.min.js'),
  tmImage: path.join(repoRoot, 'node_modules/@teachablemachine/image/dist/teachablemachine-image.min.js'),
  ml5: path.join(repoRoot, 'node_modules/ml5/dist/ml5.min.js'),
  p5: path.join(repoRoot, 'node_modules/p5/lib/p5.min.js'),
  /** The app's own tfjs 4, as one ES module (for the plain-tfjs snippet, through an import map). */
  tfjsEsm: path.join(repoRoot, 'node_modules/@tensorflow/tfjs/dist/tf.fesm.min.js'),
} as const;

/** The CDN addresses the snippets use, and the origin-served file each stands for in the tests. */
export const CDN_COPIES: Record<string, string> = {
  'https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@1.3.1/dist/tf.min.js': 'lib/tf-1.3.1.min.js',
  'https://cdn.jsdelivr.net/npm/@teachablemachine/image@0.8.5/dist/teachablemachine-image.min.js': 'lib/teachablemachine-image.min.js',
  'https://unpkg.com/ml5@1/dist/ml5.min.js': 'lib/ml5.min.js',
  'https://cdn.jsdelivr.net/npm/p5@1.11.3/lib/p5.min.js': 'lib/p5.min.js',
};

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.jpg': 'image/jpeg', '.bin': 'application/octet-stream' };

/**
 * Serves `files` (path under the folder → bytes) at `<origin>/<folder>/…` for this page only, plus the library
 * bundles under `lib/`. Returns the folder's URL.
 */
export async function serveFolder(page: Page, origin: string, folder: string, files: Record<string, Uint8Array | string>): Promise<string> {
  const all: Record<string, Uint8Array | string> = {
    'lib/tf-1.3.1.min.js': fs.readFileSync(LIBRARY_SCRIPTS.tfjs13),
    'lib/teachablemachine-image.min.js': fs.readFileSync(LIBRARY_SCRIPTS.tmImage),
    'lib/ml5.min.js': fs.readFileSync(LIBRARY_SCRIPTS.ml5),
    'lib/p5.min.js': fs.readFileSync(LIBRARY_SCRIPTS.p5),
    'lib/tf.fesm.min.js': fs.readFileSync(LIBRARY_SCRIPTS.tfjsEsm),
    ...files,
  };
  const base = `${origin}/${folder}/`;
  await page.route(`${base}**`, async (route) => {
    const name = decodeURIComponent(new URL(route.request().url()).pathname.slice(folder.length + 2));
    const body = all[name];
    if (body === undefined) return route.fulfill({ status: 404, body: `not served: ${name}` });
    return route.fulfill({ status: 200, contentType: TYPES[path.extname(name)] ?? 'application/octet-stream', body: typeof body === 'string' ? body : Buffer.from(body) });
  });
  return base;
}

/** A snippet as written, with its CDN script addresses pointed at the origin-served copies of the same files. */
export function withLocalScripts(snippet: string): string {
  let out = snippet;
  for (const [cdn, local] of Object.entries(CDN_COPIES)) out = out.split(cdn).join(local);
  return out;
}

/** A page that runs an ES-module snippet importing '@tensorflow/tfjs', with `<img id="photo" src="photo.jpg">`. */
export function moduleSnippetPage(snippet: string): string {
  return `<script type="importmap">{ "imports": { "@tensorflow/tfjs": "./lib/tf.fesm.min.js" } }</script>
<img id="photo" src="photo.jpg">
<script type="module">
${snippet}
</script>`;
}

/** Probabilities by label, for each image URL (relative to the page), as the library reports them. */
export type LibraryPredictions = Record<string, Record<string, number>>;

/**
 * How a test image reaches the library: 'bitmap' decodes it as the Glance page does (`createImageBitmap` of the file)
 * and hands the library a canvas of those pixels; 'img' is an `<img>` element. Chromium decodes the same JPEG into
 * pixels up to 1 level apart on about 12 % of the values along these two paths, which moves a few-shot model's
 * probabilities by up to ≈ 0.02 on its own; 'bitmap' compares the models, 'img' shows what a plain `<img>` gives.
 */
export type Decode = 'bitmap' | 'img';

type ImageLoader = (url: string, how: Decode) => Promise<HTMLCanvasElement | HTMLImageElement>;

/**
 * Puts `window.glanceLoadImage(url, how)` in the page: the image as a library's user would hand it over, an `<img>`
 * Chromium decodes itself, or (bitmap) the pixels the app decodes, drawn on a canvas. Both library drivers use it.
 */
async function installImageLoader(page: Page): Promise<void> {
  await page.evaluate(() => {
    const load: ImageLoader = async (url, how) => {
      if (how === 'img') {
        const img = new Image();
        img.src = url;
        await img.decode();
        return img;
      }
      const bitmap = await createImageBitmap(await (await fetch(url)).blob(), { imageOrientation: 'from-image' });
      const canvas = document.createElement('canvas');
      [canvas.width, canvas.height] = [bitmap.width, bitmap.height];
      canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
      bitmap.close();
      return canvas;
    };
    (window as unknown as { glanceLoadImage: ImageLoader }).glanceLoadImage = load;
  });
}

/** In a page with `tmImage` loaded: `tmImage.load('./model.json', './metadata.json')`, then `predict(image)` per image. */
export async function predictWithTeachableMachine(page: Page, images: string[], decode: Decode): Promise<{ tfjs: string; backend: string; predictions: LibraryPredictions }> {
  await installImageLoader(page);
  return page.evaluate(async ([urls, how]) => {
    type Tm = { load(m: string, meta: string): Promise<{ predict(img: HTMLCanvasElement | HTMLImageElement): Promise<{ className: string; probability: number }[]> }> };
    const w = window as unknown as { tmImage: Tm; tf: { version: { tfjs: string }; getBackend(): string } };
    const load = (url: string) => (window as unknown as { glanceLoadImage: ImageLoader }).glanceLoadImage(url, how);
    const model = await w.tmImage.load('./model.json', './metadata.json');
    const predictions: Record<string, Record<string, number>> = {};
    for (const url of urls) {
      const out = await model.predict(await load(url));
      predictions[url] = Object.fromEntries(out.map((p) => [p.className, p.probability]));
    }
    return { tfjs: w.tf.version.tfjs, backend: w.tf.getBackend(), predictions };
  }, [images, decode] as const);
}

/** In a page with `ml5` loaded: `ml5.imageClassifier(<absolute URL of model.json>)`, then `classify(image)` per image. */
export async function predictWithMl5(page: Page, images: string[], decode: Decode): Promise<{ version: string; predictions: LibraryPredictions }> {
  await installImageLoader(page);
  return page.evaluate(async ([urls, how]) => {
    type Classifier = { classify(img: HTMLCanvasElement | HTMLImageElement): Promise<{ label: string; confidence: number }[]> };
    const w = window as unknown as { ml5: { version: string; imageClassifier(url: string): Promise<Classifier> } };
    const load = (url: string) => (window as unknown as { glanceLoadImage: ImageLoader }).glanceLoadImage(url, how);
    // Without p5 on the page, ml5 1.x's constructors return promises (with p5 1.x they are preload-style).
    const classifier = await w.ml5.imageClassifier(new URL('model.json', location.href).href);
    const predictions: Record<string, Record<string, number>> = {};
    for (const url of urls) {
      const out = await classifier.classify(await load(url));
      predictions[url] = Object.fromEntries(out.map((p) => [String(p.label), p.confidence]));
    }
    return { version: String(w.ml5.version), predictions };
  }, [images, decode] as const);
}

/** Top-1 agreement and the largest |Δp| between the page's meters and a library, over the same images. */
export function agreement(
  page: Map<string, number[]>, library: LibraryPredictions, labels: readonly string[], urlOf: (file: string) => string,
): { agree: number; total: number; maxDiff: number } {
  let agree = 0;
  let maxDiff = 0;
  const top = (v: number[]) => v.indexOf(Math.max(...v));
  for (const [file, probs] of page) {
    const byLabel = library[urlOf(file)];
    const lib = labels.map((l) => byLabel?.[l] ?? Number.NaN);
    if (top(lib) === top(probs)) agree += 1;
    lib.forEach((p, i) => {
      maxDiff = Math.max(maxDiff, Number.isNaN(p) ? Infinity : Math.abs(p - probs[i]));
    });
  }
  return { agree, total: page.size, maxDiff };
}
