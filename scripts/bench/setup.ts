import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { buildFakeCamera } from '../../e2e/fakeCamera';
import { datasetsDir, fakeCameraPath, fixturesDir, repoRoot } from '../../e2e/paths';

/** Build output and camera clip for the bench, apart from dist/ so a bench never disturbs the e2e suite's build. */
export const benchCacheDir = path.join(repoRoot, 'node_modules', '.cache', 'glance-bench');
export const benchDist = path.join(benchCacheDir, 'dist');
export const PORT = Number(process.env.BENCH_PORT ?? 4180);
export const ORIGIN = `http://localhost:${PORT}`;
/**
 * Same-origin path the driver answers with test images (nothing is copied into the build): `fixtures/…` from the
 * committed fixtures, anything else from ../shared/datasets.
 */
export const DATA_PREFIX = '/__bench-data/';
/** Same-origin path for public/models, so Glance's own code can load TM's base the way the reference gets it. */
export const MODELS_PREFIX = '/__bench-models/';
const modelsDir = path.join(repoRoot, 'public', 'models');

/** The bench's images: the full rps-webcam set in ../shared (full runs), or the committed fixtures (--quick). */
export type BenchData = 'rps-webcam' | 'fixtures';

/** The folder holding `<split>/<class>/*.jpg` for a BenchData. */
export function dataRoot(data: BenchData): string {
  return data === 'fixtures' ? fixturesDir : path.join(datasetsDir, data);
}

/** Where @teachablemachine/image 0.8.5 fetches its base (custom-mobilenet.ts, version 2, alpha 0.35). */
export const TM_BASE_URL = 'https://storage.googleapis.com/teachable-machine-models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top/';
// The same files as ../shared/models/tm_mobilenet_v2_035_224_no_top (the app ships them).
const tmBaseDir = path.join(modelsDir, 'tm_mobilenet_v2_035_224_no_top');

