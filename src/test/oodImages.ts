import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { repoRoot, sharedDir } from './modelFiles';

/** The shared clips (../shared/datasets/video): people signing, bottles on a table. Nothing like rock/paper/scissors. */
export const OOD_VIDEOS = ['asl-book-person-signing.mp4', 'asl-yes-person-signing.mp4', 'bottles-hand-on-table.mp4'] as const;

/** Frames of those clips committed as fixtures (fixtures/ood, CC BY 4.0, see its NOTICE): the unit tests' far-away images. */
export function fixtureFrames(): string[] {
  const dir = path.join(repoRoot, 'fixtures', 'ood');
  return readdirSync(dir).filter((n) => n.endsWith('.jpg')).sort().map((n) => path.join(dir, n));
}

/**
 * Decodes frames of the shared clips with ffmpeg (at `fps` frames per second, 256 px wide) into a fresh temp folder
 * and returns their JPEG paths, sorted. Never writes beside the shared data. Needs ../shared (npm run eval).
 */
export function videoFrames(fps = 2): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'glance-ood-'));
  for (const clip of OOD_VIDEOS) {
    const out = path.join(dir, `${path.basename(clip, '.mp4')}-%03d.jpg`);
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', path.join(sharedDir, 'datasets/video', clip), '-vf', `fps=${fps},scale=256:-1`, '-q:v', '3', out]);
  }
  return readdirSync(dir).filter((n) => n.endsWith('.jpg')).sort().map((n) => path.join(dir, n));
}

/** `n` synthetic images ([224, 224, 3], 0–255): smooth colour blobs and plain noise, seeded. Caller disposes. */
export function noiseImages(n: number, seed = 7): tf.Tensor3D[] {
  return Array.from({ length: n }, (_, i) =>
    tf.tidy(() => {
      if (i % 2 === 0) return tf.randomUniform([224, 224, 3], 0, 255, 'float32', seed + i) as tf.Tensor3D;
      const small = tf.randomUniform([7, 7, 3], 0, 255, 'float32', seed + i) as tf.Tensor3D;
      return tf.image.resizeBilinear(small, [224, 224]);
    }),
  );
}
