import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { AUGMENT_BY_DEFAULT } from '../../src/ml/head';
import type { FeatureExtractor } from '../../src/ml/featureExtractor';
import { BASE_MODEL_FOLDERS, DEFAULT_BASES, loadExtractors } from '../../src/ml/multiBase';
import { cropAndResize } from '../../src/ml/preprocess';
import { loadJpeg, readModelFilesFromDir, repoRoot, sharedDir } from '../../src/test/modelFiles';
import { msPerImage } from './bases';
import { featuresOf, type SplitsByBase } from './protocol';

/** The app's default extractor, loaded from public/models exactly as the app ships it. */
export async function loadDefault(): Promise<FeatureExtractor> {
  const sources = await Promise.all(DEFAULT_BASES.map(async (base) => ({ base, files: await readModelFilesFromDir(path.join(repoRoot, 'public/models', BASE_MODEL_FOLDERS[base.id])) })));
  return loadExtractors(sources);
}

/**
 * Proves the cached features the "Glance default" row trains on are what the app computes: embeds a few test
 * images with the app's own default extractor (`loadExtractors(DEFAULT_BASES)`) and compares.
 */
export async function checkDefaultPath(data: Record<string, SplitsByBase>, log: (m: string) => void): Promise<string> {
  const ds = Object.keys(data)[0];
  const ids = DEFAULT_BASES.map((b) => b.id);
  if (!ids.every((id) => data[ds][id])) return 'default path check skipped (its bases are not in this run)';
  const idx = [0, 61, 179];
  const cached = featuresOf(data[ds], ids, 'test', idx, ids.length > 1).rows;
  const extractor = await loadDefault();
  try {
    const crops = idx.map((i) => tf.tidy(() => cropAndResize(loadJpeg(data[ds][ids[0]].test.files[i]))));
    const live = await extractor.embed(crops);
    tf.dispose(crops);
    let diff = 0;
    live.forEach((row, r) => row.forEach((x, j) => (diff = Math.max(diff, Math.abs(x - cached[r][j])))));
    const line = `Default path check: the app's default extractor (${extractor.base.id}, ${extractor.base.embeddingSize}-d, augmentation ${AUGMENT_BY_DEFAULT ? 'on' : 'off'}) reproduces the cached features the "Glance default" rows train on to max |Δ| = ${diff.toExponential(1)} (${sharedDir === path.resolve(repoRoot, '../shared') ? '../shared' : sharedDir} images, public/models weights).`;
    log(line);
    if (diff > 1e-4) throw new Error(`${line} That is too far: the eval no longer measures what the app runs.`);
    return line;
  } finally {
    extractor.dispose();
  }
}

/** Milliseconds per image of the app's default extractor: one image (live prediction) and batches of 16. */
export async function defaultSpeed(): Promise<{ id: string; b1: number; b16: number }> {
  const extractor = await loadDefault();
  try {
    return { id: extractor.base.id, b1: await msPerImage(extractor, 1), b16: await msPerImage(extractor, 16, 3) };
  } finally {
    extractor.dispose();
  }
}
