import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in `<repo>/e2e/`). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The test images: the committed rps-cgi fixtures (fixtures/rps-cgi/NOTICE), 40 train + 20 test per class. Every e2e
 * test and the quick bench read these, so a clone alone runs them.
 */
export const fixturesDir = path.join(repoRoot, 'fixtures', 'rps-cgi');

/**
 * Optional, larger data beside the clone (`../shared`, or GLANCE_SHARED_DIR): the full rps-webcam set that
 * `npm run bench` measures on. Used in place, read-only, never copied into the repo.
 */
export const sharedDir = process.env.GLANCE_SHARED_DIR ? path.resolve(process.env.GLANCE_SHARED_DIR) : path.resolve(repoRoot, '..', 'shared');
export const datasetsDir = path.join(sharedDir, 'datasets');

/**
 * Files made for the tests (the fake webcam clip). Outside `test-results/`, which Playwright empties at the start
 * of every run, because Chromium's launch flags must name the clip before any test starts.
 */
export const cacheDir = path.join(repoRoot, 'node_modules', '.cache', 'glance-e2e');
export const fakeCameraPath = path.join(cacheDir, 'fake-camera.y4m');

/** Human-inspected screenshots of the main states. */
export const screenshotsDir = path.join(repoRoot, 'test-results', 'screenshots');

export const RPS_CLASSES = ['rock', 'paper', 'scissors'] as const;
export type RpsClass = (typeof RPS_CLASSES)[number];

/**
 * The images of one class and split under `root` (default: the committed fixtures; the bench passes
 * `datasetsDir/rps-webcam`), sorted by name (the dataset's own order). With `count`, that many evenly spaced over the
 * whole list, so a smaller set still spans every hand model (or the whole recording).
 */
export function rpsImages(split: 'train' | 'test', cls: RpsClass, count?: number, root = fixturesDir): string[] {
  const dir = path.join(root, split, cls);
  const all = fs.readdirSync(dir).filter((f) => f.endsWith('.jpg')).sort().map((f) => path.join(dir, f));
  if (count === undefined || count >= all.length) return all;
  return Array.from({ length: count }, (_, i) => all[Math.floor((i * all.length) / count)]);
}
