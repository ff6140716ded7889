import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensorsLeftBy, useTestBackend } from '../test/backend';
import { loadExamples, spread } from '../test/embeddings';
import { listImages, loadJpeg, readBaseFiles, repoRoot } from '../test/modelFiles';
import { Classifier } from './classifier';
import type { FeatureExtractor } from './featureExtractor';
import { BASE_MODEL_FOLDERS, DEFAULT_BASES, loadExtractors } from './multiBase';
import { cropAndResize } from './preprocess';
import { fitNovelty, type NoveltyMetadata } from './novelty';
import { trainHead } from './trainer';
import { exportTeachableMachine, type TmMetadata } from './tmPackage';
import { PYTHON_COMMAND } from './tmReadme';

let extractor: FeatureExtractor;
let classifier: Classifier;
let entries: Record<string, Uint8Array>;

beforeAll(async () => {
  await useTestBackend();
  extractor = await loadExtractors(await Promise.all(DEFAULT_BASES.map(async (base) => ({ base, files: await readBaseFiles(BASE_MODEL_FOLDERS[base.id]) }))));
  const examples = await loadExamples(extractor, 'fixtures', 'train', 5);
  const { model, transform } = await trainHead({ examples, numClasses: 3, config: { epochs: 8 } });
  const novelty = fitNovelty(examples.map((e) => e.embedding), examples.map((e) => e.label));
  classifier = new Classifier(extractor, model, transform, ['rock', 'paper', 'scissors'], novelty);
  entries = unzipSync(await exportTeachableMachine(classifier, { appVersion: '0.1.0-test', createdAt: '2025-01-02T03:04:05.000Z', noveltySlider: 50 }));
}, 120_000);

afterAll(() => {
  classifier.dispose();
  extractor.dispose();
});

describe('exportTeachableMachine', () => {
  it('writes TM’s image format at the zip root: model.json, its one weights file, metadata.json and a README', () => {
    expect(Object.keys(entries).sort()).toEqual(['README.md', 'metadata.json', 'model.json', 'weights.bin']);
    const model = JSON.parse(strFromU8(entries['model.json'])) as tf.io.ModelJSON;
    expect(model.format).toBe('layers-model');
    expect(model.weightsManifest.flatMap((g) => g.paths)).toEqual(['weights.bin']);
    const meta = JSON.parse(strFromU8(entries['metadata.json'])) as TmMetadata;
    expect(meta).toMatchObject({
      labels: ['rock', 'paper', 'scissors'], imageSize: 224, packageName: '@teachablemachine/image', packageVersion: '0.8.5',
      timeStamp: '2025-01-02T03:04:05.000Z', tfjsVersion: tf.version.tfjs, tmVersion: 'glance-0.1.0-test',
    });
    expect(typeof meta.modelName).toBe('string');
    expect(meta.userMetadata.bases).toEqual(DEFAULT_BASES.map((b) => b.id));
    expect(meta.userMetadata.novelty as NoveltyMetadata).toMatchObject({
      method: 'knn-cosine', k: 1, slider: 50, threshold: classifier.novelty!.rule.threshold,
      references: { count: 15, dim: 1792, labels: ['rock', 'paper', 'scissors'], labelIndex: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2] },
    });
    const readme = strFromU8(entries['README.md']);
    for (const text of [PYTHON_COMMAND, "tmImage.load('./model.json', './metadata.json')", "ml5.imageClassifier(new URL('model.json', location.href).href)", '`rock`, `paper`, `scissors`']) {
      expect(readme).toContain(text);
    }
  });

  // tfjs 1.3.1 is the npm alias tfjs-13; it runs in its own process so its engine never meets tfjs 4's.
  it('loads in TensorFlow.js 1.3.1 (Teachable Machine’s) and gives the app’s probabilities', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'glance-tm-'));
    try {
      for (const name of ['model.json', 'weights.bin']) writeFileSync(path.join(dir, name), entries[name]);
      const file = spread(await listImages('fixtures', 'test', 'paper'), 1)[0];
      const pixels = loadJpeg(file);
      const crop = cropAndResize(pixels);
      writeFileSync(path.join(dir, 'crop.bin'), new Uint8Array((await crop.data()).buffer));
      const app = await classifier.predictPixels(pixels);
      tf.dispose([pixels, crop]);
      const script = `
        const tf = require(${JSON.stringify(path.join(repoRoot, 'node_modules/tfjs-13'))});
        const fs = require('fs');
        const dir = ${JSON.stringify(dir)};
        (async () => {
          const json = JSON.parse(fs.readFileSync(dir + '/model.json', 'utf8'));
          const weights = new Uint8Array(fs.readFileSync(dir + '/weights.bin')).buffer;
          const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: weights }));
          const crop = new Float32Array(new Uint8Array(fs.readFileSync(dir + '/crop.bin')).buffer);
          const x = tf.tensor4d(crop, [1, 224, 224, 3]).div(tf.scalar(127)).sub(tf.scalar(1));
          process.stdout.write(JSON.stringify({ version: tf.version.tfjs, p: Array.from(await model.predict(x).data()) }));
        })().catch((e) => { console.error(e); process.exit(1); });`;
      const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const { version, p } = JSON.parse(out.slice(out.indexOf('{'))) as { version: string; p: number[] };
      expect(version).toBe('1.3.1');
      expect(p).toHaveLength(3);
      p.forEach((v, i) => expect(Math.abs(v - app[i])).toBeLessThan(1e-4));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('leaves no tensors behind', async () => {
    expect(await tensorsLeftBy(() => exportTeachableMachine(classifier, { appVersion: 'x' }))).toBe(0);
  }, 120_000);
});
