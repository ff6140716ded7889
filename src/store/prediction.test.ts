import * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestBackend } from '../test/backend';
import { flatJpeg, freshPage } from '../test/storeHarness';
import type { Classifier } from '../ml/classifier';
import { getState, setState } from './appStore';
import { predictLiveFrame, setConfidenceThreshold, setSmoothing, SMOOTHING_FRAMES, testImage } from './actions/prediction';
import { samples } from './samples';
import { installClassifier } from './runtime';

/** A model whose every prediction is the next of `outputs` (so the test knows what each frame said). */
function scriptedModel(outputs: number[][], embedding: Float32Array = new Float32Array(4)): Classifier {
  let i = 0;
  return {
    labels: ['a', 'b'],
    predictPixelsDetailed: async () => ({ probabilities: Float32Array.from(outputs[i++ % outputs.length]), embedding }),
    dispose: () => undefined,
  } as unknown as Classifier;
}

/** A frame as tf.browser.fromPixels reads it (RGBA). */
const frame = { data: new Uint8Array(8 * 8 * 4).fill(128), width: 8, height: 8 } as unknown as HTMLVideoElement;

function useModel(outputs: number[][], embedding?: Float32Array): void {
  installClassifier(scriptedModel(outputs, embedding), null);
  setState((s) => ({
    training: { ...s.training, model: { classIds: s.classes.map((c) => c.id), dataVersion: s.dataVersion, summary: { bestEpoch: 1, epochsRun: 1, stopped: false, valAccuracy: null, trainAccuracy: 1, examples: 2 } } },
  }));
}

const shown = () => getState().prediction.confidences!.map((p) => Number(p.toFixed(4)));

beforeAll(async () => {
  await useTestBackend();
});

beforeEach(async () => {
  await freshPage();
});

describe('live prediction smoothing', () => {
  it('is on by default and averages the last few webcam frames', async () => {
    expect(getState().prediction.smoothing).toBe(true);
    useModel([[1, 0], [0, 1]]);
    await predictLiveFrame(frame);
    expect(shown()).toEqual([1, 0]);
    await predictLiveFrame(frame);
    expect(shown()).toEqual([0.5, 0.5]);
    for (let i = 0; i < 2 * SMOOTHING_FRAMES; i++) await predictLiveFrame(frame);
    // An odd window over alternating frames: never more than one frame's worth away from a half.
    const [a] = shown();
    expect(Math.abs(a - 0.5)).toBeLessThanOrEqual(0.5 / SMOOTHING_FRAMES + 1e-6);
    expect(tf.memory().numTensors).toBe(0);
  });

  it('turned off, shows each frame as it is', async () => {
    useModel([[1, 0], [0, 1]]);
    setSmoothing(false);
    await predictLiveFrame(frame);
    await predictLiveFrame(frame);
    expect(shown()).toEqual([0, 1]);
  });

  it('never smooths a single test image', async () => {
    useModel([[1, 0], [1, 0], [0.2, 0.8]]);
    await predictLiveFrame(frame);
    await predictLiveFrame(frame);
    await testImage(new File([flatJpeg(90) as BlobPart], 'photo.jpg', { type: 'image/jpeg' }));
    expect(getState().ui.errors).toEqual([]);
    expect(getState().prediction.mode).toBe('image');
    expect(shown()).toEqual([0.2, 0.8]);
  });
});

describe('None of these classes, for a model not trained in this page (restored or opened)', () => {
  it('fits the rule from the stored examples of its classes on first need, and the slider moves the verdict', async () => {
    const [a, b] = getState().classes;
    const rows: [string, number[]][] = [[a.id, [1, 0.02, 0, 0]], [a.id, [1, 0.04, 0, 0]], [a.id, [1, 0, 0.03, 0]], [b.id, [0.02, 1, 0, 0]], [b.id, [0.04, 1, 0, 0]], [b.id, [0, 1, 0.03, 0]]];
    const ids = rows.map(([classId, v], i) => {
      const id = `s${i}`;
      samples.set({ id, classId, jpeg: new Blob([flatJpeg(9) as BlobPart]), embedding: Float32Array.from(v), baseId: 'fake' });
      return id;
    });
    setState((s) => ({ classes: s.classes.map((c) => ({ ...c, sampleIds: ids.filter((_, i) => rows[i][0] === c.id) })) }));
    const photo = () => new File([flatJpeg(90) as BlobPart], 'photo.jpg', { type: 'image/jpeg' });

    useModel([[0.9, 0.1]], Float32Array.from([1, 0.03, 0.01, 0]));
    await testImage(photo());
    expect(getState().prediction.distance).toBeLessThan(0.01);
    expect(getState().prediction.noneOfThese).toBe(false);

    useModel([[0.9, 0.1]], Float32Array.from([0, 0, 0, 1]));
    await testImage(photo());
    expect(getState().prediction.noneOfThese).toBe(true);
    // The meters still show what the head said.
    expect(shown()).toEqual([0.9, 0.1]);
    setConfidenceThreshold(0);
    expect(getState().prediction.noneOfThese).toBe(true); // orthogonal is far beyond even the loosest cut-off
    useModel([[0.9, 0.1]], Float32Array.from([1, 0.06, 0.02, 0]));
    await testImage(photo());
    const loose = getState().prediction.noneOfThese;
    setConfidenceThreshold(100);
    expect(loose).toBe(false);
    expect(getState().prediction.noneOfThese).toBe(true);
  });
});
