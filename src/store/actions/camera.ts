import { CameraController } from '../../capture/cameraController';
import { listCameras } from '../../capture/webcam';
import { getState, setState } from '../appStore';
import type { ClassId, RecordingSettings } from '../types';
import { onCameraFrame, stopRecording } from './recording';
import { pushError } from './errors';

let controller: CameraController | null = null;

/** The single camera owner, created on first use (it needs the DOM). */
export function cameraController(): CameraController {
  controller ??= new CameraController(onCameraFrame);
  return controller;
}

function patchCamera(patch: Partial<ReturnType<typeof getState>['camera']>): void {
  setState((s) => ({ camera: { ...s.camera, ...patch } }));
}

/**
 * Opens the camera in a class card (or for the preview only, with null). Opening it in another card just
 * moves it there: one stream for the whole page.
 */
export async function openWebcam(classId: ClassId | null): Promise<void> {
  const { camera } = getState();
  stopRecording();
  if (camera.open) {
    patchCamera({ classId });
    return;
  }
  patchCamera({ starting: true, classId });
  try {
    await cameraController().open(camera.deviceId ?? undefined);
    const devices = await listCameras();
    const track = cameraController().current?.getVideoTracks()[0];
    const deviceId = track?.getSettings().deviceId ?? devices[0]?.deviceId ?? null;
    patchCamera({ open: true, starting: false, devices, deviceId });
  } catch (err) {
    patchCamera({ starting: false, open: false, classId: null });
    pushError(err);
  }
}

/** Closes the camera and releases it (the light goes off). */
export function closeWebcam(): void {
  stopRecording();
  controller?.close();
  patchCamera({ open: false, starting: false, classId: null });
}

/** Switches to another camera by device id. */
export async function chooseCamera(deviceId: string): Promise<void> {
  patchCamera({ deviceId });
  if (!getState().camera.open) return;
  stopRecording();
  try {
    await cameraController().open(deviceId);
  } catch (err) {
    pushError(err);
    closeWebcam();
  }
}

export function setMirror(mirror: boolean): void {
  patchCamera({ mirror });
}

/** Updates recording settings, keeping them within sensible bounds. */
export function setRecordingSettings(patch: Partial<RecordingSettings>): void {
  const next = { ...getState().camera.settings, ...patch };
  next.fps = clamp(Math.round(next.fps) || 10, 1, 30);
  next.delaySec = clamp(next.delaySec || 0, 0, 10);
  next.durationSec = clamp(next.durationSec || 0, 0, 60);
  patchCamera({ settings: next });
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
