import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { strFromU8, unzipSync } from 'fflate';
import jpeg from 'jpeg-js';
import { expect } from './fixtures';

/** `metadata.json` of an exported model: everything needed to turn an image into the app's prediction. */
export interface ExportMetadata {
  labels: string[];
  imageSize: number;
  crop: string;
  resize: { method: string; alignCorners: boolean; halfPixelCenters: boolean };
  bases: {
    id: string;
    modelPath: string;
    format: string;
    embeddingNode: string;
    pooling: 'none' | 'mean';
    inputRange: [number, number];
    embeddingSize: number;
    normalize?: 'l2';
  }[];
  head: { modelPath: string; embeddingTransform: 'none' | 'l2' };
  appVersion: string;
  createdAt: string;
}

export type ZipEntries = Record<string, Uint8Array>;

interface ModelJson {
  format?: string;
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  [key: string]: unknown;
}

export function readZip(file: string): ZipEntries {
  return unzipSync(new Uint8Array(fs.readFileSync(file)));
}

function readJson<T>(entries: ZipEntries, name: string): T {
  expect(Object.keys(entries), `the export holds ${name}`).toContain(name);
  return JSON.parse(strFromU8(entries[name])) as T;
}

/** The weight files a model.json names, as zip entry names (paths are relative to the model.json). */
function weightFiles(modelPath: string, json: ModelJson): string[] {
  const dir = path.posix.dirname(modelPath);
  return json.weightsManifest.flatMap((group) => group.paths.map((p) => path.posix.normalize(path.posix.join(dir, p))));
}

/** Checks the package layout and `metadata.json` against the contract; returns the metadata. */
export function expectValidExport(entries: ZipEntries, labels: readonly string[]): ExportMetadata {
  const names = Object.keys(entries);
  console.log(`export entries (${names.length}): ${names.filter((n) => !/shard\d+of\d+/.test(n)).join(", ")} + weight shards`);
  const meta = readJson<ExportMetadata>(entries, 'metadata.json');
  expect([...meta.labels].sort()).toEqual([...labels].sort());
  expect(meta.imageSize).toBe(224);
  expect(meta.crop).toBe('center-square');
  expect(meta.resize.method).toBe('bilinear');
  expect(typeof meta.resize.alignCorners).toBe('boolean');
  expect(typeof meta.resize.halfPixelCenters).toBe('boolean');
  expect(typeof meta.appVersion).toBe('string');
  expect(Number.isNaN(Date.parse(meta.createdAt)), `createdAt "${meta.createdAt}" is a date`).toBe(false);

  expect(meta.head.modelPath).toBe('model.json');
  expect(['none', 'l2']).toContain(meta.head.embeddingTransform);
  const head = readJson<ModelJson>(entries, 'model.json');
  const headWeights = weightFiles('model.json', head);
  expect(headWeights.length).toBeGreaterThan(0);
  for (const file of headWeights) {
    expect(file.includes('/'), `head weights ${file} at the top level`).toBe(false);
    expect(names).toContain(file);
  }

  expect(meta.bases.length).toBeGreaterThanOrEqual(1);
  // One base sits in base/, each of several in base/<id>/, l2-normalised before they are concatenated.
  if (meta.bases.length === 1) expect(names).toContain('base/model.json');
  expect(new Set(meta.bases.map((b) => b.modelPath)).size).toBe(meta.bases.length);
  for (const base of meta.bases) {
    expect(typeof base.id).toBe('string');
    expect(['graph-model', 'layers-model']).toContain(base.format);
    expect(base.modelPath).toBe(meta.bases.length === 1 ? 'base/model.json' : `base/${base.id}/model.json`);
    if (meta.bases.length > 1) expect(base.normalize).toBe('l2');
    expect(typeof base.embeddingNode).toBe('string');
    expect(['none', 'mean']).toContain(base.pooling);
    expect(base.inputRange).toHaveLength(2);
    expect(base.inputRange[0]).toBeLessThan(base.inputRange[1]);
    expect(base.embeddingSize).toBeGreaterThan(0);
    const json = readJson<ModelJson>(entries, base.modelPath);
    const shards = weightFiles(base.modelPath, json);
    expect(shards.length).toBeGreaterThan(0);
    for (const file of shards) {
      expect(file.startsWith('base/'), `base shard ${file} inside base/`).toBe(true);
      expect(names).toContain(file);
    }
  }
  return meta;
}

/** An IOHandler that serves a model.json and its weights straight from the zip entries. */
function zipHandler(entries: ZipEntries, modelPath: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(strFromU8(entries[modelPath])) as ModelJson;
      const parts = weightFiles(modelPath, json).map((file) => entries[file]);
      const weightData = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
      let offset = 0;
      for (const part of parts) {
        weightData.set(part, offset);
        offset += part.byteLength;
      }
      const { weightsManifest, modelTopology, ...rest } = json;
      return {
        ...rest,
        modelTopology,
        weightSpecs: weightsManifest.flatMap((group) => group.weights),
        weightData: weightData.buffer,
      } as tf.io.ModelArtifacts;
    },
  };
}

/** The exported model run by plain TF.js in Node, following metadata.json and nothing else. */
export interface ReferenceModel {
  backend: string;
  /** Probabilities for one JPEG file, in `metadata.labels` order. */
  predict(jpegFile: string): Promise<Float32Array>;
  /** Probabilities for RGB pixels (row-major, 3 bytes per pixel). */
  predictPixels(rgb: Uint8Array, height: number, width: number): Promise<Float32Array>;
  dispose(): void;
}

