import { openCamera, stopStream, type Facing } from './webcam';

/** Called once per animation frame while the camera runs; the next frame is scheduled only after it settles. */
export type FrameHandler = (video: HTMLVideoElement, now: number) => Promise<void>;

/**
 * The one owner of the camera stream and of the requestAnimationFrame loop (excalidraw's
 * AnimationController idea). Each tick awaits its handler before scheduling the next, so work never piles
 * up; closing stops the tracks so the camera is released as soon as nobody needs it.
 */
export class CameraController {
  /** Off-screen video the loop reads from; what the person sees are other <video>s sharing the stream. */
  readonly video: HTMLVideoElement;
  private stream: MediaStream | null = null;
  private raf = 0;
  private generation = 0;
  private readonly onFrame: FrameHandler;

  constructor(onFrame: FrameHandler) {
    this.onFrame = onFrame;
    this.video = document.createElement('video');
    this.video.muted = true;
    this.video.playsInline = true;
  }

  get current(): MediaStream | null {
    return this.stream;
  }

  /** Opens (or switches to) a camera, by device or by facing. Throws CameraError with a message for the person. */
  async open(deviceId?: string, facing?: Facing): Promise<MediaStream> {
    const generation = ++this.generation;
    const stream = await openCamera(deviceId, facing);
    if (generation !== this.generation) {
      // A newer open/close happened while we waited for permission: this stream is not wanted.
      stopStream(stream);
      throw new DOMException('Camera request superseded', 'AbortError');
    }
    this.stopLoop();
    stopStream(this.stream);
    this.stream = stream;
    this.video.srcObject = stream;
    await this.video.play().catch(() => undefined);
    this.schedule(generation);
    return stream;
  }

  /** Stops the loop and releases the camera. */
  close(): void {
    this.generation++;
    this.stopLoop();
    stopStream(this.stream);
    this.stream = null;
    this.video.srcObject = null;
  }

  private schedule(generation: number): void {
    this.raf = requestAnimationFrame((now) => {
      // A handler that throws must not become an unhandled rejection once per frame: it is reported once.
      this.tick(generation, now).catch((err: unknown) => this.reportOnce(err));
    });
  }

  private reported = false;

  private reportOnce(err: unknown): void {
    if (this.reported) return;
    this.reported = true;
    console.error('Camera frame handler failed', err);
  }

  private async tick(generation: number, now: number): Promise<void> {
    this.raf = 0;
    if (generation !== this.generation) return;
    try {
      if (this.video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && this.video.videoWidth > 0) {
        await this.onFrame(this.video, now);
      }
    } finally {
      if (generation === this.generation) this.schedule(generation);
    }
  }

  private stopLoop(): void {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
  }
}
