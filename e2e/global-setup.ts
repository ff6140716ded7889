import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheDir, datasetsDir, fakeCameraPath, fallbackCameraPath, repoRoot, rpsImages } from './paths';

/**
 * Builds the fake webcam clip Chromium plays through getUserMedia: 4 s of real rps-webcam frames (rock, then
 * paper) at 15 fps, 320×240, each 224×224 frame scaled to 240×240 and padded, so the app's centre-square crop sees
 * the whole hand. Every frame differs, so live predictions change several times a second.
 */
function buildFakeCamera(): void {
  fs.mkdirSync(cacheDir, { recursive: true });
  const frames = fs.mkdtempSync(path.join(os.tmpdir(), 'glance-frames-'));
  try {
    const images = [...rpsImages('test', 'rock').slice(0, 30), ...rpsImages('test', 'paper').slice(0, 30)];
    images.forEach((file, i) => fs.symlinkSync(file, path.join(frames, `frame_${String(i).padStart(4, '0')}.jpg`)));
    const partial = `${fakeCameraPath}.partial.y4m`;
    execFileSync('ffmpeg', [
      '-loglevel', 'error', '-y', '-framerate', '15', '-i', path.join(frames, 'frame_%04d.jpg'),
      '-vf', 'scale=240:240,pad=320:240:40:0', '-pix_fmt', 'yuv420p', partial,
    ], { stdio: ['ignore', 'inherit', 'inherit'] });
    fs.renameSync(partial, fakeCameraPath);
  } finally {
    fs.rmSync(frames, { recursive: true, force: true });
  }
}

export default function globalSetup(): void {
  if (!fs.existsSync(path.join(datasetsDir, 'rps-webcam'))) {
    throw new Error(`Test images not found at ${datasetsDir}: the e2e tests expect shared/ beside the repository.`);
  }
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'index.html'))) {
    throw new Error('dist/ is missing: run `vite build` before `playwright test` (npm run test:e2e does both).');
  }
  try {
    buildFakeCamera();
  } catch (error) {
    console.warn(`Could not build the fake camera clip with ffmpeg (${String(error)}); using ${fallbackCameraPath}.`);
    fs.copyFileSync(fallbackCameraPath, fakeCameraPath);
  }
}
