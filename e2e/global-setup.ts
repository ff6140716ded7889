import fs from 'node:fs';
import path from 'node:path';
import { buildFakeCamera } from './fakeCamera';
import { fakeCameraPath, repoRoot } from './paths';

/** Checks the build is there and makes the fake webcam clip from the committed frames (e2e/fakeCamera.ts). */
export default function globalSetup(): void {
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'index.html'))) {
    throw new Error('dist/ is missing: run `vite build` before `playwright test` (npm run test:e2e does both).');
  }
  buildFakeCamera(fakeCameraPath);
}
