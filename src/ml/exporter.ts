import { strToU8, zipSync, type Zippable } from 'fflate';
import type { Classifier } from './classifier';
import { GlanceError } from './errors';
import { exportReadme } from './exportReadme';
import type { BaseDescriptor } from './featureExtractor';
import type { EmbeddingTransform } from './head';
import { saveHead } from './headIO';
import { shardPaths, type ModelFiles } from './modelFiles';
import { noveltyMetadata, type NoveltyMetadata } from './novelty';
import { PREPROCESS } from './preprocess';

/** One base model in the export: its descriptor plus where its `model.json` sits in the zip. */
export interface ExportedBase extends BaseDescriptor {
  modelPath: string;
}

/** `metadata.json`: everything needed to turn an image into the head's probabilities. */
export interface ExportMetadata {
  /** Class names in the order of the head's outputs. */
  labels: string[];
  imageSize: number;
  crop: typeof PREPROCESS.crop;
  resize: typeof PREPROCESS.resize;
  /** Embeddings of all bases, in this order (each l2-normalised first when its `normalize` is 'l2'), are concatenated before the head. */
  bases: ExportedBase[];
  head: { modelPath: string; embeddingTransform: EmbeddingTransform };
  /** The "None of these classes" rule (absent for a classifier without one). */
  novelty?: NoveltyMetadata;
  appVersion: string;
  createdAt: string;
}

/** The extractor's bases in concatenation order, each with its files. */
function partsOf(classifier: Classifier): readonly { base: BaseDescriptor; files: ModelFiles }[] {
  const { extractor } = classifier;
  return extractor.parts ?? [{ base: extractor.base, files: extractor.files }];
}

/** Folder of base `i` in the zip: `base/` for a single base, `base/<id>/` for each of several. */
function baseDir(base: BaseDescriptor, count: number): string {
  return count === 1 ? 'base/' : `base/${base.id}/`;
}

/** One base's files in its folder, byte for byte as loaded (model.json is re-serialised only if its text is unknown). */
function baseEntries(files: ModelFiles, dir: string): Zippable {
  const entries: Zippable = {
    [`${dir}model.json`]: strToU8(files.modelJsonText ?? JSON.stringify(files.modelJson)),
  };
  for (const p of shardPaths(files.modelJson)) {
    const bytes = files.weights.get(p);
    if (!bytes) throw new Error(`the base model's weight file ${p} is missing`);
    entries[dir + p] = bytes;
  }
  return entries;
}

function exportedBase(base: BaseDescriptor, count: number): ExportedBase {
  const { id, format, embeddingNode, pooling, inputRange, embeddingSize, normalize } = base;
  return {
    id, modelPath: `${baseDir(base, count)}model.json`, format, embeddingNode, pooling, inputRange: [...inputRange], embeddingSize,
    ...(normalize ? { normalize } : {}),
  };
}

export interface ExportInfo {
  appVersion: string;
  createdAt?: string;
  /** The "Confidence threshold" slider in use (the novelty rule's cut-off). */
  noveltySlider?: number;
}

/** The metadata.json the export describes itself with. */
export function exportMetadata(classifier: Classifier, info: ExportInfo): ExportMetadata {
  const parts = partsOf(classifier);
  return {
    labels: [...classifier.labels],
    imageSize: PREPROCESS.imageSize,
    crop: PREPROCESS.crop,
    resize: { ...PREPROCESS.resize },
    bases: parts.map((p) => exportedBase(p.base, parts.length)),
    head: { modelPath: 'model.json', embeddingTransform: classifier.transform },
    ...(classifier.novelty ? { novelty: noveltyMetadata(classifier.novelty, classifier.labels, info.noveltySlider) } : {}),
    appVersion: info.appVersion,
    createdAt: info.createdAt ?? new Date().toISOString(),
  };
}

/**
 * Packages a trained classifier as a zip: the head (`model.json` + `weights.bin`), the unchanged base model in
 * `base/`, `metadata.json` and a README with code that reproduces the app's probabilities in plain TensorFlow.js.
 * @throws GlanceError('export-failed') with advice when the files cannot be written.
 */
export async function exportModel(classifier: Classifier, info: ExportInfo): Promise<Uint8Array> {
  try {
    const head = await saveHead(classifier.head, 'weights.bin');
    const metadata = exportMetadata(classifier, info);
    const json = (value: unknown) => strToU8(`${JSON.stringify(value, null, 2)}\n`);
    return zipSync({
      'model.json': json(head.modelJson),
      'weights.bin': head.weights,
      'metadata.json': json(metadata),
      'README.md': strToU8(exportReadme(metadata)),
      ...Object.assign({}, ...partsOf(classifier).map((p, _, all) => baseEntries(p.files, baseDir(p.base, all.length)))),
    });
  } catch (cause) {
    const detail = cause instanceof Error ? ` (${cause.message})` : '';
    throw new GlanceError('export-failed', `The model could not be exported${detail}. Try again; if it keeps failing, train again and then export.`, { cause });
  }
}
