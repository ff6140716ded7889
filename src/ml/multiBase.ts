import * as tf from '@tensorflow/tfjs';
import { ModelLoadError } from './errors';
import { MOBILENET_V1_025, MOBILENET_V1_025_LAYERS, MOBILENET_V1_075_LAYERS, TM_MOBILENET_V2_035, loadExtractor, type BaseDescriptor, type Embedder, type FeatureExtractor } from './featureExtractor';
import { fetchModelFiles, type ModelFiles } from './modelFiles';
import type { Crop } from './preprocess';
import { ON_DEMAND_MODEL_FOLDERS } from './onDemandModels';
import { yieldToEventLoop } from './yieldToEventLoop';

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
  'mobilenet-v1-075-224-layers': 'mobilenet_v1_0.75_224_layers',
};

/**
 * Downloads one base's files from `<modelRoot><folder>/model.json`. A base that is not precached for offline use
 * (ON_DEMAND_MODEL_FOLDERS) and cannot be downloaded gets an error that says why and what to do.
 * @throws ModelLoadError
 */
export async function fetchBaseFiles(modelRoot: string, base: BaseDescriptor, fetchFn: typeof fetch = fetch): Promise<ModelFiles> {
  const folder = BASE_MODEL_FOLDERS[base.id];
  try {
    return await fetchModelFiles(`${modelRoot}${folder}/model.json`, fetchFn);
  } catch (cause) {
    const onDemand = ON_DEMAND_MODEL_FOLDERS[folder];
    // Only a request that never got an answer (fetch rejects with a TypeError) means "not downloaded yet, offline";
    // an HTTP error or a broken file keeps its own message.
    if (!onDemand || !(cause instanceof ModelLoadError) || !(cause.cause instanceof TypeError)) throw cause;
    throw new ModelLoadError(
      `This image model could not be downloaded. Unlike the others it is not stored for offline use until it is first chosen (about ${onDemand.megabytes} MB): connect to the internet and choose it again in Under the hood → Image model. Until then the image model you had stays in use.`,
      { cause, say: { key: 'errors.onDemandOffline', params: { mb: onDemand.megabytes } } },
    );
  }
}

/**
 * The combination `npm run eval` found best (docs/benchmarks.md): no single base wins everywhere (the TF-Hub v1 0.25
 * is strongest on webcam frames with few examples, TM's MobileNetV2 0.35 on the CGI hands, the Keras v1 0.25 adds a
 * third, different view); together, each l2-normalised so none dominates, they beat Teachable Machine's recipe on its
 * own base on both datasets. 1792-d; with the Keras bases folded (foldedLayers.ts) ≈ 15 ms per image on WASM.
 */
export const DEFAULT_BASES: readonly BaseDescriptor[] = [MOBILENET_V1_025, MOBILENET_V1_025_LAYERS, TM_MOBILENET_V2_035];

/** The id a combination of bases is known by (e.g. to tag stored embeddings): the ids joined with '+'. */
export function combinedBaseId(bases: readonly BaseDescriptor[]): string {
  return bases.map((b) => b.id).join('+');
}

/** The id of `DEFAULT_BASES` as `loadExtractors` names it. */
export const DEFAULT_BASE_ID = combinedBaseId(DEFAULT_BASES);

/**
 * The "Most accurate" choice: the default bases plus the Keras MobileNet v1 α0.75 (768-d), 2560-d in all and about
 * 3.3× the default's MACs (scripts/eval/reasoning.md, `npm run eval -- --candidate`). Not a default: live prediction
 * and adding examples would miss their speed targets.
 */
export const MOST_ACCURATE_BASES: readonly BaseDescriptor[] = [...DEFAULT_BASES, MOBILENET_V1_075_LAYERS];

/** The id of MOST_ACCURATE_BASES. */
export const MOST_ACCURATE_ID = combinedBaseId(MOST_ACCURATE_BASES);

