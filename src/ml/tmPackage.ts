import * as tf from '@tensorflow/tfjs';
import { strToU8, zipSync } from 'fflate';
import type { Classifier } from './classifier';
import { GlanceError } from './errors';
import { saveHead } from './headIO';
import type { ExportInfo } from './exporter';
import { noveltyMetadata } from './novelty';
import { PREPROCESS } from './preprocess';
import { buildTmModel } from './tmExport';
import { TM_LIBRARY, tmReadme } from './tmReadme';

/** Teachable Machine's `metadata.json` for image models (the fields `@teachablemachine/image` reads and writes). */
export interface TmMetadata {
  tfjsVersion: string;
  tmVersion: string;
  packageVersion: string;
  packageName: string;
  modelName: string;
  timeStamp: string;
  labels: string[];
  userMetadata: Record<string, unknown>;
  imageSize: number;
}

/** The metadata.json of a Teachable Machine format export. */
export function tmMetadata(classifier: Classifier, info: ExportInfo): TmMetadata {
  const parts = classifier.extractor.parts ?? [{ base: classifier.extractor.base }];
  return {
    // The tfjs that wrote the model; it loads on TM's own 1.3.1 too.
    tfjsVersion: tf.version.tfjs,
    // Not made by the Teachable Machine web app: the version field names what made it.
    tmVersion: `glance-${info.appVersion}`,
    packageVersion: TM_LIBRARY.version,
    packageName: TM_LIBRARY.name,
    modelName: 'glance-image-model',
    timeStamp: info.createdAt ?? new Date().toISOString(),
    labels: [...classifier.labels],
    userMetadata: {
      exportedBy: `Glance ${info.appVersion}`,
      bases: parts.map((p) => p.base.id),
      // The rule needs the embedding, which this one model does not output: recorded here for code that computes it.
      ...(classifier.novelty ? { novelty: noveltyMetadata(classifier.novelty, classifier.labels, info.noveltySlider) } : {}),
    },
    imageSize: PREPROCESS.imageSize,
  };
}

/**
 * Packages a trained classifier in Teachable Machine's image-model format: one layers model (`model.json` +
 * `weights.bin`) taking the image and giving class probabilities, `metadata.json` and a README, all at the zip's root.
 * @throws GlanceError('export-failed') with advice when the model cannot be built or written.
 */
export async function exportTeachableMachine(classifier: Classifier, info: ExportInfo): Promise<Uint8Array> {
  let model: tf.LayersModel | null = null;
  try {
    model = await buildTmModel(classifier);
    const { modelJson, weights } = await saveHead(model, 'weights.bin');
    const metadata = tmMetadata(classifier, info);
    const json = (value: unknown) => strToU8(`${JSON.stringify(value, null, 2)}\n`);
    const readme = tmReadme({ labels: metadata.labels, baseIds: metadata.userMetadata.bases as string[], appVersion: info.appVersion, createdAt: metadata.timeStamp });
    return zipSync({
      'model.json': json(modelJson),
      'weights.bin': weights,
      'metadata.json': json(metadata),
      'README.md': strToU8(readme),
    });
  } catch (cause) {
    const detail = cause instanceof Error ? ` (${cause.message})` : '';
    throw new GlanceError('export-failed', `The model could not be exported for Teachable Machine${detail}. Try again; if it keeps failing, use "Export model".`, { cause });
  } finally {
    model?.dispose();
  }
}
