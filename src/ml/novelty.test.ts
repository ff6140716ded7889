import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../test/backend';
import { embedFiles, loadExamples } from '../test/embeddings';
import { readBaseFiles } from '../test/modelFiles';
import { fixtureFrames, noiseImages } from '../test/oodImages';
import type { FeatureExtractor } from './featureExtractor';
import { BASE_MODEL_FOLDERS, DEFAULT_BASES, loadExtractors } from './multiBase';
import { fitNovelty, isNovel, noveltyDistance, noveltyMetadata, percentileOf, thresholdForSlider, type NoveltyModel } from './novelty';

/** A unit vector along axis `i` of `dim`, nudged by `jitter` along axis `j`. */
function axis(dim: number, i: number, jitter = 0, j = (i + 1) % dim): Float32Array {
  const v = new Float32Array(dim);
  v[i] = 1;
  v[j] += jitter;
  return v;
}

describe('the None-of-these rule on crafted embeddings', () => {
  // Two classes, each a tight bundle around its own axis; everything else is far from both.
  const embeddings = [0.01, 0.02, 0.03, 0.04].flatMap((t) => [axis(8, 0, t), axis(8, 1, t)]);
  const labels = embeddings.map((_, i) => i % 2);
  const model = fitNovelty(embeddings, labels);

  it('calibrates on leave-one-out distances and flags what is unlike every class', () => {
    expect(model.rule.calibration).toHaveLength(8);
    expect(model.rule.calibration.every((d, i, a) => i === 0 || d >= a[i - 1])).toBe(true);
    expect(model.rule.threshold).toBeCloseTo(percentileOf(model.rule.calibration, 95) * 2.2, 10);
    expect(isNovel(model, axis(8, 0, 0.025))).toBe(false);
    expect(isNovel(model, axis(8, 1, 0.015))).toBe(false);
    expect(isNovel(model, axis(8, 5))).toBe(true);
    // Halfway between the classes is unlike both.
    expect(isNovel(model, Float32Array.from([1, 1, 0, 0, 0, 0, 0, 0]))).toBe(true);
  });

  it('measures cosine distance, so the length of an embedding does not matter', () => {
    const v = axis(8, 0, 0.5);
    const long = v.map((x) => x * 10);
    expect(noveltyDistance(model, long)).toBeCloseTo(noveltyDistance(model, v), 6);
  });

  it('moves the cut-off with the slider: 50 is the default, higher is stricter', () => {
    expect(thresholdForSlider(model.rule, 50)).toBeCloseTo(model.rule.threshold, 10);
    expect(thresholdForSlider(model.rule, 75)).toBeCloseTo(model.rule.threshold / 2, 10);
    expect(thresholdForSlider(model.rule, 0)).toBeGreaterThan(thresholdForSlider(model.rule, 100));
  });

  it('writes metadata that decodes back to the same references', () => {
    const meta = noveltyMetadata(model, ['a', 'b'], 75);
    expect(meta.threshold).toBeCloseTo(model.rule.threshold / 2, 10);
    expect(meta.references).toMatchObject({ count: 8, dim: 8, labels: ['a', 'b'], labelIndex: labels });
    const bytes = Uint8Array.from(atob(meta.references.data), (c) => c.charCodeAt(0));
    const rows = new Float32Array(bytes.buffer);
    expect(Array.from(rows.subarray(8, 16))).toEqual(Array.from(model.references[1]));
  });

  it('keeps at most maxPerClass references per class, spread over the class', () => {
    const many = Array.from({ length: 30 }, (_, i) => axis(8, i % 2, i / 100));
    const small = fitNovelty(many, many.map((_, i) => i % 2), { maxPerClass: 5 });
    expect(small.references).toHaveLength(10);
    expect(small.labels.filter((l) => l === 0)).toHaveLength(5);
  });
});

describe('the None-of-these rule on real embeddings (default image model, committed CGI hands and video frames)', () => {
  let extractor: FeatureExtractor;
  let model: NoveltyModel;
  let heldOut: Float32Array[];
  let video: Float32Array[];
  let noise: Float32Array[];

  beforeAll(async () => {
    await useTestBackend();
    const sources = await Promise.all(DEFAULT_BASES.map(async (base) => ({ base, files: await readBaseFiles(BASE_MODEL_FOLDERS[base.id]) })));
    extractor = await loadExtractors(sources);
    const train = await loadExamples(extractor, 'fixtures', 'train', 30);
    model = fitNovelty(train.map((e) => e.embedding), train.map((e) => e.label));
    heldOut = (await loadExamples(extractor, 'fixtures', 'test', 20)).map((e) => e.embedding);
    video = await embedFiles(extractor, fixtureFrames());
    const images = noiseImages(8);
    try {
      noise = await extractor.embed(images);
    } finally {
      tf.dispose(images);
    }
  });

  afterAll(() => extractor?.dispose());

  const rate = (rows: Float32Array[]) => rows.filter((e) => isNovel(model, e)).length / rows.length;

  it('flags frames of unrelated videos and noise images', () => {
    expect(video.length).toBeGreaterThan(20);
    expect(rate(video)).toBeGreaterThanOrEqual(0.8);
    expect(rate(noise)).toBe(1);
  });

  it('rarely flags held-out images of the trained classes', () => {
    expect(heldOut).toHaveLength(60);
    expect(rate(heldOut)).toBeLessThanOrEqual(0.1);
  });
});
