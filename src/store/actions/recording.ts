import { grabCrop } from '../../capture/frames';
import { getState, setState } from '../appStore';
import type { ClassId } from '../types';
import { pushError } from './errors';
import { createSample } from './addSamples';
import { runtime, type RecordingRun } from '../runtime';
import { session } from '../session';


/**
 * Starts recording into a class (button held, or a fixed-duration click). Frames are taken at the
 * recording rate by the camera loop; the delay setting shows a countdown first.
 */
export function startRecording(classId: ClassId, fixedDuration = false): void {
  const { camera } = getState();
  if (!camera.open || camera.classId !== classId) return;
  stopRecording();
  const { fps, delaySec, durationSec } = camera.settings;
  const now = performance.now();
  const startAt = now + delaySec * 1000;
  const run: RecordingRun = {
    classId,
    startAt,
    stopAt: fixedDuration && durationSec > 0 ? startAt + durationSec * 1000 : Infinity,
    nextFrameAt: startAt,
    intervalMs: 1000 / fps,
    countdownTimer: undefined,
  };
  runtime.recording = run;
  if (delaySec > 0) runCountdown(run);
  setState((s) => ({ camera: { ...s.camera, recording: true, countdown: delaySec > 0 ? Math.ceil(delaySec) : null } }));
}

function runCountdown(current: RecordingRun): void {
  current.countdownTimer = setInterval(() => {
    const left = Math.ceil((current.startAt - performance.now()) / 1000);
    setState((s) => ({ camera: { ...s.camera, countdown: left > 0 ? left : null } }));
    if (left <= 0) clearInterval(current.countdownTimer);
  }, 200);
}

/** Stops recording; frames already taken stay. */
export function stopRecording(): void {
  if (runtime.recording) clearInterval(runtime.recording.countdownTimer);
  runtime.recording = null;
  if (getState().camera.recording) {
    setState((s) => ({ camera: { ...s.camera, recording: false, countdown: null } }));
  }
}

/** Takes a frame into the class being recorded, at the recording rate (the camera loop calls it while recording). */
export function recordFrame(video: HTMLVideoElement, now: number, current: RecordingRun): void {
  if (now >= current.stopAt) {
    stopRecording();
    return;
  }
  if (now < current.nextFrameAt) return;
  // Steady rate: step the schedule, but never try to catch up with a burst after a slow frame.
  current.nextFrameAt = Math.max(current.nextFrameAt + current.intervalMs, now + current.intervalMs * 0.5);
  // The engine has not picked its backend yet (TF.js refuses ops while one starts): this frame is not taken.
  if (getState().ui.engine.backend === null) return;
  const run = session.forProject();
  let crop;
  try {
    crop = grabCrop(video, getState().camera.mirror);
  } catch (err) {
    // The frame could not be read (a lost GPU, say): stop rather than fail once per frame.
    stopRecording();
    pushError(err);
    return;
  }
  const added = createSample(current.classId, crop, run).then(() => undefined, pushError);
  const inFlight = runtime.framesInFlight;
  inFlight.add(added);
  void added.finally(() => inFlight.delete(added));
}

/**
 * Resolves once every frame recorded so far is a sample in its class. Training waits for this, so "release, then
 * Train" trains on the last frames too instead of finding the model out of date at once.
 */
export async function recordedFramesSettled(): Promise<void> {
  while (runtime.framesInFlight.size > 0) await Promise.allSettled([...runtime.framesInFlight]);
}
