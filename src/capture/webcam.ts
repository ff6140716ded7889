import { CameraError } from '../ml/errors';
import { t } from '../i18n';

export interface CameraDevice {
  deviceId: string;
  label: string;
}

/** Which way a phone's camera looks: at the person ('user', the front camera) or away ('environment', the back one). */
export type Facing = 'user' | 'environment';

/**
 * Opens a camera stream: a specific device when given, else the one facing `facing` when the device has one (an
 * ideal, not an exact, constraint: a device with one camera still opens it). Every failure becomes a CameraError whose
 * message tells the person what to do; uploads keep working whatever happens here.
 */
export async function openCamera(deviceId?: string, facing?: Facing): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new CameraError('camera-failed', t('camera.insecure'));
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
      return new CameraError('camera-denied', t('camera.denied'), { cause: err });
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new CameraError('camera-not-found', t('camera.notFound'), { cause: err });
    case 'NotReadableError':
    case 'AbortError':
      return new CameraError('camera-in-use', t('camera.inUse'), { cause: err });
    default:
      return new CameraError('camera-failed', t('camera.failed'), { cause: err });
  }
}

/** Lists video inputs by label (labels are only filled in once camera permission was granted). */
export async function listCameras(): Promise<CameraDevice[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((d) => d.kind === 'videoinput')
    .map((d, i) => ({ deviceId: d.deviceId, label: d.label || t('camera.nth', { n: i + 1 }) }));
}

/** Stops every track so the camera light goes off. */
export function stopStream(stream: MediaStream | null): void {
  stream?.getTracks().forEach((t) => t.stop());
}
