import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensorsLeftBy, useTestBackend } from '../test/backend';
import { handlerFromZip } from '../test/zip';
import { loadExamples, spread } from '../test/embeddings';
import { baseModelDir, listImages, loadJpeg, readModelFilesFromDir, repoRoot } from '../test/modelFiles';
import { Classifier } from './classifier';
import { loadExtractor, type FeatureExtractor } from './featureExtractor';
import { exportModel, type ExportMetadata } from './exporter';
import { fitNovelty, noveltyDistance, thresholdForSlider } from './novelty';
import { trainHead } from './trainer';

let extractor: FeatureExtractor;
let classifier: Classifier;
let zip: Uint8Array;
let entries: Record<string, Uint8Array>;
const createdAt = '2025-01-02T03:04:05.000Z';

beforeAll(async () => {
  await useTestBackend();
  extractor = await loadExtractor(await readModelFilesFromDir(baseModelDir));
  const examples = await loadExamples(extractor, 'fixtures', 'train', 20);
  const { model, transform } = await trainHead({ examples, numClasses: 3 });
  const novelty = fitNovelty(examples.map((e) => e.embedding), examples.map((e) => e.label));
  classifier = new Classifier(extractor, model, transform, ['rock', 'paper', 'scissors'], novelty);
  zip = await exportModel(classifier, { appVersion: '0.1.0-test', createdAt, noveltySlider: 60 });
  entries = unzipSync(zip);
});

afterAll(() => {
  classifier.dispose();
  extractor.dispose();
});

const json = <T>(name: string): T => JSON.parse(strFromU8(entries[name])) as T;

const fromZip = (modelPath: string): tf.io.IOHandler => handlerFromZip(entries, modelPath);

type Base = (x: tf.Tensor) => tf.Tensor;

/** One base from the zip as a function images → embedding-node output (graph: execute; layers: cut at that layer). */
async function baseFromZip(b: ExportMetadata['bases'][number]): Promise<{ run: Base; dispose: () => void }> {
  if (b.format === 'graph-model') {
    const graph = await tf.loadGraphModel(fromZip(b.modelPath));
    return { run: (x) => graph.execute(x, b.embeddingNode) as tf.Tensor, dispose: () => graph.dispose() };
  }
  const full = await tf.loadLayersModel(fromZip(b.modelPath));
  const model = full.layers.at(-1)?.name === b.embeddingNode ? full : tf.model({ inputs: full.inputs, outputs: full.getLayer(b.embeddingNode).output });
  return { run: (x) => model.predict(x) as tf.Tensor, dispose: () => full.dispose() };
}

const l2 = (x: tf.Tensor) => x.div(tf.maximum(tf.sqrt(tf.sum(tf.square(x), 1, true)), 1e-12));

/** The README recipe, written here from metadata.json alone (no app code). */
function readmeRecipe(meta: ExportMetadata, bases: Base[], head: tf.LayersModel, pixels: tf.Tensor3D): tf.Tensor {
  return tf.tidy(() => {
    const [h, w] = pixels.shape;
    const side = Math.min(h, w);
    const square = tf.slice(pixels, [Math.floor((h - side) / 2), Math.floor((w - side) / 2), 0], [side, side, 3]).toFloat();
    const batch = tf.image.resizeBilinear(square, [meta.imageSize, meta.imageSize], false, true).expandDims(0);
    const embeddings = meta.bases.map((b, i) => {
      const [min, max] = b.inputRange;
      const e = bases[i](batch.div(255).mul(max - min).add(min));
      const flat = b.pooling === 'mean' ? e.mean([1, 2]) : e.reshape([e.shape[0], -1]);
      return b.normalize === 'l2' ? l2(flat) : flat;
    });
    let features = tf.concat(embeddings, 1);
    if (meta.head.embeddingTransform === 'l2') features = l2(features);
    return head.predict(features) as tf.Tensor;
  });
}

