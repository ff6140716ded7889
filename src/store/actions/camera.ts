import { CameraController } from '../../capture/cameraController';
import { listCameras } from '../../capture/webcam';
import { readRecordingSettings } from '../../project/schema';
import { getState, setState } from '../appStore';
import { runtime } from '../runtime';
import type { ClassId, RecordingSettings } from '../types';
import { onCameraFrame } from './frameLoop';
import { stopRecording } from './recording';
import { pushError } from './errors';

/** The single camera owner, created on first use (it needs the DOM). */
export function cameraController(): CameraController {
  runtime.camera ??= new CameraController(onCameraFrame);
  return runtime.camera;
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
  // Open, or already on its way (a second click while the permission prompt is up): just move it to this card.
  if (camera.open || camera.starting) {
    patchCamera({ classId });
    return;
  }
  patchCamera({ starting: true, classId });
  try {
    await cameraController().open(camera.deviceId ?? undefined);
    const devices = await listCameras();
    const track = cameraController().current?.getVideoTracks()[0];
    const deviceId = track?.getSettings().deviceId ?? devices[0]?.deviceId ?? null;
    // Closed while we waited (new project, "Close"): the controller has already let the stream go.
    if (!getState().camera.starting) return;
    patchCamera({ open: true, starting: false, devices, deviceId });
  } catch (err) {
    if (!getState().camera.starting) return; // superseded by a close: not an error
    patchCamera({ starting: false, open: false, classId: null });
    pushError(err);
  }
}

/** Closes the camera and releases it (the light goes off). */
export function closeWebcam(): void {
  stopRecording();
  runtime.camera?.close();
  patchCamera({ open: false, starting: false, classId: null });
}

/** Switches to another camera by device id. */
export async function chooseCamera(deviceId: string): Promise<void> {
  if (!getState().camera.open) {
    patchCamera({ deviceId });
    return;
  }
  stopRecording();
  try {
    await cameraController().open(deviceId);
    // Only now: the preview re-binds on deviceId, and the new stream exists from here on.
    if (getState().camera.open) patchCamera({ deviceId });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') return; // another choice or a close overtook this one
    pushError(err);
    closeWebcam();
  }
}

/**
 * Switches between the front and the back camera (phones and tablets; the button shows where there is more than one
 * camera). The front camera is mirrored like a mirror, the back one is not.
 */
export async function switchCamera(): Promise<void> {
  const { camera } = getState();
  if (!camera.open) return;
  const facing = camera.facing === 'environment' ? 'user' : 'environment';
  stopRecording();
  try {
    await cameraController().open(undefined, facing);
    if (!getState().camera.open) return;
    const deviceId = cameraController().current?.getVideoTracks()[0]?.getSettings().deviceId ?? null;
    patchCamera({ facing, deviceId, mirror: facing === 'user' });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') return;
    pushError(err);
    closeWebcam();
  }
}

export function setMirror(mirror: boolean): void {
  patchCamera({ mirror });
}

/** Updates recording settings, keeping them within sensible bounds. */
export function setRecordingSettings(patch: Partial<RecordingSettings>): void {
  // The schema rounds the rate and clamps each value into range; a value that is not a number takes its default.
  patchCamera({ settings: readRecordingSettings({ ...getState().camera.settings, ...patch }) });
}
