import * as tf from '@tensorflow/tfjs';
import { readPixels } from '../../capture/frames';
import { decodeImageFile } from '../../capture/imageFile';
import { getState, setState } from '../appStore';
import { runtime } from '../runtime';
import { session, type RunToken } from '../session';
import { pushError } from './errors';

/** Publishes a result only if its source (test image or camera) and its project and model are still the ones shown. */
function publish(gen: number, run: RunToken, probs: Float32Array): void {
  if (gen !== runtime.predictionGeneration || !run.current) return;
  setState((s) => ({ prediction: { ...s.prediction, confidences: Array.from(probs) } }));
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
    publish(gen, run, await classifier.predictPixels(pixels, camera.mirror));
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
    pushError('Train a model first, then test an image.');
    return;
  }
  const gen = ++runtime.predictionGeneration;
  const run = session.forModel();
  setState((s) => ({ prediction: { ...s.prediction, mode: 'image' } }));
  try {
    const bitmap = await decodeImageFile(file);
    let pixels: tf.Tensor3D;
    try {
      pixels = readPixels(bitmap);
    } finally {
      bitmap.close();
    }
    let probs: Float32Array;
    try {
      probs = await classifier.predictPixels(pixels, false);
    } finally {
      pixels.dispose();
    }
    if (gen !== runtime.predictionGeneration || !run.current) return;
    const old = getState().prediction.testImage;
    if (old) URL.revokeObjectURL(old.url);
    setState({
      prediction: { mode: 'image', confidences: Array.from(probs), testImage: { name: file.name, url: URL.createObjectURL(file) } },
    });
  } catch (err) {
    pushError(err);
  }
}

/** Leaves the tested image and resumes live prediction from the camera. */
export function backToWebcam(): void {
  runtime.predictionGeneration++;
  const old = getState().prediction.testImage;
  if (old) URL.revokeObjectURL(old.url);
  setState((s) => ({ prediction: { ...s.prediction, mode: 'webcam', testImage: null } }));
}