/** A choice the person can make in advanced settings: which frozen bases turn images into embeddings. */
export interface BaseChoice {
  /** `combinedBaseId(bases)`: also the id stored embeddings and trained heads are tagged with. */
  id: string;
  bases: readonly BaseDescriptor[];
  /** Its English name, for logs and tests (the page words it from its catalogues: `key`). */
  label: string;
  /** Where the page's catalogues word it, with one line on what it is good for: `base.<key>.label` and `.hint`. */
  key: 'combined' | 'accurate' | 'fastest' | 'teachable';
  /** Megabytes downloaded the first time it is chosen (not stored for offline use before), else absent. */
  downloadMb?: number;
}

/** The choices offered, the default first. */
export const BASE_CHOICES: readonly BaseChoice[] = [
  {
    id: DEFAULT_BASE_ID,
    bases: DEFAULT_BASES,
    key: 'combined',
    label: 'Three MobileNets combined (default)',
  },
  {
    id: MOST_ACCURATE_ID,
    bases: MOST_ACCURATE_BASES,
    key: 'accurate',
    downloadMb: ON_DEMAND_MODEL_FOLDERS[BASE_MODEL_FOLDERS[MOBILENET_V1_075_LAYERS.id]].megabytes,
    label: 'Most accurate (slower, 10.4 MB download)',
  },
  {
    id: MOBILENET_V1_025.id,
    bases: [MOBILENET_V1_025],
    key: 'fastest',
    label: 'MobileNet v1 0.25 (fastest)',
  },
  {
    id: TM_MOBILENET_V2_035.id,
    bases: [TM_MOBILENET_V2_035],
    key: 'teachable',
    label: "MobileNetV2 0.35 (Teachable Machine's base)",
  },
];

/** The choice with this id, or the default. */
export function baseChoice(id: string | null | undefined): BaseChoice {
  return BASE_CHOICES.find((c) => c.id === id) ?? BASE_CHOICES[0];
}

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
 * `embed` of a combination: one base at a time over the images, yielding to the event loop between bases, so each
 * synchronous stretch of model work is one base's (≈ a third of the whole) and the page keeps rendering while samples
 * are embedded. Same rows as `embedBatch` (l2 per base, then concatenated).
 */
async function embedBaseByBase(bases: readonly FeatureExtractor[], images: readonly Crop[]): Promise<Float32Array[]> {
  const perBase: Float32Array[][] = [];
  for (const base of bases) {
    perBase.push(await base.embed(images));
    await yieldToEventLoop();
  }
  return images.map((_, i) => {
    const size = perBase.reduce((n, rows) => n + rows[i].length, 0);
    const row = new Float32Array(size);
    let offset = 0;
    for (const rows of perBase) {
      const v = rows[i];
      let sq = 0;
      for (let j = 0; j < v.length; j++) sq += v[j] * v[j];
      const norm = Math.max(Math.sqrt(sq), 1e-12);
      for (let j = 0; j < v.length; j++) row[offset + j] = v[j] / norm;
      offset += v.length;
    }
    return row;
  });
}

/** The bases an extractor was loaded from, as `loadExtractors` takes them (to load it again, e.g. on another backend). */
export function extractorSources(extractor: Pick<Embedder, 'base' | 'files' | 'parts'>): BaseSource[] {
  if (!extractor.parts) return [{ base: extractor.base, files: extractor.files }];
  return extractor.parts.map(({ base: { normalize: _normalize, ...base }, files }) => ({ base, files }));
}

/**
 * What `loadExtractors(sources)` will say it is (`base`, `files`, `parts`), without loading anything: the engine
 * worker's client describes the bases it runs with this.
 */
export function describeSources(sources: readonly BaseSource[]): Pick<Embedder, 'base' | 'files' | 'parts'> {
  if (sources.length === 1) return { base: sources[0].base, files: sources[0].files };
  return {
    base: combinedDescriptor(sources.map((s) => s.base)),
    files: sources[0].files,
    parts: sources.map((s) => ({ base: { ...s.base, normalize: 'l2' as const }, files: s.files })),
  };
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
  const embedBatch = (images: tf.Tensor4D): tf.Tensor2D => tf.tidy(() => tf.concat(loaded.map((e) => l2Rows(e.embedBatch(images))), 1));
  return {
    ...describeSources(sources),
    embedBatch,
    embed: (images) => embedBaseByBase(loaded, images),
    dispose: () => loaded.forEach((e) => e.dispose()),
  };
}
