/**
 * Helpers both benchmark pages share. Plain DOM: no tfjs here, so the TM page can use tfjs 1.3.1 alone.
 */

/** A main-thread task over 50 ms, as PerformanceObserver reports it. */
export interface LongTask {
  start: number;
  duration: number;
}

const longTasks: LongTask[] = [];

/** Starts recording long tasks (buffered: includes those since navigation). Call once, at page start. */
export function observeLongTasks(): void {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/** Long tasks that overlap [from, to] (performance.now() times), after the observer has had a turn to deliver. */
export async function longTasksBetween(from: number, to: number): Promise<{ count: number; longestMs: number; totalMs: number; tasks: LongTask[] }> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  const tasks = longTasks.filter((t) => t.start < to && t.start + t.duration > from);
  return {
    count: tasks.length,
    longestMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
    totalMs: tasks.reduce((s, t) => s + t.duration, 0),
    tasks,
  };
}

/** The q-quantile (0–1) of `values`, nearest-rank; NaN for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Summary of per-call latencies in ms. */
export function latencySummary(ms: readonly number[]): { n: number; p50: number; p95: number; mean: number } {
  return { n: ms.length, p50: quantile(ms, 0.5), p95: quantile(ms, 0.95), mean: ms.reduce((s, v) => s + v, 0) / Math.max(1, ms.length) };
}

/** Opens the (fake) camera into a playing <video> attached to the page. */
export async function openCamera(): Promise<HTMLVideoElement> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  document.body.append(video);
  await video.play();
  while (video.videoWidth === 0) await new Promise((resolve) => requestAnimationFrame(resolve));
  return video;
}

export function closeCamera(video: HTMLVideoElement): void {
  (video.srcObject as MediaStream | null)?.getTracks().forEach((t) => t.stop());
  video.remove();
}

/**
 * Runs `predict` in a requestAnimationFrame loop the way the app's camera loop does (each tick awaits its
 * prediction before scheduling the next) for `seconds`; returns each prediction's latency and the achieved rate.
 */
export async function liveLoop(seconds: number, predict: () => Promise<unknown>): Promise<{ latency: ReturnType<typeof latencySummary>; predictionsPerSec: number; seconds: number }> {
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + seconds * 1000;
  await new Promise<void>((resolve, reject) => {
    const tick = async () => {
      if (performance.now() >= end) {
        resolve();
        return;
      }
      try {
        const t0 = performance.now();
        await predict();
        latencies.push(performance.now() - t0);
      } catch (err) {
        reject(err);
        return;
      }
      requestAnimationFrame(() => void tick());
    };
    requestAnimationFrame(() => void tick());
  });
  const elapsed = (performance.now() - start) / 1000;
  return { latency: latencySummary(latencies), predictionsPerSec: latencies.length / elapsed, seconds: elapsed };
}

/** Fetches an image from the bench's data route and decodes it fully. */
export async function loadImageElement(url: string): Promise<HTMLImageElement> {
  const img = new Image();
  img.src = url;
  await img.decode();
  return img;
}

export async function loadBitmap(url: string): Promise<ImageBitmap> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return createImageBitmap(await res.blob(), { imageOrientation: 'from-image' });
}

/** Index of the largest value. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
