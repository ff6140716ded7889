import { readFile, readdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { shardPaths, type ModelFiles, type ModelJsonFile } from '../ml/modelFiles';

/** The repository root (this file lives in `src/test`). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Optional, larger data beside the repository (`../shared`, or GLANCE_SHARED_DIR): the full datasets `npm run eval`
 * and `npm run bench` measure on. Tests never need it. Read-only: never write here.
 */
export const sharedDir = process.env.GLANCE_SHARED_DIR ? path.resolve(process.env.GLANCE_SHARED_DIR) : path.resolve(repoRoot, '../shared');

/** The committed test images: 40 train + 20 test rps-cgi images per class (fixtures/rps-cgi/NOTICE). */
export const fixturesDir = path.join(repoRoot, 'fixtures', 'rps-cgi');

/** The app's base model, as served from `public/`. */
export const baseModelDir = path.join(repoRoot, 'public/models/mobilenet_v1_025_224_classification_graph');

/** The shared image datasets (see ../shared/datasets/SOURCES.md). */
export type DatasetName = 'rps-webcam' | 'rps-cgi';
/** Where images are read from: the committed fixtures (what tests use), or a shared dataset (eval, bench). */
export type ImageSource = 'fixtures' | DatasetName;
/** Dataset splits: the first 70% of each class (sorted by name) is train, the rest test. */
export type Split = 'train' | 'test';
/** Class folders of both rps datasets; the index is the label tests train with. */
export const RPS_CLASSES = ['rock', 'paper', 'scissors'] as const;
/** One rps class folder name. */
export type RpsClass = (typeof RPS_CLASSES)[number];

/** Reads `model.json` and its shards from a directory, the Node twin of `fetchModelFiles`. */
export async function readModelFilesFromDir(dir: string): Promise<ModelFiles> {
  const modelJsonText = await readFile(path.join(dir, 'model.json'), 'utf8');
  const modelJson = JSON.parse(modelJsonText) as ModelJsonFile;
  const weights = new Map<string, Uint8Array>();
  for (const p of shardPaths(modelJson)) {
    weights.set(p, new Uint8Array(await readFile(path.join(dir, p))));
  }
  return { modelJson, weights, modelJsonText };
}

/** Decodes a JPEG file with jpeg-js into an int32 [H, W, 3] tensor of 0–255 pixels. Caller disposes. */
export function loadJpeg(file: string): tf.Tensor3D {
  const { width, height, data } = jpeg.decode(readFileSync(file), { useTArray: true, formatAsRGBA: false });
  return tf.tensor3d(Int32Array.from(data), [height, width, 3], 'int32');
}

/** The folder of one class of one split of an image source. */
export function imageDir(source: ImageSource, split: Split, cls: RpsClass): string {
  return source === 'fixtures' ? path.join(fixturesDir, split, cls) : path.join(sharedDir, 'datasets', source, split, cls);
}

/** Sorted absolute paths of the JPEGs of one class of one split of an image source. */
export async function listImages(source: ImageSource, split: Split, cls: RpsClass): Promise<string[]> {
  const dir = imageDir(source, split, cls);
  const names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.jpg')).sort();
  return names.map((n) => path.join(dir, n));
}

/** A base's files: the app's copy in public/models when the app ships it, else the one in ../shared/models. */
export async function readBaseFiles(folder: string): Promise<ModelFiles> {
  return readModelFilesFromDir(path.join(repoRoot, 'public/models', folder)).catch(() => readModelFilesFromDir(path.join(sharedDir, 'models', folder)));
}
