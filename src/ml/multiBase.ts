import * as tf from '@tensorflow/tfjs';
import { ModelLoadError } from './errors';
import { embedInBatches, MOBILENET_V1_025, MOBILENET_V1_025_LAYERS, TM_MOBILENET_V2_035, loadExtractor, type BaseDescriptor, type FeatureExtractor } from './featureExtractor';
import type { ModelFiles } from './modelFiles';

/** One base to load: its descriptor and its in-memory files (from `fetchModelFiles`). */
export interface BaseSource {
  base: BaseDescriptor;
  files: ModelFiles;
}

/** Folder of each base under `public/models/` (the app fetches `<BASE_URL>models/<folder>/model.json`). */
export const BASE_MODEL_FOLDERS: Record<string, string> = {
  'mobilenet-v1-025-224': 'mobilenet_v1_025_224_classification_graph',
  'mobilenet-v1-025-224-layers': 'mobilenet_v1_0.25_224_layers',
  'tm-mobilenet-v2-035-224': 'tm_mobilenet_v2_035_224_no_top',
};

/**
 * The bases the app uses by default, in concatenation order: today the TF-Hub MobileNet v1 α0.25 alone (256-d,
 * ~9 ms per image on WASM), the base every shipped feature was built and tested on.
 */
export const DEFAULT_BASES: readonly BaseDescriptor[] = [MOBILENET_V1_025];

/**
 * The combination `npm run eval` found best (docs/benchmarks.md): no single base wins everywhere (the TF-Hub v1 0.25
 * is strongest on webcam frames with few examples, TM's MobileNetV2 0.35 on the CGI hands, the Keras v1 0.25 adds a
 * third, different view); together, each l2-normalised so none dominates, they beat Teachable Machine's recipe on its
 * own base on both datasets. 1792-d, ~75 ms per image on WASM. Not yet the app's default: the app, its export e2e
 * check and the live-prediction rate (≥ 15/s) have to be proved with it first.
 */
export const CANDIDATE_BASES: readonly BaseDescriptor[] = [MOBILENET_V1_025, MOBILENET_V1_025_LAYERS, TM_MOBILENET_V2_035];

/** The id a combination of bases is known by (e.g. to tag stored embeddings): the ids joined with '+'. */
export function combinedBaseId(bases: readonly BaseDescriptor[]): string {
  return bases.map((b) => b.id).join('+');
}

/** The id of `DEFAULT_BASES` as `loadExtractors` names it. */
export const DEFAULT_BASE_ID = combinedBaseId(DEFAULT_BASES);

/**
 * Names a combination: its id and total embedding size are meaningful; the other fields are the first base's.
 * The exporter reads the real bases from `FeatureExtractor.parts`.
 */
function combinedDescriptor(bases: readonly BaseDescriptor[]): BaseDescriptor {
  return {
    ...bases[0],
    id: combinedBaseId(bases),
    embeddingNode: bases.map((b) => b.embeddingNode).join(' + '),
    embeddingSize: bases.reduce((n, b) => n + b.embeddingSize, 0),
  };
}

function l2Rows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.maximum(tf.sqrt(tf.sum(tf.square(x), 1, true)), 1e-12)));
}

/**
 * Loads several bases behind one FeatureExtractor whose embedding is the bases' embeddings, each l2-normalised,
 * concatenated in the given order ([N, ΣD]). With one source it is exactly `loadExtractor` (no normalisation,
 * no `parts`). Disposing it disposes every base.
 * @throws ModelLoadError when a base cannot be loaded (the ones already loaded are disposed).
 */
export async function loadExtractors(sources: readonly BaseSource[]): Promise<FeatureExtractor> {
  if (sources.length === 0) throw new ModelLoadError('No image model was given. Reload the page.');
  if (sources.length === 1) return loadExtractor(sources[0].files, sources[0].base);
  const loaded: FeatureExtractor[] = [];
  try {
    for (const s of sources) loaded.push(await loadExtractor(s.files, s.base));
  } catch (err) {
    loaded.forEach((e) => e.dispose());
    throw err;
  }
  const parts = sources.map((s) => ({ base: { ...s.base, normalize: 'l2' as const }, files: s.files }));
  const embedBatch = (images: tf.Tensor4D): tf.Tensor2D => tf.tidy(() => tf.concat(loaded.map((e) => l2Rows(e.embedBatch(images))), 1));
  return {
    base: combinedDescriptor(sources.map((s) => s.base)),
    files: sources[0].files,
    parts,
    embedBatch,
    embed: (images) => embedInBatches(embedBatch, images),
    dispose: () => loaded.forEach((e) => e.dispose()),
  };
}
