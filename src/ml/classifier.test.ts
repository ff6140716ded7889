import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensorsLeftBy, useTestBackend } from '../test/backend';
import { embedFiles, loadExamples, spread } from '../test/embeddings';
import { baseModelDir, listImages, loadJpeg, readModelFilesFromDir } from '../test/modelFiles';
import { Classifier } from './classifier';
import { argmax } from './evaluate';
import { loadExtractor, type FeatureExtractor } from './featureExtractor';
import { trainHead } from './trainer';

let extractor: FeatureExtractor;
let classifier: Classifier;

beforeAll(async () => {
  await useTestBackend();
  extractor = await loadExtractor(await readModelFilesFromDir(baseModelDir));
  const examples = await loadExamples(extractor, 'fixtures', 'train');
  const result = await trainHead({ examples, numClasses: 3 });
  classifier = new Classifier(extractor, result.model, result.transform, ['rock', 'paper', 'scissors']);
});

afterAll(() => {
  classifier.dispose();
  extractor.dispose();
});

describe('Classifier', () => {
  it('predicts probabilities in label order from pixels, and gets clear test images right', async () => {
    let right = 0;
    for (const [label, cls] of (['rock', 'paper', 'scissors'] as const).entries()) {
      for (const file of spread(await listImages('fixtures', 'test', cls), 5)) {
        const img = loadJpeg(file);
        const p = await classifier.predictPixels(img);
        img.dispose();
        expect(p.length).toBe(3);
        expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        if (argmax(p) === label) right++;
      }
    }
    console.log(`Classifier: ${right}/15 fixture test images right`);
    expect(right).toBeGreaterThanOrEqual(12);
  });

  it('gives the same answer from pixels as from the stored embedding of the same image', async () => {
    const [file] = await listImages('fixtures', 'test', 'rock');
    const [embedding] = await embedFiles(extractor, [file]);
    const img = loadJpeg(file);
    const fromPixels = await classifier.predictPixels(img);
    const fromEmbedding = await classifier.predictEmbedding(embedding);
    img.dispose();
    fromPixels.forEach((v, i) => expect(Math.abs(v - fromEmbedding[i])).toBeLessThan(1e-6));
  });

  it('mirrors before predicting when asked', async () => {
    const [file] = await listImages('fixtures', 'test', 'scissors');
    const img = loadJpeg(file);
    const flipped = tf.reverse(img, 1) as tf.Tensor3D;
    const a = await classifier.predictPixels(img, true);
    const b = await classifier.predictPixels(flipped);
    tf.dispose([img, flipped]);
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-6));
  });

  it('refuses labels that do not match the head', async () => {
    const { model } = await trainHead({ examples: await loadExamples(extractor, 'fixtures', 'train', 3), numClasses: 3, config: { epochs: 1 } });
    expect(() => new Classifier(extractor, model, 'l2', ['a', 'b'])).toThrow(/3 outputs/);
    model.dispose();
  });

  it('does not leak tensors', async () => {
    const img = loadJpeg((await listImages('fixtures', 'train', 'paper'))[0]);
    await classifier.predictPixels(img);
    expect(await tensorsLeftBy(() => classifier.predictPixels(img, true))).toBe(0);
    expect(await tensorsLeftBy(() => classifier.predictEmbedding(new Float32Array(256).fill(0.1)))).toBe(0);
    img.dispose();
  });

  it('disposes its head but not the shared extractor', async () => {
    const { model, transform } = await trainHead({ examples: await loadExamples(extractor, 'fixtures', 'train', 3), numClasses: 3, config: { epochs: 1 } });
    const before = tf.memory().numTensors;
    const headTensors = model.getWeights().length;
    new Classifier(extractor, model, transform, ['a', 'b', 'c']).dispose();
    expect(tf.memory().numTensors).toBe(before - headTensors);
    const blank = tf.zeros([224, 224, 3]) as tf.Tensor3D;
    expect((await extractor.embed([blank]))[0].length).toBe(256);
    blank.dispose();
  });
});
