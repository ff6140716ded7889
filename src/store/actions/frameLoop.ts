import { runtime } from '../runtime';
import { predictLiveFrame } from './prediction';
import { recordFrame } from './recording';

/**
 * The one owner of what each camera frame is for: while recording it becomes an example, otherwise it is predicted.
 * The camera controller awaits this before scheduling the next frame, so frames never pile up.
 */
export async function onCameraFrame(video: HTMLVideoElement, now: number): Promise<void> {
  if (runtime.recording) {
    recordFrame(video, now, runtime.recording);
    return;
  }
  await predictLiveFrame(video);
}