/** `vite build --mode bench` into the bench's own folder (adds bench/glance.html and bench/tm.html). */
export function build(): number {
  const t0 = Date.now();
  const r = spawnSync('npx', ['vite', 'build', '--mode', 'bench', '--outDir', benchDist, '--emptyOutDir', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`vite build --mode bench failed (${r.status})`);
  return Date.now() - t0;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

/** `vite preview` of the bench build on PORT, run with node directly so that killing it stops the server. */
export async function startPreview(): Promise<ChildProcess> {
  if (await answers(`${ORIGIN}/`)) throw new Error(`Something already answers on ${ORIGIN}; stop it or free port ${PORT}.`);
  const vite = path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  const server = spawn(process.execPath, [vite, 'preview', '--mode', 'bench', '--outDir', benchDist, '--port', String(PORT), '--strictPort'], {
    cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  server.stderr?.on('data', (d: Buffer) => void (stderr += d.toString()));
  for (let i = 0; i < 150; i++) {
    if (server.exitCode !== null) throw new Error(`vite preview exited: ${stderr}`);
    if (await answers(`${ORIGIN}/bench/glance.html`)) return server;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  server.kill();
  throw new Error(`vite preview did not answer on ${ORIGIN}: ${stderr}`);
}

/**
 * TM's base as the library expects it: its code does `loadLayersModel(url)` then `getLayer('out_relu')`, so the
 * model must be the functional MobileNetV2 itself. Our file is Sequential[that Model, GlobalAveragePooling2D];
 * the GAP layer has no weights, so the inner Model's topology with the same weights manifest is exactly it.
 */
function tmBaseModelJson(): string {
  const src = JSON.parse(fs.readFileSync(path.join(tmBaseDir, 'model.json'), 'utf8')) as {
    generatedBy: string;
    modelTopology: { keras_version: string; backend: string; config: { layers: { class_name: string; config: unknown }[] } };
    weightsManifest: unknown;
  };
  const inner = src.modelTopology.config.layers[0];
  if (inner.class_name !== 'Model') throw new Error(`unexpected TM base layout: layer 0 is ${inner.class_name}`);
  return JSON.stringify({
    format: 'layers-model',
    generatedBy: src.generatedBy,
    convertedBy: null,
    modelTopology: { class_name: 'Model', config: inner.config, keras_version: src.modelTopology.keras_version, backend: src.modelTopology.backend },
    weightsManifest: src.weightsManifest,
  });
}

/** The fake camera clip: a copy of the e2e suite's clip when it has been built, else the same clip made here. */
function cameraClip(): string {
  fs.mkdirSync(benchCacheDir, { recursive: true });
  const clip = path.join(benchCacheDir, 'fake-camera.y4m');
  if (fs.existsSync(fakeCameraPath)) fs.copyFileSync(fakeCameraPath, clip);
  else buildFakeCamera(clip);
  return clip;
}

export interface NetworkLog {
  servedLocally: number;
  tmBaseRequests: string[];
  blocked: string[];
}

/** Debian Chromium with SwiftShader WebGL and a fake camera; every request off our origin is aborted (logged). */
export async function launch(): Promise<{ browser: Browser; context: BrowserContext; network: NetworkLog; camera: string }> {
  const camera = cameraClip();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${camera}`,
      '--autoplay-policy=no-user-gesture-required',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ['camera'], serviceWorkers: 'block', locale: 'en-US' });
  const network: NetworkLog = { servedLocally: 0, tmBaseRequests: [], blocked: [] };
  const modelJson = tmBaseModelJson();
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    const cors = { 'access-control-allow-origin': '*' };
    if (url.startsWith(TM_BASE_URL)) {
      network.tmBaseRequests.push(url);
      const file = url.slice(TM_BASE_URL.length).split(/[?#]/)[0];
      if (file === 'model.json') return route.fulfill({ status: 200, contentType: 'application/json', headers: cors, body: modelJson });
      if (file === 'weights.bin') return route.fulfill({ status: 200, contentType: 'application/octet-stream', headers: cors, body: fs.readFileSync(path.join(tmBaseDir, 'weights.bin')) });
      return route.fulfill({ status: 404, headers: cors, body: '' });
    }
    if (url.startsWith(ORIGIN + MODELS_PREFIX)) {
      const file = path.resolve(modelsDir, decodeURIComponent(new URL(url).pathname.slice(MODELS_PREFIX.length)));
      if (!file.startsWith(modelsDir + path.sep) || !fs.existsSync(file)) return route.fulfill({ status: 404, body: '' });
      return route.fulfill({ status: 200, body: fs.readFileSync(file), contentType: file.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
    }
    if (url.startsWith(ORIGIN + DATA_PREFIX)) {
      const rel = decodeURIComponent(new URL(url).pathname.slice(DATA_PREFIX.length));
      const [dir, inside] = rel.startsWith('fixtures/') ? [fixturesDir, rel.slice('fixtures/'.length)] : [datasetsDir, rel];
      const file = path.resolve(dir, inside);
      if (!file.startsWith(dir + path.sep) || !fs.existsSync(file)) return route.fulfill({ status: 404, body: '' });
      network.servedLocally++;
      return route.fulfill({ status: 200, contentType: 'image/jpeg', body: fs.readFileSync(file) });
    }
    if (url.startsWith(ORIGIN + '/') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    network.blocked.push(url);
    return route.abort('blockedbyclient');
  });
  return { browser, context, network, camera };
}

/** A test image's URL on the bench origin (a fixture, or a file of ../shared/datasets). */
export function dataUrl(file: string): string {
  const inFixtures = file.startsWith(fixturesDir + path.sep);
  const rel = path.relative(inFixtures ? fixturesDir : datasetsDir, file).split(path.sep).map(encodeURIComponent).join('/');
  return DATA_PREFIX + (inFixtures ? 'fixtures/' : '') + rel;
}
