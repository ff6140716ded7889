import { Classifier } from '../../ml/classifier';
import { exportModel as writeModelZip } from '../../ml/exporter';
import { GlanceError } from '../../ml/errors';
import { exportTeachableMachine } from '../../ml/tmPackage';
import { getState, setState } from '../appStore';
import { currentNovelty } from '../novelty';
import { runtime } from '../runtime';
import { pushError, setNotice } from './errors';

export const APP_VERSION = '0.1.0';

/** Names the model's outputs with the classes' current names (renaming never needs retraining). */
export function modelLabels(): string[] {
  const { training, classes } = getState();
  if (!training.model) return [];
  return training.model.classIds.map((id, i) => classes.find((c) => c.id === id)?.name ?? runtime.classifier?.labels[i] ?? `Class ${i + 1}`);
}

/** Downloads the trained model as one zip that reproduces the app's predictions without the app. */
export async function exportModel(): Promise<void> {
  const classifier = runtime.classifier;
  if (!classifier) {
    pushError(new GlanceError('no-model', 'Train a model first, then export it.'));
    return;
  }
  setState((s) => ({ ui: { ...s.ui, exporting: true } }));
  try {
    // Same head, current names: renaming a class never needs retraining. Not disposed: it shares the head.
    const named = new Classifier(classifier.extractor, classifier.head, classifier.transform, modelLabels(), currentNovelty());
    const zip = await writeModelZip(named, { appVersion: APP_VERSION, noveltySlider: getState().prediction.threshold });
    downloadBytes(zip, 'glance-model.zip', 'application/zip');
    setNotice('Model exported as glance-model.zip');
  } catch (err) {
    pushError(err);
  } finally {
    setState((s) => ({ ui: { ...s.ui, exporting: false } }));
  }
}

/** Downloads the model in Teachable Machine's image format (one layers model + metadata.json) for TM, ml5 and p5 code. */
export async function exportForTeachableMachine(): Promise<void> {
  const classifier = runtime.classifier;
  if (!classifier) {
    pushError(new GlanceError('no-model', 'Train a model first, then export it.'));
    return;
  }
  setState((s) => ({ ui: { ...s.ui, exporting: true } }));
  try {
    // Current class names, as in exportModel; not disposed: it shares the head.
    const named = new Classifier(classifier.extractor, classifier.head, classifier.transform, modelLabels(), currentNovelty());
    const zip = await exportTeachableMachine(named, { appVersion: APP_VERSION, noveltySlider: getState().prediction.threshold });
    downloadBytes(zip, 'glance-teachable-machine.zip', 'application/zip');
    setNotice('Model exported for Teachable Machine as glance-teachable-machine.zip');
  } catch (err) {
    pushError(err);
  } finally {
    setState((s) => ({ ui: { ...s.ui, exporting: false } }));
  }
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
