import type * as tf from '@tensorflow/tfjs';
import { readFilePixels, readPixels } from '../../capture/frames';
import { getState, setState } from '../appStore';
import { runtime } from '../runtime';
import { session, type RunToken } from '../session';
import { noveltyDistance, thresholdForSlider } from '../../ml/novelty';
import { occlusionMap } from '../../ml/occlusion';
import type { Classifier } from '../../ml/classifier';
import { currentNovelty } from '../novelty';
import type { AppState } from '../types';
import { pushError } from './errors';
import { t } from '../../i18n';

/** Live predictions averaged over this many frames when smoothing is on (~0.2 s at 25 predictions a second). */
export const SMOOTHING_FRAMES = 5;

/** True when `distance` is above the cut-off the slider value `threshold` sets for the model in use. */
function isNone(distance: number | null, threshold: number): boolean {
  const rule = currentNovelty()?.rule;
  return distance !== null && !!rule && distance > thresholdForSlider(rule, threshold);
}

/** The model's probabilities and its "None of these" distance for one image. */
async function predictWithDistance(classifier: Classifier, pixels: tf.Tensor3D, mirror: boolean): Promise<{ probabilities: Float32Array; distance: number | null }> {
  const { probabilities, embedding } = await classifier.predictPixelsDetailed(pixels, mirror);
  const novelty = currentNovelty();
  return { probabilities, distance: novelty ? noveltyDistance(novelty, embedding) : null };
}

/** With smoothing on: the mean of the last SMOOTHING_FRAMES live results of this model (a new model starts afresh). */
function smoothed(classifier: Classifier, r: { probabilities: Float32Array; distance: number | null }) {
  const buf = runtime.smoothing;
  if (buf.model !== classifier) runtime.smoothing = { model: classifier, frames: [] };
  const frames = runtime.smoothing.frames;
  frames.push(r);
  if (frames.length > SMOOTHING_FRAMES) frames.shift();
  if (!getState().prediction.smoothing) return r;
  const probabilities = new Float32Array(r.probabilities.length);
  for (const f of frames) f.probabilities.forEach((p, i) => (probabilities[i] += p / frames.length));
  const distance = r.distance === null ? null : frames.reduce((a, f) => a + (f.distance ?? 0), 0) / frames.length;
  return { probabilities, distance };
}

/** Publishes a result only if its source (test image or camera) and its project and model are still the ones shown. */
function publish(gen: number, run: RunToken, r: { probabilities: Float32Array; distance: number | null }): void {
  if (gen !== runtime.predictionGeneration || !run.current) return;
  setState((s) => ({
    prediction: { ...s.prediction, confidences: Array.from(r.probabilities), distance: r.distance, noneOfThese: isNone(r.distance, s.prediction.threshold) },
  }));
}

/** Moves the "Confidence threshold" slider (0–100; higher says "None of these" sooner). */
export function setConfidenceThreshold(value: number): void {
  const threshold = Math.min(100, Math.max(0, Math.round(value)));
  setState((s) => ({ prediction: { ...s.prediction, threshold, noneOfThese: isNone(s.prediction.distance, threshold) } }));
}

/** Turns the smoothing of live webcam predictions on or off. */
export function setSmoothing(on: boolean): void {
  runtime.smoothing = { model: null, frames: [] };
  setState((s) => ({ prediction: { ...s.prediction, smoothing: on } }));
}

/** The cut-off distance the slider gives for the model in use, for display; null without a rule. */
export function noveltyCutoff(s: Pick<AppState, 'prediction'>): number | null {
  const rule = currentNovelty()?.rule;
  return rule ? thresholdForSlider(rule, s.prediction.threshold) : null;
}

/**
 * One live prediction from the camera frame; the camera loop awaits it, so only one is ever in flight. A failure is
 * reported once per model (after a lost GPU every frame would fail the same way until recovery replaces the model),
 * and never when the model or project it ran on is already gone.
 */
