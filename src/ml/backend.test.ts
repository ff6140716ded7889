import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensorsLeftBy, useTestBackend } from '../test/backend';
import { baseModelDir, readModelFilesFromDir } from '../test/modelFiles';
import { canUseWasmThreads, chooseBackend, configureWasm, parseForcedBackend, selectBackend, type BackendTiming } from './backend';
import { GlanceError } from './errors';
import { loadExtractor, type FeatureExtractor } from './featureExtractor';

describe('chooseBackend', () => {
  const ok = (backend: BackendTiming['backend'], msPerEmbedding: number): BackendTiming => ({ backend, ok: true, warmupMs: 100, msPerEmbedding });
  const failed = (backend: BackendTiming['backend']): BackendTiming => ({ backend, ok: false, error: 'no context' });

  it('picks wasm when it is faster than webgl', () => {
    expect(chooseBackend([ok('wasm', 9), ok('webgl', 14)])).toBe('wasm');
  });
  it('picks webgl when it is faster', () => {
    expect(chooseBackend([ok('wasm', 9), ok('webgl', 3)])).toBe('webgl');
  });
  it('picks wasm when webgl failed', () => {
    expect(chooseBackend([failed('webgl'), ok('wasm', 30)])).toBe('wasm');
  });
  it('picks cpu only when neither webgl nor wasm works, even if cpu is faster', () => {
    expect(chooseBackend([failed('webgl'), failed('wasm'), ok('cpu', 200)])).toBe('cpu');
    expect(chooseBackend([ok('wasm', 50), ok('cpu', 10)])).toBe('wasm');
  });
  it('throws a backend-failed GlanceError when nothing works', () => {
    expect(() => chooseBackend([failed('webgl'), failed('wasm'), failed('cpu')])).toThrow(GlanceError);
    expect(() => chooseBackend([])).toThrow(/backend/);
  });
});

describe('parseForcedBackend', () => {
  it('reads ?backend= and ignores anything else', () => {
    expect(parseForcedBackend('?backend=wasm')).toBe('wasm');
    expect(parseForcedBackend('?x=1&backend=webgl')).toBe('webgl');
    expect(parseForcedBackend('backend=cpu')).toBe('cpu');
    expect(parseForcedBackend('?backend=tensorflow')).toBeNull();
    expect(parseForcedBackend('')).toBeNull();
  });
});

describe('selectBackend (Node)', () => {
  let extractor: FeatureExtractor;
  const crop = () => tf.fill([224, 224, 3], 120) as tf.Tensor3D;
  const embedOnce = async (): Promise<Float32Array> => {
    const image = crop();
    try {
      return (await extractor.embed([image]))[0];
    } finally {
      image.dispose();
    }
  };
  const measure = async () => { await embedOnce(); };

  beforeAll(async () => {
    await useTestBackend();
    configureWasm();
    extractor = await loadExtractor(await readModelFilesFromDir(baseModelDir));
  });

  afterAll(async () => {
    extractor.dispose();
    await useTestBackend();
  });

  it('keeps wasm threads off where the page is not cross-origin isolated (Node)', () => {
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
  });

  it('measures each candidate, reports timings and switches to the chosen backend', async () => {
    const progress: string[] = [];
    const { backend, timings } = await selectBackend({ candidates: ['wasm', 'cpu'], measure, runs: 2, onProgress: (m) => progress.push(m) });
    expect(timings.map((t) => t.backend)).toEqual(['wasm', 'cpu']);
    for (const t of timings.filter((t) => t.ok)) {
      expect(t.warmupMs).toBeGreaterThan(0);
      expect(t.msPerEmbedding).toBeGreaterThan(0);
    }
    expect(backend).toBe(chooseBackend(timings));
    expect(tf.getBackend()).toBe(backend);
    expect(progress.at(-1)).toContain(backend);
  });

  it('skips an unavailable backend (webgl in Node) and reports why', async () => {
    const { backend, timings } = await selectBackend({ measure, runs: 1 });
    expect(timings[1]).toMatchObject({ backend: 'webgl', ok: false });
    expect(timings[1].error).toBeTruthy();
    expect(timings[0]).toMatchObject({ backend: 'wasm', ok: true });
    expect(backend).toBe('wasm');
  });

  it('tries only the forced backend', async () => {
    const { backend, timings } = await selectBackend({ forced: 'cpu', measure, runs: 1 });
    expect(backend).toBe('cpu');
    expect(timings.map((t) => t.backend)).toEqual(['cpu']);
    await expect(selectBackend({ forced: 'webgl', measure })).rejects.toMatchObject({ code: 'backend-failed' });
  });

  it('uses the same loaded model on cpu and wasm (weights move between backends)', async () => {
    await tf.setBackend('cpu');
    const onCpu = await embedOnce();
    expect(await tf.setBackend('wasm'), 'the WASM backend starts (useTestBackend already required it)').toBe(true);
    const onWasm = await embedOnce();
    await tf.setBackend('cpu');
    const backOnCpu = await embedOnce();
    expect(Math.max(...onCpu.map((v, i) => Math.abs(v - onWasm[i])))).toBeLessThan(1e-3);
    expect(Math.max(...onCpu.map((v, i) => Math.abs(v - backOnCpu[i])))).toBeLessThan(1e-6);
  });

  it('does not leak tensors', async () => {
    await selectBackend({ candidates: ['wasm', 'cpu'], measure, runs: 1 });
    expect(await tensorsLeftBy(() => selectBackend({ candidates: ['wasm', 'cpu'], measure, runs: 1 }))).toBe(0);
  });
});

describe('canUseWasmThreads', () => {
  it('is true only in a cross-origin isolated scope', () => {
    expect(canUseWasmThreads({ crossOriginIsolated: true })).toBe(typeof SharedArrayBuffer === 'function');
    expect(canUseWasmThreads({ crossOriginIsolated: false })).toBe(false);
    expect(canUseWasmThreads({})).toBe(false);
  });
});
