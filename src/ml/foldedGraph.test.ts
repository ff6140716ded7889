import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensorsLeftBy, useTestBackend } from '../test/backend';
import { baseModelDir, readModelFilesFromDir } from '../test/modelFiles';
import { MOBILENET_V1_025 } from './featureExtractor';
import { foldGraphModel } from './foldedGraph';
import { UnsupportedLayerError, type FoldedModel } from './foldedLayers';
import { ioHandlerFromFiles, type ModelFiles } from './modelFiles';

let files: ModelFiles;
let program: FoldedModel;

beforeAll(async () => {
  await useTestBackend();
  files = await readModelFilesFromDir(baseModelDir);
  program = foldGraphModel(files, MOBILENET_V1_025.embeddingNode);
});

afterAll(() => program.dispose());

describe('foldGraphModel on the TF-Hub MobileNet v1 0.25 graph', () => {
  it('computes the graph’s global_pool embedding, as conv, depthwise and affine steps only', async () => {
    const graph = await tf.loadGraphModel(ioHandlerFromFiles(files));
    const x = tf.randomUniform([2, 224, 224, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    try {
      const want = tf.tidy(() => tf.reshape(graph.execute(x, MOBILENET_V1_025.embeddingNode) as tf.Tensor, [2, 256]));
      const got = program.apply(x);
      expect(got.shape).toEqual([2, 256]);
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]);
      const scale = tf.tidy(() => tf.max(tf.abs(want)).dataSync()[0]);
      expect(scale).toBeGreaterThan(0.1);
      expect(diff).toBeLessThan(1e-5 * Math.max(1, scale));
      tf.dispose([want, got]);
      const kinds = program.steps.map((s) => s.op.kind);
      expect(new Set(kinds)).toEqual(new Set(['affine', 'conv', 'depthwise', 'mean']));
      expect(kinds.filter((k) => k === 'depthwise')).toHaveLength(13);
    } finally {
      x.dispose();
      graph.dispose();
    }
  });

  it('leaves no tensors behind: apply is tidy, and a folded program frees what it kept', async () => {
    const x = tf.ones([1, 224, 224, 3]) as tf.Tensor4D;
    expect(await tensorsLeftBy(() => program.apply(x).dispose())).toBe(0);
    x.dispose();
    expect(await tensorsLeftBy(() => foldGraphModel(files, MOBILENET_V1_025.embeddingNode).dispose())).toBe(0);
  });

  it('refuses a node it cannot reach, leaving nothing allocated', async () => {
    expect(await tensorsLeftBy(() => expect(() => foldGraphModel(files, 'no/such/node')).toThrow(UnsupportedLayerError))).toBe(0);
  });
});
