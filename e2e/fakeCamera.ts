import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { rpsImages } from './paths';

/** The clip Chromium's fake camera plays: 320×240 at 15 fps, each 224×224 frame scaled to 240×240 and centred. */
const WIDTH = 320;
const HEIGHT = 240;
const SIDE = 240;
const FPS = 15;

/**
 * The frames, in order: the committed rps-cgi test images of rock, then paper (fixtures/rps-cgi/NOTICE). Every frame
 * differs, so live predictions change several times a second; 40 frames are a 2.7 s loop.
 */
export function cameraFrames(): string[] {
  return [...rpsImages('test', 'rock'), ...rpsImages('test', 'paper')];
}

function withFfmpeg(frames: string[], out: string): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glance-frames-'));
  try {
    frames.forEach((file, i) => fs.symlinkSync(file, path.join(dir, `frame_${String(i).padStart(4, '0')}.jpg`)));
    execFileSync('ffmpeg', [
      '-loglevel', 'error', '-y', '-framerate', String(FPS), '-i', path.join(dir, 'frame_%04d.jpg'),
      '-vf', `scale=${SIDE}:${SIDE},pad=${WIDTH}:${HEIGHT}:${(WIDTH - SIDE) / 2}:0`, '-pix_fmt', 'yuv420p', out,
    ], { stdio: ['ignore', 'inherit', 'inherit'] });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One frame as planar YUV 4:2:0 (BT.601, limited range, as ffmpeg writes it): bilinear scale, black padding. */
function yuvFrame(file: string): Buffer {
  const img = jpeg.decode(fs.readFileSync(file), { useTArray: true, formatAsRGBA: false });
  const rgb = new Float32Array(WIDTH * HEIGHT * 3); // black around the scaled square
  const left = (WIDTH - SIDE) / 2;
  for (let y = 0; y < SIDE; y++) {
    const sy = Math.min(Math.max(((y + 0.5) * img.height) / SIDE - 0.5, 0), img.height - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, img.height - 1);
    for (let x = 0; x < SIDE; x++) {
      const sx = Math.min(Math.max(((x + 0.5) * img.width) / SIDE - 0.5, 0), img.width - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, img.width - 1);
      for (let c = 0; c < 3; c++) {
        const at = (yy: number, xx: number) => img.data[(yy * img.width + xx) * 3 + c];
        const top = at(y0, x0) + (at(y0, x1) - at(y0, x0)) * (sx - x0);
        const bottom = at(y1, x0) + (at(y1, x1) - at(y1, x0)) * (sx - x0);
        rgb[(y * WIDTH + x + left) * 3 + c] = top + (bottom - top) * (sy - y0);
      }
    }
  }
  const out = Buffer.alloc((WIDTH * HEIGHT * 3) / 2);
  const px = (i: number): [number, number, number] => [rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2]];
  for (let i = 0; i < WIDTH * HEIGHT; i++) {
    const [r, g, b] = px(i);
    out[i] = Math.round(16 + (65.738 * r + 129.057 * g + 25.064 * b) / 256);
  }
  const chroma = WIDTH * HEIGHT;
  for (let y = 0; y < HEIGHT / 2; y++) {
    for (let x = 0; x < WIDTH / 2; x++) {
      let [r, g, b] = [0, 0, 0];
      for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
        const [pr, pg, pb] = px((2 * y + dy) * WIDTH + 2 * x + dx);
        [r, g, b] = [r + pr / 4, g + pg / 4, b + pb / 4];
      }
      out[chroma + y * (WIDTH / 2) + x] = Math.round(128 + (-37.945 * r - 74.494 * g + 112.439 * b) / 256);
      out[chroma + chroma / 4 + y * (WIDTH / 2) + x] = Math.round(128 + (112.439 * r - 94.154 * g - 18.285 * b) / 256);
    }
  }
  return out;
}

/** The same clip written by plain Node (jpeg-js), for a machine without ffmpeg. */
function inNode(frames: string[], out: string): void {
  const fd = fs.openSync(out, 'w');
  try {
    fs.writeSync(fd, `YUV4MPEG2 W${WIDTH} H${HEIGHT} F${FPS}:1 Ip A1:1 C420jpeg XYSCSS=420JPEG XCOLORRANGE=LIMITED\n`);
    for (const file of frames) {
      fs.writeSync(fd, 'FRAME\n');
      fs.writeSync(fd, yuvFrame(file));
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes the fake camera clip (Y4M, what `--use-file-for-fake-video-capture` plays) to `out`, from committed frames
 * only. ffmpeg makes it where there is one; else (or with GLANCE_NO_FFMPEG=1) the same clip is written in Node.
 * Returns which one made it.
 */
export function buildFakeCamera(out: string): 'ffmpeg' | 'node' {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const partial = `${out}.partial.y4m`;
  const frames = cameraFrames();
  let made: 'ffmpeg' | 'node' = 'node';
  try {
    if (process.env.GLANCE_NO_FFMPEG) throw new Error('GLANCE_NO_FFMPEG is set');
    withFfmpeg(frames, partial);
    made = 'ffmpeg';
  } catch (error) {
    console.warn(`ffmpeg could not make the fake camera clip (${(error as Error).message.split('\n')[0]}); writing it in Node instead.`);
    inNode(frames, partial);
  }
  fs.renameSync(partial, out);
  return made;
}