describe('exportModel', () => {
  it('writes the head, metadata, README and the unchanged base at the documented paths', () => {
    expect(Object.keys(entries).sort()).toEqual(['README.md', 'base/group1-shard1of1.bin', 'base/model.json', 'metadata.json', 'model.json', 'weights.bin']);
    expect(strFromU8(entries['base/model.json'])).toBe(readFileSync(`${baseModelDir}/model.json`, 'utf8'));
    expect(Buffer.compare(entries['base/group1-shard1of1.bin'], readFileSync(`${baseModelDir}/group1-shard1of1.bin`))).toBe(0);
    const head = json<tf.io.ModelJSON>('model.json');
    expect(head.weightsManifest.map((g) => g.paths)).toEqual([['weights.bin']]);
    const bytes = head.weightsManifest[0].weights.reduce((n, w) => n + 4 * (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
    expect(entries['weights.bin'].length).toBe(bytes);
  });

  it('describes preprocessing, base, head and the None-of-these rule in metadata.json', () => {
    const { novelty, ...meta } = json<ExportMetadata>('metadata.json');
    expect(novelty).toMatchObject({
      method: 'knn-cosine', k: 1, slider: 60,
      threshold: thresholdForSlider(classifier.novelty!.rule, 60),
      defaultThreshold: classifier.novelty!.rule.threshold,
      calibration: { kind: 'leave-one-out', percentile: 95, margin: 2.2, examples: 60 },
      references: { count: 60, dim: 256, labels: ['rock', 'paper', 'scissors'], encoding: 'base64-float32le' },
    });
    expect(meta).toEqual({
      labels: ['rock', 'paper', 'scissors'],
      imageSize: 224,
      crop: 'center-square',
      resize: { method: 'bilinear', alignCorners: false, halfPixelCenters: true },
      bases: [{
        id: 'mobilenet-v1-025-224', modelPath: 'base/model.json', format: 'graph-model',
        embeddingNode: 'module_apply_default/MobilenetV1/Logits/global_pool', pooling: 'none', inputRange: [0, 1], embeddingSize: 256,
      }],
      head: { modelPath: 'model.json', embeddingTransform: 'l2' },
      appVersion: '0.1.0-test',
      createdAt,
    });
    const readme = strFromU8(entries['README.md']);
    for (const needle of ['resizeBilinear', 'metadata.json', 'tf.io.fromMemory', 'tf.browser.fromPixels', 'Apache']) expect(readme).toContain(needle);
  });

  it('reproduces the app’s probabilities with plain tfjs and the README recipe, on images of different sizes', async () => {
    const meta = json<ExportMetadata>('metadata.json');
    const bases = await Promise.all(meta.bases.map(baseFromZip));
    const head = await tf.loadLayersModel(fromZip(meta.head.modelPath));
    const files = [
      ...spread(await listImages('fixtures', 'test', 'paper'), 2),
      ...spread(await listImages('fixtures', 'test', 'rock'), 2),
      ...spread(await listImages('fixtures', 'test', 'scissors'), 1),
    ];
    // The fixtures are all 224×224: scale some to other sizes, square and not, so the recipe's crop and resize work.
    const sizes: [number, number][] = [[224, 224], [256, 256], [240, 320], [300, 200], [224, 224]];
    for (const [i, file] of files.entries()) {
      const { width, height, data } = jpeg.decode(readFileSync(file), { useTArray: true, formatAsRGBA: false });
      expect([width, height]).toEqual([224, 224]);
      const pixels = tf.tidy(() => {
        const decoded = tf.tensor3d(data, [height, width, 3], 'int32');
        const [h, w] = sizes[i];
        return h === height && w === width ? decoded : (tf.image.resizeBilinear(decoded, [h, w]).round().toInt() as tf.Tensor3D);
      });
      expect(pixels.shape.slice(0, 2)).toEqual(sizes[i]);
      const out = readmeRecipe(meta, bases.map((b) => b.run), head, pixels);
      const exported = await out.data();
      const app = await classifier.predictPixels(pixels);
      tf.dispose([pixels, out]);
      expect(exported.length).toBe(3);
      exported.forEach((p, i) => expect(Math.abs(p - app[i])).toBeLessThan(1e-4));
    }
    bases.forEach((b) => b.dispose());
    head.dispose();
  });

  // Runs the README's own Node snippet, as written, in a fresh Node process with plain @tensorflow/tfjs (cpu).
  it('has a README whose Node snippet runs as written and gives the app’s probabilities', async () => {
    const readme = strFromU8(entries['README.md']);
    const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
    const predictCode = blocks.find((b) => b.includes('async function predict('));
    const nodeCode = blocks.find((b) => b.includes("from 'jpeg-js'"));
    const noveltyCode = blocks.find((b) => b.includes('async function noneOfThese('));
    expect(predictCode && nodeCode && noveltyCode).toBeTruthy();
    const [file] = await listImages('fixtures', 'test', 'paper');
    // Inside node_modules so the script resolves the repo's packages; removed afterwards.
    const cacheDir = path.join(repoRoot, 'node_modules/.cache');
    await mkdir(cacheDir, { recursive: true });
    const dir = await mkdtemp(path.join(cacheDir, 'glance-readme-'));
    try {
      for (const [name, bytes] of Object.entries(entries)) {
        await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
        await writeFile(path.join(dir, name), bytes);
      }
      const script = nodeCode!.replace("'path/to/this/folder'", JSON.stringify(dir)).replace("'photo.jpg'", JSON.stringify(file))
        + `\n${predictCode}\n${noveltyCode}\nconsole.log('RESULT', JSON.stringify(Array.from(probabilities)));\n`
        + `console.log('NOVELTY', JSON.stringify([await noveltyDistance(tf.tensor3d(data, [height, width, 3], 'int32')), unknown]));\n`;
      expect(script).toContain(JSON.stringify(file));
      await writeFile(path.join(dir, 'run.mjs'), script);
      const { stdout } = await promisify(execFile)(process.execPath, [path.join(dir, 'run.mjs')], { timeout: 60_000 });
      const fromReadme = JSON.parse(stdout.split('\n').find((l) => l.startsWith('RESULT '))!.slice(7)) as number[];
      const img = loadJpeg(file);
      const app = await classifier.predictPixels(img);
      img.dispose();
      expect(fromReadme.length).toBe(3);
      fromReadme.forEach((p, i) => expect(Math.abs(p - app[i])).toBeLessThan(1e-4));
      // The README's "None of these" distance and verdict are the app's (a CGI hand is far from webcam frames).
      const [distance, unknown] = JSON.parse(stdout.split('\n').find((l) => l.startsWith('NOVELTY '))!.slice(8)) as [number, boolean];
      const img2 = loadJpeg(file);
      const { embedding } = await classifier.predictPixelsDetailed(img2);
      img2.dispose();
      const appDistance = noveltyDistance(classifier.novelty!, embedding);
      expect(Math.abs(distance - appDistance)).toBeLessThan(1e-4);
      expect(unknown).toBe(appDistance > json<ExportMetadata>('metadata.json').novelty!.threshold);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('does not leak tensors', async () => {
    await exportModel(classifier, { appVersion: 'x' });
    expect(await tensorsLeftBy(() => exportModel(classifier, { appVersion: 'x' }))).toBe(0);
  });

  it('gives a clear GlanceError when the base files are incomplete', async () => {
    const broken = new Classifier({ ...extractor, files: { modelJson: extractor.files.modelJson, weights: new Map() } }, classifier.head, 'l2', [...classifier.labels]);
    await expect(exportModel(broken, { appVersion: 'x' })).rejects.toMatchObject({ code: 'export-failed' });
  });

  it('keeps the zip small (head + base ≈ 2 MB)', () => {
    expect(zip.length).toBeLessThan(3_000_000);
  });
});