export async function loadReferenceModel(entries: ZipEntries, meta: ExportMetadata): Promise<ReferenceModel> {
  const ok = await tf.setBackend('wasm').catch(() => false);
  if (!ok) await tf.setBackend('cpu');
  await tf.ready();
  // As the export's README does it: a graph model runs to its embedding node, a layers model is cut at that layer.
  const bases = await Promise.all(
    meta.bases.map(async (b) => {
      if (b.format === 'graph-model') {
        const graph = await tf.loadGraphModel(zipHandler(entries, b.modelPath));
        return { run: (x: tf.Tensor) => graph.execute(x, b.embeddingNode) as tf.Tensor, dispose: () => graph.dispose() };
      }
      const full = await tf.loadLayersModel(zipHandler(entries, b.modelPath));
      const last = full.layers[full.layers.length - 1];
      const model = last.name === b.embeddingNode ? full : tf.model({ inputs: full.inputs, outputs: full.getLayer(b.embeddingNode).output });
      return { run: (x: tf.Tensor) => model.predict(x) as tf.Tensor, dispose: () => full.dispose() };
    }),
  );
  const l2 = (x: tf.Tensor) => x.div(tf.maximum(tf.norm(x, 'euclidean', 1, true), 1e-12));
  const headJson = JSON.parse(strFromU8(entries[meta.head.modelPath])) as ModelJson;
  const headHandler = zipHandler(entries, meta.head.modelPath);
  const head = headJson.format === 'graph-model' ? await tf.loadGraphModel(headHandler) : await tf.loadLayersModel(headHandler);

  const pixels = (file: string): tf.Tensor3D => {
    const image = jpeg.decode(fs.readFileSync(file), { useTArray: true, formatAsRGBA: false });
    return tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
  };
  const embed = (image: tf.Tensor3D): tf.Tensor2D =>
    tf.tidy(() => {
      const [h, w] = image.shape;
      const side = Math.min(h, w);
      const square = tf.slice(image, [Math.floor((h - side) / 2), Math.floor((w - side) / 2), 0], [side, side, 3]);
      const resized = tf.image.resizeBilinear(
        square.toFloat(), [meta.imageSize, meta.imageSize], meta.resize.alignCorners, meta.resize.halfPixelCenters);
      const parts = meta.bases.map((base, i) => {
        const [low, high] = base.inputRange;
        const input = resized.div(255).mul(high - low).add(low).expandDims(0);
        let out = bases[i].run(input);
        if (base.pooling === 'mean') out = out.mean([1, 2]);
        const flat = out.reshape([1, base.embeddingSize]);
        return base.normalize === 'l2' ? l2(flat) : flat;
      });
      const embedding = parts.length === 1 ? parts[0] : tf.concat(parts, 1);
      if (meta.head.embeddingTransform !== 'l2') return embedding as tf.Tensor2D;
      return l2(embedding) as tf.Tensor2D;
    });

  const run = async (image: tf.Tensor3D): Promise<Float32Array> => {
    const embedding = embed(image);
    const probs = tf.tidy(() => (head.predict(embedding) as tf.Tensor).reshape([-1]));
    try {
      return (await probs.data()) as Float32Array;
    } finally {
      tf.dispose([image, embedding, probs]);
    }
  };

  return {
    backend: tf.getBackend(),
    predictPixels: (rgb, height, width) => run(tf.tensor3d(rgb, [height, width, 3], 'int32')),
    predict: async (jpegFile) => run(pixels(jpegFile)),
    dispose() {
      bases.forEach((b) => b.dispose());
      head.dispose();
    },
  };
}

export interface Comparison {
  /** Images whose top class is the same in the page and in Node. */
  agree: number;
  /** Largest and mean (over images) of the largest per-class |page − Node| probability difference. */
  maxDiff: number;
  meanDiff: number;
  worst: string;
  rows: { file: string; page: number[]; node: number[] }[];
}

/**
 * Compares the page's probabilities (per file, in `order`) with Node's (`predict` answers in `labels` order, as in
 * metadata.json).
 */
export async function comparePredictions(
  pageProbs: Map<string, number[]>, labels: readonly string[], order: readonly string[],
  predict: (file: string) => Promise<Float32Array>,
): Promise<Comparison> {
  const result: Comparison = { agree: 0, maxDiff: 0, meanDiff: 0, worst: '', rows: [] };
  const top = (values: readonly number[]): number => values.indexOf(Math.max(...values));
  for (const [file, fromPage] of pageProbs) {
    const inNode = await predict(file);
    const node = order.map((label) => inNode[labels.indexOf(label)]);
    result.rows.push({ file: path.basename(file), page: fromPage, node });
    if (top(node) === top(fromPage)) result.agree += 1;
    const diffs = node.map((p, i) => Math.abs(p - fromPage[i]));
    const diff = Math.max(...diffs);
    result.meanDiff += diff / pageProbs.size;
    if (diff > result.maxDiff) {
      const i = diffs.indexOf(diff);
      result.maxDiff = diff;
      result.worst = `${path.basename(file)} ${order[i]}: page ${fromPage[i].toFixed(4)}, Node ${node[i].toFixed(4)}`;
    }
  }
  return result;
}
