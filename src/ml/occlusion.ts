import * as tf from '@tensorflow/tfjs';
import type { Classifier } from './classifier';
import { EMBED_BATCH_SIZE } from './featureExtractor';
import { cropAndResize } from './preprocess';

/** Where the model looks: how much each cell of a grid over the crop matters to the top class. */
export interface OcclusionMap {
  grid: number;
  /** grid × grid values, row after row from the top left, 0–1 (1: hiding this cell costs the most confidence). */
  values: number[];
  /** The class whose confidence was measured (the top class of the whole image). */
  classIndex: number;
  /** How long the map took, in milliseconds. */
  ms: number;
}

/**
 * Occlusion sensitivity (Zeiler & Fergus): greys out each cell of a `grid` × `grid` partition of the 224×224 crop
 * in turn, runs the whole classifier on the copies in batches, and records how far the top class's probability
 * falls. Normalised so the most important cell is 1. Costs grid² extractor runs (49 for 7 × 7).
 */
export async function occlusionMap(classifier: Classifier, pixels: tf.Tensor3D, grid = 7, mirror = false): Promise<OcclusionMap> {
  const started = performance.now();
  const crop = cropAndResize(pixels, mirror);
  try {
    const [baseProbs] = await classifier.probabilitiesOfCrops([crop]);
    let classIndex = 0;
    baseProbs.forEach((p, i) => (p > baseProbs[classIndex] ? (classIndex = i) : 0));
    const cells = grid * grid;
    const drops: number[] = [];
    for (let start = 0; start < cells; start += EMBED_BATCH_SIZE) {
      const count = Math.min(EMBED_BATCH_SIZE, cells - start);
      const occluded = tf.tidy(() => tf.unstack(occludedCopies(crop, grid, start, count)) as tf.Tensor3D[]);
      try {
        const probs = await classifier.probabilitiesOfCrops(occluded);
        probs.forEach((p) => drops.push(Math.max(0, baseProbs[classIndex] - p[classIndex])));
      } finally {
        tf.dispose(occluded);
      }
    }
    const top = Math.max(...drops);
    return { grid, values: drops.map((d) => (top > 0 ? d / top : 0)), classIndex, ms: performance.now() - started };
  } finally {
    crop.dispose();
  }
}

/** Copies of `crop` with cells `start` … `start + count − 1` of the grid greyed out, one cell per copy. Sync: call inside tf.tidy. */
function occludedCopies(crop: tf.Tensor3D, grid: number, start: number, count: number): tf.Tensor4D {
  const size = crop.shape[0];
  const masks = Array.from({ length: count }, (_, j) => {
    const cell = start + j;
    const r = Math.floor(cell / grid);
    const c = cell % grid;
    const y0 = Math.floor((r * size) / grid);
    const y1 = Math.floor(((r + 1) * size) / grid);
    const x0 = Math.floor((c * size) / grid);
    const x1 = Math.floor(((c + 1) * size) / grid);
    // 1 outside the cell, 0 inside: the crop keeps its pixels except the cell, which turns mid-grey.
    const rows = tf.concat([tf.ones([y0, size]), tf.concat([tf.ones([y1 - y0, x0]), tf.zeros([y1 - y0, x1 - x0]), tf.ones([y1 - y0, size - x1])], 1), tf.ones([size - y1, size])], 0);
    return rows.expandDims(2);
  });
  const mask = tf.stack(masks) as tf.Tensor4D;
  return tf.add(tf.mul(crop, mask), tf.mul(tf.sub(1, mask), 127.5)) as tf.Tensor4D;
}
