import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../test/backend';
import { handlerFromZip } from '../test/zip';
import { loadExamples, spread } from '../test/embeddings';
import { listImages, loadJpeg, readBaseFiles } from '../test/modelFiles';
import { Classifier } from './classifier';
import { exportModel, type ExportMetadata } from './exporter';
import type { FeatureExtractor } from './featureExtractor';
import { BASE_MODEL_FOLDERS, DEFAULT_BASES, loadExtractors } from './multiBase';
import { trainHead } from './trainer';

let extractor: FeatureExtractor;
let classifier: Classifier;
let entries: Record<string, Uint8Array>;

beforeAll(async () => {
  await useTestBackend();
  extractor = await loadExtractors(await Promise.all(DEFAULT_BASES.map(async (base) => ({
    base, files: await readBaseFiles(BASE_MODEL_FOLDERS[base.id]),
  }))));
  const examples = await loadExamples(extractor, 'fixtures', 'train', 8);
  const { model, transform } = await trainHead({ examples, numClasses: 3, config: { epochs: 10 } });
  classifier = new Classifier(extractor, model, transform, ['rock', 'paper', 'scissors']);
  entries = unzipSync(await exportModel(classifier, { appVersion: '0.1.0-test', createdAt: '2025-01-02T03:04:05.000Z' }));
});

afterAll(() => {
  classifier.dispose();
  extractor.dispose();
});

const json = <T>(name: string): T => JSON.parse(strFromU8(entries[name])) as T;

const fromZip = (modelPath: string): tf.io.IOHandler => handlerFromZip(entries, modelPath);

describe('exportModel with several bases', () => {
  it('writes each base in its own folder and lists them, marked l2, in concatenation order', () => {
    const meta = json<ExportMetadata>('metadata.json');
    expect(meta.bases.map((b) => [b.id, b.modelPath, b.normalize])).toEqual(DEFAULT_BASES.map((b) => [b.id, `base/${b.id}/model.json`, 'l2']));
    for (const b of meta.bases) expect(entries[b.modelPath]).toBeDefined();
    expect(strFromU8(entries['README.md'])).toContain('tf.loadLayersModel(source)');
  });

  // The README's own predict() and loadBase(), evaluated as written, with plain tfjs and the zip's files only.
  it('reproduces the app’s probabilities with the README code', async () => {
    const meta = json<ExportMetadata>('metadata.json');
    const blocks = [...strFromU8(entries['README.md']).matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
    const predictCode = blocks.find((b) => b.includes('async function predict('))!;
    const code = `${predictCode}
      let bases, head;
      return (async () => {
        bases = await Promise.all(meta.bases.map((b) => loadBase(b, fromZip(b.modelPath))));
        head = await tf.loadLayersModel(fromZip(meta.head.modelPath));
        return predict;
      })();`;
    type Predict = (pixels: tf.Tensor3D) => Promise<Float32Array>;
    const predict = await (new Function('tf', 'meta', 'fromZip', code) as (t: typeof tf, m: ExportMetadata, h: typeof fromZip) => Promise<Predict>)(tf, meta, fromZip);
    const files = [...spread(await listImages('fixtures', 'test', 'paper'), 2), ...spread(await listImages('fixtures', 'test', 'rock'), 1)];
    for (const file of files) {
      const pixels = loadJpeg(file);
      const exported = await predict(pixels);
      const app = await classifier.predictPixels(pixels);
      pixels.dispose();
      expect(exported.length).toBe(3);
      exported.forEach((p, i) => expect(Math.abs(p - app[i])).toBeLessThan(1e-4));
    }
  });
});
