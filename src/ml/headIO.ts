import * as tf from '@tensorflow/tfjs';

/** A trained head as files: `model.json` (pointing at `weights.bin`) and the weights' bytes. */
export interface HeadArtifacts {
  modelJson: tf.io.ModelJSON;
  weights: Uint8Array;
}

/** Serialises a LayersModel to a model.json object + one weights file, without touching the network. */
export async function saveHead(model: tf.LayersModel, weightsPath = 'weights.bin'): Promise<HeadArtifacts> {
  let out: HeadArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const data = a.weightData instanceof ArrayBuffer ? a.weightData : tf.io.concatenateArrayBuffers(a.weightData ?? []);
      out = {
        modelJson: {
          modelTopology: a.modelTopology as tf.io.ModelJSON['modelTopology'],
          format: a.format,
          generatedBy: a.generatedBy,
          convertedBy: a.convertedBy ?? null,
          weightsManifest: [{ paths: [weightsPath], weights: a.weightSpecs ?? [] }],
        },
        weights: new Uint8Array(data.slice(0)),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!out) throw new Error('The model could not be serialised.');
  return out;
}

/** Loads a head saved by `saveHead` (or any single-file layers model.json + weights). */
export async function loadHead(a: HeadArtifacts): Promise<tf.LayersModel> {
  const w = a.weights;
  const weightData = w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: a.modelJson.modelTopology,
      weightSpecs: a.modelJson.weightsManifest.flatMap((g) => g.weights),
      weightData,
    }),
  );
}
