import * as tf from '@tensorflow/tfjs';
import { readPixels } from '../../capture/frames';
import { decodeImageFile } from '../../capture/imageFile';
import { getState, setState } from '../appStore';
import { runtime } from '../runtime';
import { pushError } from './errors';

/** Bumps whenever the prediction source changes, so a late result from the old source is dropped. */
let generation = 0;

function publish(gen: number, probs: Float32Array): void {
  if (gen !== generation) return;
  setState((s) => ({ prediction: { ...s.prediction, confidences: Array.from(probs) } }));
}

/** One live prediction from the camera frame; the camera loop awaits it, so only one is ever in flight. */
export async function predictLiveFrame(video: HTMLVideoElement): Promise<void> {
  const classifier = runtime.classifier;
  const { prediction, camera, training } = getState();
  if (!classifier || prediction.mode !== 'webcam' || training.phase === 'training') return;
  const gen = generation;
  const pixels = readPixels(video);
  try {
    publish(gen, await classifier.predictPixels(pixels, camera.mirror));
  } catch (err) {
    pushError(err);
  } finally {
    pixels.dispose();
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
  const gen = ++generation;
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
    if (gen !== generation) return;
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
  generation++;
  const old = getState().prediction.testImage;
  if (old) URL.revokeObjectURL(old.url);
  setState((s) => ({ prediction: { ...s.prediction, mode: 'webcam', testImage: null } }));
}
