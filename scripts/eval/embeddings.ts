import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { AUGMENT_COUNT, augmentedCrops } from '../../src/ml/augment';
import type { FeatureExtractor } from '../../src/ml/featureExtractor';
import { cropAndResize } from '../../src/ml/preprocess';
import { RPS_CLASSES, listImages, loadJpeg, repoRoot, type DatasetName, type Split } from '../../src/test/modelFiles';

/** Embeddings are cached here per base, dataset and split (never in ../shared). */
export const CACHE_DIR = path.join(repoRoot, 'node_modules/.cache/glance-eval');

/** One split of a dataset embedded by one base: rows in class order, then file-name order. */
export interface EmbeddedSplit {
  files: string[];
  labels: number[];
  dim: number;
  /** [files.length][dim]. */
  rows: Float32Array[];
  /** Train split only: AUGMENT_COUNT augmented embeddings per file, [files.length][AUGMENT_COUNT][dim]. */
  augmented?: Float32Array[][];
}

/** A stable per-image seed for `augmentedCrops`, from its file name. */
export function seedOf(file: string): number {
  return createHash('sha1').update(path.basename(file)).digest().readUInt32LE(0);
}

async function augmentKey(): Promise<string> {
  const source = await readFile(path.join(repoRoot, 'src/ml/augment.ts'), 'utf8');
  return createHash('sha1').update(source).digest('hex').slice(0, 10);
}

async function listSplit(dataset: DatasetName, split: Split): Promise<{ files: string[]; labels: number[] }> {
  const files: string[] = [];
  const labels: number[] = [];
  for (const [label, cls] of RPS_CLASSES.entries()) {
    const list = await listImages(dataset, split, cls);
    files.push(...list);
    labels.push(...list.map(() => label));
  }
  return { files, labels };
}

/** Embeds files a chunk at a time; with `augment`, also embeds AUGMENT_COUNT augmented copies of each. */
async function embedAll(extractor: FeatureExtractor, files: string[], augment: boolean): Promise<{ rows: Float32Array[]; aug: Float32Array[][] }> {
  const rows: Float32Array[] = [];
  const aug: Float32Array[][] = [];
  const chunk = 16;
  for (let i = 0; i < files.length; i += chunk) {
    const crops = files.slice(i, i + chunk).map((f) => tf.tidy(() => cropAndResize(loadJpeg(f))));
    try {
      rows.push(...(await extractor.embed(crops)));
      if (augment) {
        for (const [j, crop] of crops.entries()) {
          const copies = augmentedCrops(crop, seedOf(files[i + j]));
          try {
            aug.push(await extractor.embed(copies));
          } finally {
            tf.dispose(copies);
          }
        }
      }
    } finally {
      tf.dispose(crops);
    }
  }
  return { rows, aug };
}

function pack(rows: Float32Array[]): Uint8Array {
  const out = new Float32Array(rows.reduce((n, r) => n + r.length, 0));
  let o = 0;
  for (const r of rows) {
    out.set(r, o);
    o += r.length;
  }
  return new Uint8Array(out.buffer);
}

function unpack(bytes: Buffer, dim: number): Float32Array[] {
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return Array.from({ length: all.length / dim }, (_, i) => all.subarray(i * dim, (i + 1) * dim));
}

async function readCached(file: string, names: string[], dim: number): Promise<Float32Array[] | null> {
  try {
    const meta = JSON.parse(await readFile(`${file}.json`, 'utf8')) as { files: string[]; dim: number };
    if (meta.dim !== dim || JSON.stringify(meta.files) !== JSON.stringify(names)) return null;
    return unpack(await readFile(`${file}.f32`), dim);
  } catch {
    return null;
  }
}

async function writeCached(file: string, names: string[], dim: number, rows: Float32Array[]): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(`${file}.f32`, pack(rows));
  await writeFile(`${file}.json`, JSON.stringify({ files: names, dim }));
}

/**
 * The embeddings of one dataset split by one base, from the cache or computed (and cached). With `augment`, also
 * AUGMENT_COUNT augmented embeddings per image, cached under a hash of src/ml/augment.ts (changing it re-embeds).
 */
export async function embeddedSplit(extractor: FeatureExtractor, dataset: DatasetName, split: Split, log: (m: string) => void, augment = false): Promise<EmbeddedSplit> {
  const { files, labels } = await listSplit(dataset, split);
  const dim = extractor.base.embeddingSize;
  const names = files.map((f) => path.relative(path.join(repoRoot, '..'), f));
  const base = path.join(CACHE_DIR, extractor.base.id, `${dataset}-${split}`);
  const augFile = `${base}-aug${AUGMENT_COUNT}-${await augmentKey()}`;
  let rows = await readCached(base, names, dim);
  const flatAug = augment ? await readCached(augFile, names.flatMap((n) => Array.from({ length: AUGMENT_COUNT }, (_, j) => `${n}#${j}`)), dim) : null;
  if (!rows || (augment && !flatAug)) {
    const t0 = performance.now();
    const fresh = await embedAll(extractor, files, augment && !flatAug);
    log(`  embedded ${dataset}/${split} with ${extractor.base.id}${augment ? ` (+${AUGMENT_COUNT} augmented each)` : ''} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    rows = fresh.rows;
    await writeCached(base, names, dim, rows);
    if (augment && !flatAug) {
      await writeCached(augFile, names.flatMap((n) => Array.from({ length: AUGMENT_COUNT }, (_, j) => `${n}#${j}`)), dim, fresh.aug.flat());
      return { files, labels, dim, rows, augmented: fresh.aug };
    }
  }
  const augmented = flatAug ? files.map((_, i) => flatAug.slice(i * AUGMENT_COUNT, (i + 1) * AUGMENT_COUNT)) : undefined;
  return { files, labels, dim, rows, augmented };
}
