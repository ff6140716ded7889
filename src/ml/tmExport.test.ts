import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensorsLeftBy, useTestBackend } from '../test/backend';
import { loadExamples, spread } from '../test/embeddings';
import { listImages, loadJpeg, readBaseFiles } from '../test/modelFiles';
import { Classifier } from './classifier';
import type { FeatureExtractor } from './featureExtractor';
import { loadHead, saveHead } from './headIO';
import { BASE_CHOICES, BASE_MODEL_FOLDERS, loadExtractors } from './multiBase';
import { cropAndResize } from './preprocess';
import { trainHead } from './trainer';
import { buildTmModel, TM_INPUT_SCALE } from './tmExport';

const LABELS = ['rock', 'paper', 'scissors'];
const LAYERS_13 = new Set(['InputLayer', 'Conv2D', 'DepthwiseConv2D', 'ZeroPadding2D', 'ReLU', 'Add', 'GlobalAveragePooling2D', 'LayerNormalization', 'Concatenate', 'Dense']);

/** What TM 0.8.5 and ml5 1.x feed the model for an image already cropped and resized to 224: x / 127 − 1. */
function tmInput(pixels: tf.Tensor3D): tf.Tensor4D {
  return tf.tidy(() => tf.expandDims(tf.sub(tf.mul(cropAndResize(pixels), TM_INPUT_SCALE), 1), 0) as tf.Tensor4D);
}

let files: string[];

beforeAll(async () => {
  await useTestBackend();
  // Held out: test split images of both datasets (224×224 webcam frames and 256×256 CGI hands).
  files = [
    ...spread(await listImages('fixtures', 'test', 'rock'), 1),
    ...spread(await listImages('fixtures', 'test', 'scissors'), 1),
    ...spread(await listImages('fixtures', 'test', 'paper'), 1),
    ...spread(await listImages('fixtures', 'test', 'scissors'), 1),
  ];
});

for (const choice of BASE_CHOICES) {
  describe(`buildTmModel for ${choice.label}`, () => {
    let extractor: FeatureExtractor;
    let classifier: Classifier;

    beforeAll(async () => {
      extractor = await loadExtractors(await Promise.all(choice.bases.map(async (base) => ({ base, files: await readBaseFiles(BASE_MODEL_FOLDERS[base.id]) }))));
      const examples = await loadExamples(extractor, 'fixtures', 'train', 5);
      const { model, transform } = await trainHead({ examples, numClasses: 3, config: { epochs: 8 } });
      classifier = new Classifier(extractor, model, transform, LABELS);
    }, 120_000);

    afterAll(() => {
      classifier.dispose();
      extractor.dispose();
    });

    it('gives the Glance classifier’s probabilities to 2e-6 on real images, from standard layers only, also after save and load', async () => {
      const model = await buildTmModel(classifier);
      const saved = await saveHead(model, 'weights.bin');
      const reloaded = await loadHead(saved);
      try {
        expect(model.inputs[0].shape).toEqual([null, 224, 224, 3]);
        expect(model.outputs[0].shape).toEqual([null, 3]);
        const classes = new Set(reloaded.layers.map((l) => l.getClassName()));
        expect([...classes].filter((c) => !LAYERS_13.has(c))).toEqual([]);
        let maxDiff = 0;
        for (const file of files) {
          const pixels = loadJpeg(file);
          const app = await classifier.predictPixels(pixels);
          const input = tmInput(pixels);
          const out = [model.predict(input) as tf.Tensor, reloaded.predict(input) as tf.Tensor];
          const [built, loaded] = await Promise.all(out.map((t) => t.data()));
          tf.dispose([pixels, input, ...out]);
          app.forEach((p, i) => {
            maxDiff = Math.max(maxDiff, Math.abs(p - built[i]), Math.abs(p - loaded[i]));
          });
        }
        console.log(`${choice.id}: max |Δp| ${maxDiff.toExponential(2)} over ${files.length} images, ${(saved.weights.byteLength / 1e6).toFixed(2)} MB of weights`);
        expect(maxDiff).toBeLessThan(2e-6);
      } finally {
        model.dispose();
        reloaded.dispose();
      }
    }, 120_000);

    it('leaves no tensors behind once the built model is disposed', async () => {
      // Warm up: the first build may create lazily cached tensors (e.g. in the backend).
      (await buildTmModel(classifier)).dispose();
      expect(await tensorsLeftBy(async () => (await buildTmModel(classifier)).dispose())).toBe(0);
    }, 120_000);
  });
}

describe('buildTmModel for a head trained without the l2 transform', () => {
  it('keeps a single base’s embedding as it is (no LayerNormalization) and still matches the classifier', async () => {
    const [base] = BASE_CHOICES[1].bases;
    const extractor = await loadExtractors([{ base, files: await readBaseFiles(BASE_MODEL_FOLDERS[base.id]) }]);
    const examples = await loadExamples(extractor, 'fixtures', 'train', 4);
    const { model: head, transform } = await trainHead({ examples, numClasses: 3, config: { epochs: 5, embeddingTransform: 'none' } });
    const classifier = new Classifier(extractor, head, transform, LABELS);
    const model = await buildTmModel(classifier);
    try {
      expect(transform).toBe('none');
      expect(model.layers.map((l) => l.getClassName())).not.toContain('LayerNormalization');
      const pixels = loadJpeg(files[0]);
      const app = await classifier.predictPixels(pixels);
      const input = tmInput(pixels);
      const out = model.predict(input) as tf.Tensor;
      const built = await out.data();
      tf.dispose([pixels, input, out]);
      app.forEach((p, i) => expect(Math.abs(p - built[i])).toBeLessThan(1e-4));
    } finally {
      model.dispose();
      classifier.dispose();
      extractor.dispose();
    }
  }, 120_000);
});