export async function predictLiveFrame(video: HTMLVideoElement): Promise<void> {
  const classifier = runtime.classifier;
  const { prediction, camera, training } = getState();
  if (!classifier || prediction.mode !== 'webcam' || training.phase === 'training') return;
  const gen = runtime.predictionGeneration;
  const run = session.forModel();
  let pixels: tf.Tensor3D | null = null;
  try {
    pixels = readPixels(video);
    const result = await predictWithDistance(classifier, pixels, camera.mirror);
    publish(gen, run, smoothed(classifier, result));
  } catch (err) {
    if (!run.current || runtime.classifier !== classifier || runtime.livePredictionFailed === classifier) return;
    runtime.livePredictionFailed = classifier;
    pushError(err);
  } finally {
    pixels?.dispose();
  }
}

/**
 * Predicts an uploaded image and pauses live prediction. The meters are updated before the image
 * appears, so whoever sees the image sees its prediction.
 */
export async function testImage(file: File): Promise<void> {
  const classifier = runtime.classifier;
  if (!classifier) {
    pushError(t('preview.noModelToTest'));
    return;
  }
  const gen = ++runtime.predictionGeneration;
  const run = session.forModel();
  setState((s) => ({ prediction: { ...s.prediction, mode: 'image' } }));
  try {
    const pixels = await readFilePixels(file);
    let result: { probabilities: Float32Array; distance: number | null };
    try {
      result = await predictWithDistance(classifier, pixels, false);
    } finally {
      pixels.dispose();
    }
    if (gen !== runtime.predictionGeneration || !run.current) return;
    const old = getState().prediction.testImage;
    if (old) URL.revokeObjectURL(old.url);
    const url = URL.createObjectURL(file);
    runtime.testFile = file;
    // A single image is never smoothed.
    setState((s) => ({
      prediction: {
        ...s.prediction,
        mode: 'image',
        confidences: Array.from(result.probabilities),
        distance: result.distance,
        noneOfThese: isNone(result.distance, s.prediction.threshold),
        testImage: { name: file.name, url },
        heatmap: { ...s.prediction.heatmap, busy: false, values: null, ms: null },
      },
    }));
    if (getState().prediction.heatmap.on) void computeHeatmap();
  } catch (err) {
    // The model or the image model changed under it (training ended, a switch, New/Open): not the person's error.
    if (gen !== runtime.predictionGeneration || !run.current || runtime.classifier !== classifier) return;
    pushError(err);
  }
}

/** Leaves the tested image and resumes live prediction from the camera. */
export function backToWebcam(): void {
  runtime.predictionGeneration++;
  const old = getState().prediction.testImage;
  if (old) URL.revokeObjectURL(old.url);
  runtime.smoothing = { model: null, frames: [] };
  runtime.testFile = null;
  setState((s) => ({
    prediction: { ...s.prediction, mode: 'webcam', testImage: null, distance: null, noneOfThese: false, heatmap: { ...s.prediction.heatmap, busy: false, values: null, ms: null } },
  }));
}

function setHeatmap(patch: Partial<AppState['prediction']['heatmap']>): void {
  setState((s) => ({ prediction: { ...s.prediction, heatmap: { ...s.prediction.heatmap, ...patch } } }));
}

/** Turns "Show where the model looks" on or off; on, the test image's map is made (once per image). */
export function showWhereModelLooks(on: boolean): void {
  setHeatmap({ on });
  if (on && !getState().prediction.heatmap.values) void computeHeatmap();
}

/** Makes the occlusion map of the image being tested; dropped if the image, model or project changed meanwhile. */
async function computeHeatmap(): Promise<void> {
  const classifier = runtime.classifier;
  const file = runtime.testFile;
  if (!classifier || !file || getState().prediction.mode !== 'image') return;
  const gen = runtime.predictionGeneration;
  const run = session.forModel();
  setHeatmap({ busy: true });
  const current = () => gen === runtime.predictionGeneration && run.current && runtime.testFile === file;
  try {
    const pixels = await readFilePixels(file);
    try {
      const map = await occlusionMap(classifier, pixels, getState().prediction.heatmap.grid);
      if (current()) setHeatmap({ values: map.values, ms: map.ms });
    } finally {
      pixels.dispose();
    }
  } catch (err) {
    if (current()) pushError(err);
  } finally {
    if (current()) setHeatmap({ busy: false });
  }
}
