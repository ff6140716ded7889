import { Classifier } from '../../ml/classifier';
import { exportModel as writeModelZip } from '../../ml/exporter';
import { GlanceError } from '../../ml/errors';
import { exportTeachableMachine } from '../../ml/tmPackage';
import { getState, setState } from '../appStore';
import { currentNovelty } from '../novelty';
import { runtime } from '../runtime';
import { pushError, setNotice } from './errors';
import { t } from '../../i18n';

export const APP_VERSION = '0.1.0';

/** Names the model's outputs with the classes' current names (renaming never needs retraining). */
export function modelLabels(): string[] {
  const { training, classes } = getState();
  if (!training.model) return [];
  return training.model.classIds.map((id, i) => classes.find((c) => c.id === id)?.name ?? runtime.classifier?.labels[i] ?? t('classes.defaultName', { n: i + 1 }));
}

type ZipWriter = (named: Classifier, opts: { appVersion: string; noveltySlider: number }) => Promise<Uint8Array>;

/**
 * Exports the model in use with one writer: the classifier under the classes' current names (renaming a class never
 * needs retraining), downloaded as `fileName`, with the exporting flag set meanwhile.
 */
async function exportWith(write: ZipWriter, fileName: string, notice: string): Promise<void> {
  const classifier = runtime.classifier;
  if (!classifier) {
    pushError(new GlanceError('no-model', t('export.noModel')));
    return;
  }
  setState((s) => ({ ui: { ...s.ui, exporting: true } }));
  try {
    // Not disposed: it shares the head with the classifier in use.
    const named = new Classifier(classifier.extractor, classifier.head, classifier.transform, modelLabels(), currentNovelty());
    const zip = await write(named, { appVersion: APP_VERSION, noveltySlider: getState().prediction.threshold });
    downloadBytes(zip, fileName, 'application/zip');
    setNotice(notice);
  } catch (err) {
    pushError(err);
  } finally {
    setState((s) => ({ ui: { ...s.ui, exporting: false } }));
  }
}

/** Downloads the trained model as one zip that reproduces the app's predictions without the app. */
export function exportModel(): Promise<void> {
  return exportWith(writeModelZip, 'glance-model.zip', t('export.exported', { file: 'glance-model.zip' }));
}

/** Downloads the model in Teachable Machine's image format (one layers model + metadata.json) for TM, ml5 and p5 code. */
export function exportForTeachableMachine(): Promise<void> {
  return exportWith(exportTeachableMachine, 'glance-teachable-machine.zip', t('export.exportedTm', { file: 'glance-teachable-machine.zip' }));
}

/** Saves bytes as a file through a temporary link (works offline, no server round trip). */
export function downloadBytes(bytes: Uint8Array, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The copy-paste snippets the export panel shows (the same text as in each zip's README). */
export { BROWSER_CODE } from '../../ml/exportReadme';
export { ML5_SNIPPET, PYTHON_NOTE, TM_SNIPPET } from '../../ml/tmReadme';
