import * as tf from '@tensorflow/tfjs';
import { strFromU8 } from 'fflate';

/** A load handler built from unzipped entries only: a model.json plus its shards, relative to its folder. */
export function handlerFromZip(entries: Record<string, Uint8Array>, modelPath: string): tf.io.IOHandler {
  const model = JSON.parse(strFromU8(entries[modelPath])) as tf.io.ModelJSON;
  const folder = modelPath.slice(0, modelPath.lastIndexOf('/') + 1);
  const shards = model.weightsManifest.flatMap((g) => g.paths).map((p) => entries[folder + p]);
  const bytes = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
  shards.reduce((offset, s) => (bytes.set(s, offset), offset + s.length), 0);
  return tf.io.fromMemory({ ...model, weightSpecs: model.weightsManifest.flatMap((g) => g.weights), weightData: bytes.buffer });
}
