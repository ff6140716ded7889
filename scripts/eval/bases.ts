import { existsSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { MOBILENET_V1_025, MOBILENET_V1_025_LAYERS, MOBILENET_V1_075_LAYERS, TM_MOBILENET_V2_035, loadExtractor, type BaseDescriptor, type FeatureExtractor } from '../../src/ml/featureExtractor';
import { ioHandlerFromFiles } from '../../src/ml/modelFiles';
import { readModelFilesFromDir, repoRoot, sharedDir } from '../../src/test/modelFiles';

/** Folder name of each base under public/models (as shipped) or ../shared/models (as provided). */
export const BASE_FOLDERS: Record<string, string> = {
  [MOBILENET_V1_025.id]: 'mobilenet_v1_025_224_classification_graph',
  [MOBILENET_V1_025_LAYERS.id]: 'mobilenet_v1_0.25_224_layers',
  [TM_MOBILENET_V2_035.id]: 'tm_mobilenet_v2_035_224_no_top',
  [MOBILENET_V1_075_LAYERS.id]: 'mobilenet_v1_0.75_224_layers',
};

/** Short names for the table. */
export const SHORT: Record<string, string> = {
  [MOBILENET_V1_025.id]: 'v1g',
  [MOBILENET_V1_025_LAYERS.id]: 'v1k',
  [TM_MOBILENET_V2_035.id]: 'v2',
  [MOBILENET_V1_075_LAYERS.id]: 'v1k75',
};

/** The model folder: the app's copy in public/models when it ships one, else the shared one (read only). */
export function baseDir(base: BaseDescriptor): string {
  const folder = BASE_FOLDERS[base.id];
  const shipped = path.join(repoRoot, 'public/models', folder);
  return existsSync(path.join(shipped, 'model.json')) ? shipped : path.join(sharedDir, 'models', folder);
}

/** Loads one base from disk through the app's loader. */
export async function loadBase(base: BaseDescriptor): Promise<FeatureExtractor> {
  return loadExtractor(await readModelFilesFromDir(baseDir(base)), base);
}

/** Milliseconds per image through `embedBatch` for a batch of `n`, after a warm-up (median of `runs`). */
export async function msPerImage(extractor: FeatureExtractor, n: number, runs = 5): Promise<number> {
  const batch = tf.randomUniform([n, 224, 224, 3], 0, 255, 'float32', 1) as tf.Tensor4D;
  const once = async () => {
    const e = extractor.embedBatch(batch);
    try {
      await e.data();
    } finally {
      e.dispose();
    }
  };
  try {
    await once();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await once();
      times.push((performance.now() - t0) / n);
    }
    return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
  } finally {
    batch.dispose();
  }
}

/**
 * Multiply-accumulates per 224×224 image of a layers model up to (and including) `embeddingNode`: convolutions,
 * depthwise convolutions and dense layers (batch norms, activations and pooling are a rounding error).
 */
export async function layersMacs(base: BaseDescriptor): Promise<number> {
  const files = await readModelFilesFromDir(baseDir(base));
  const model = await tf.loadLayersModel(ioHandlerFromFiles(files));
  try {
    let macs = 0;
    const visit = (layers: tf.layers.Layer[]): boolean => {
      for (const layer of layers) {
        if (layer instanceof tf.LayersModel) {
          if (visit(layer.layers)) return true;
          continue;
        }
        const cls = layer.getClassName();
        const out = layer.outputShape as number[];
        if (cls === 'Conv2D' || cls === 'DepthwiseConv2D') {
          // Conv2D kernel [kh, kw, in, out]; DepthwiseConv2D [kh, kw, in, multiplier]: either way the product per pixel.
          const [kh, kw, cin, cout] = layer.getWeights()[0].shape;
          macs += out[1] * out[2] * kh * kw * cin * cout;
        } else if (cls === 'Dense') {
          const [i, o] = layer.getWeights()[0].shape;
          macs += i * o;
        }
        if (layer.name === base.embeddingNode) return true;
      }
      return false;
    };
    visit(model.layers);
    return macs;
  } finally {
    model.dispose();
  }
}
