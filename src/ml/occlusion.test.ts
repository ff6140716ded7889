import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensorsLeftBy, useTestBackend } from '../test/backend';
import { loadExamples } from '../test/embeddings';
import { listImages, loadJpeg, readBaseFiles } from '../test/modelFiles';
import { Classifier } from './classifier';
import type { FeatureExtractor } from './featureExtractor';
import { BASE_MODEL_FOLDERS, DEFAULT_BASES, loadExtractors } from './multiBase';
import { occlusionMap } from './occlusion';
import { trainHead } from './trainer';

let extractor: FeatureExtractor;
let classifier: Classifier;
let image: tf.Tensor3D;

beforeAll(async () => {
  await useTestBackend();
  extractor = await loadExtractors(await Promise.all(DEFAULT_BASES.map(async (base) => ({ base, files: await readBaseFiles(BASE_MODEL_FOLDERS[base.id]) }))));
  const examples = await loadExamples(extractor, 'fixtures', 'train', 10);
  const { model, transform } = await trainHead({ examples, numClasses: 3, config: { epochs: 10 } });
  classifier = new Classifier(extractor, model, transform, ['rock', 'paper', 'scissors']);
  image = loadJpeg((await listImages('fixtures', 'test', 'paper'))[5]);
});

afterAll(() => {
  image?.dispose();
  classifier?.dispose();
  extractor?.dispose();
});

describe('occlusionMap', () => {
  it('scores each cell of a 7 × 7 grid for the top class, most important cell 1', async () => {
    const map = await occlusionMap(classifier, image, 7);
    const probs = await classifier.predictPixels(image);
    expect(map.classIndex).toBe(probs.indexOf(Math.max(...probs)));
    expect(map.values).toHaveLength(49);
    expect(Math.max(...map.values)).toBe(1);
    expect(map.values.every((v) => v >= 0 && v <= 1)).toBe(true);
    console.log(`occlusion map 7x7, default three bases, ${tf.getBackend()}: ${map.ms.toFixed(0)} ms`);
    expect(map.ms).toBeGreaterThan(0);
  });

  it('is zero everywhere for an image whose top class nothing can lower (a flat grey image)', async () => {
    const grey = tf.fill([224, 224, 3], 127.5) as tf.Tensor3D;
    const map = await occlusionMap(classifier, grey, 3);
    grey.dispose();
    // Greying a cell of a grey image changes nothing: no drop anywhere.
    expect(map.values.every((v) => v === 0)).toBe(true);
  });

  it('leaves no tensors behind', async () => {
    await occlusionMap(classifier, image, 2);
    expect(await tensorsLeftBy(() => occlusionMap(classifier, image, 3))).toBe(0);
  });
});
