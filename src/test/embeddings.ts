import * as tf from '@tensorflow/tfjs';
import type { FeatureExtractor } from '../ml/featureExtractor';
import { cropAndResize } from '../ml/preprocess';
import type { TrainingExample } from '../ml/trainer';
import { RPS_CLASSES, listImages, loadJpeg, type ImageSource, type Split } from './modelFiles';

/** Decodes, crops and embeds image files a few at a time (so hundreds of images never sit in memory at once). */
export async function embedFiles(extractor: FeatureExtractor, files: string[], chunk = 32): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < files.length; i += chunk) {
    const crops = files.slice(i, i + chunk).map((f) => tf.tidy(() => cropAndResize(loadJpeg(f))));
    try {
      out.push(...(await extractor.embed(crops)));
    } finally {
      tf.dispose(crops);
    }
  }
  return out;
}

/** Every k-th of `items` so that at most `n` remain, spread over the whole list (frames next to each other look alike). */
export function spread<T>(items: T[], n: number): T[] {
  if (n >= items.length) return items;
  const step = items.length / n;
  return Array.from({ length: n }, (_, i) => items[Math.floor(i * step)]);
}

/** Examples for rock (0), paper (1), scissors (2) from one split of an image source; `perClass` takes n spread out. */
export async function loadExamples(
  extractor: FeatureExtractor,
  source: ImageSource,
  split: Split,
  perClass = Infinity,
): Promise<TrainingExample[]> {
  const examples: TrainingExample[] = [];
  for (const [label, cls] of RPS_CLASSES.entries()) {
    const files = spread(await listImages(source, split, cls), perClass);
    const embeddings = await embedFiles(extractor, files);
    examples.push(...embeddings.map((embedding) => ({ embedding, label })));
  }
  return examples;
}
