import { CameraError } from '../ml/errors';

export interface CameraDevice {
  deviceId: string;
  label: string;
}

const HOW_TO_ALLOW =
  'Click the camera icon in the address bar, choose "Allow", then click "Webcam" again. You can still upload images.';

/** Which way a phone's camera looks: at the person ('user', the front camera) or away ('environment', the back one). */
export type Facing = 'user' | 'environment';

/**
 * Opens a camera stream: a specific device when given, else the one facing `facing` when the device has one (an
 * ideal, not an exact, constraint: a device with one camera still opens it). Every failure becomes a CameraError whose
 * message tells the person what to do; uploads keep working whatever happens here.
 */
export async function openCamera(deviceId?: string, facing?: Facing): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new CameraError('camera-failed', 'This page cannot use a camera here: open it over https or on localhost. You can still upload images.');
  }
  const video: MediaTrackConstraints = deviceId
    ? { deviceId: { exact: deviceId }, width: { ideal: 640 }, height: { ideal: 480 } }
    : { width: { ideal: 640 }, height: { ideal: 480 }, ...(facing ? { facingMode: { ideal: facing } } : {}) };
  try {
    return await navigator.mediaDevices.getUserMedia({ video, audio: false });
  } catch (err) {
    throw toCameraError(err);
  }
}

function toCameraError(err: unknown): CameraError {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new CameraError('camera-denied', `Camera access is blocked. ${HOW_TO_ALLOW}`, { cause: err });
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new CameraError('camera-not-found', 'No camera was found. Plug one in and click "Webcam" again, or upload images instead.', { cause: err });
    case 'NotReadableError':
    case 'AbortError':
      return new CameraError('camera-in-use', 'The camera is busy: another app or tab is using it. Close that, then click "Webcam" again.', { cause: err });
    default:
      return new CameraError('camera-failed', 'The camera could not be started. Click "Webcam" to try again, or upload images instead.', { cause: err });
  }
}

/** Lists video inputs by label (labels are only filled in once camera permission was granted). */
export async function listCameras(): Promise<CameraDevice[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((d) => d.kind === 'videoinput')
    .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Camera ${i + 1}` }));
}

/** Stops every track so the camera light goes off. */
export function stopStream(stream: MediaStream | null): void {
  stream?.getTracks().forEach((t) => t.stop());
}
