import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in `<repo>/e2e/`). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Test data is used in place, never copied into the repo: `shared/` sits beside the clone, read-only in CI.
 * GLANCE_SHARED_DIR overrides it for a checkout laid out differently.
 */
export const sharedDir = process.env.GLANCE_SHARED_DIR ?? path.resolve(repoRoot, '..', 'shared');
export const datasetsDir = path.join(sharedDir, 'datasets');

/**
 * Files made for the tests (the fake webcam clip). Outside `test-results/`, which Playwright empties at the start
 * of every run, because Chromium's launch flags must name the clip before any test starts.
 */
export const cacheDir = path.join(repoRoot, 'node_modules', '.cache', 'glance-e2e');
export const fakeCameraPath = path.join(cacheDir, 'fake-camera.y4m');
/** Ready-made clip (a person signing) used when ffmpeg is missing. */
export const fallbackCameraPath = path.join(datasetsDir, 'video', 'asl-yes-person-signing-320x240-15fps.y4m');

/** Human-inspected screenshots of the main states. */
export const screenshotsDir = path.join(repoRoot, 'test-results', 'screenshots');

export const RPS_CLASSES = ['rock', 'paper', 'scissors'] as const;
export type RpsClass = (typeof RPS_CLASSES)[number];

/**
 * The rps-webcam images of one class and split, sorted by name (the dataset's own order). With `count`, that many
 * evenly spaced over the whole list, so a smaller set still spans the whole recording.
 */
export function rpsImages(split: 'train' | 'test', cls: RpsClass, count?: number): string[] {
  const dir = path.join(datasetsDir, 'rps-webcam', split, cls);
  const all = fs.readdirSync(dir).filter((f) => f.endsWith('.jpg')).sort().map((f) => path.join(dir, f));
  if (count === undefined || count >= all.length) return all;
  return Array.from({ length: count }, (_, i) => all[Math.floor((i * all.length) / count)]);
}
