import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import type { Embedder } from '../ml/featureExtractor';
import { initialState, setState } from '../store/appStore';
import { flush } from '../store/persistence/autosave';
import { closeDb } from '../store/persistence/db';
import { installClassifier, runtime } from '../store/runtime';
import { samples } from '../store/samples';
import { session } from '../store/session';

/**
 * The store in Node: a fake IndexedDB (fake-indexeddb, an in-memory implementation of the IndexedDB API), a fake
 * extractor (each image's embedding is [tag, its mean pixel / 255, 1, 0], so tests can tell bases apart and no model is
 * loaded), and the few browser functions the actions call: createImageBitmap decodes JPEGs with jpeg-js (and refuses
 * anything else, as a browser would), addEventListener is a no-op. Training is real (trainHead on the tfjs backend the
 * test file chose).
 */
interface FakeBitmap {
  width: number;
  height: number;
  data: Uint8Array;
  close(): void;
}

const g = globalThis as unknown as Record<string, unknown>;
g.addEventListener ??= () => undefined;
g.createImageBitmap = async (blob: Blob): Promise<FakeBitmap> => {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
  } catch {
    throw new DOMException('The source image could not be decoded.', 'InvalidStateError');
  }
  return { width: decoded.width, height: decoded.height, data: decoded.data, close: () => undefined };
};

/** A real JPEG of one flat colour (`value` 0–255 in every channel), 16×16. */
export function flatJpeg(value: number): Uint8Array {
  const data = new Uint8Array(16 * 16 * 4).fill(value);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return new Uint8Array(jpeg.encode({ data, width: 16, height: 16 }, 90).data);
}

/** Bytes that start and end like a JPEG but cannot be decoded. */
export const BROKEN_JPEG = new Uint8Array([0xff, 0xd8, 7, 7, 7, 7, 0xff, 0xd9]);

export interface FakeExtractor extends Embedder {
  embedCalls: number;
  /** While set, `embed` waits for `release()`. */
  hold: boolean;
  release(): void;
  disposed: boolean;
}

/** A stand-in extractor of width 4 whose embeddings carry `tag`, so a test sees which bases made a vector. */
export function fakeExtractor(id = 'fake', tag = 1): FakeExtractor {
  let release: (() => void) | null = null;
  const ex = {
    base: { id, format: 'layers-model', embeddingNode: '', pooling: 'none', inputRange: [0, 1], embeddingSize: 4 },
    embedCalls: 0,
    hold: false,
    disposed: false,
    release: () => release?.(),
    async embed(images: tf.Tensor3D[]) {
      ex.embedCalls++;
      const means = await Promise.all(images.map((im) => tf.tidy(() => tf.mean(im)).data()));
      if (ex.hold) await new Promise<void>((r) => (release = r));
      return means.map((m) => new Float32Array([tag, m[0] / 255, 1, 0]));
    },
    dispose() {
      ex.disposed = true;
    },
  };
  return ex as unknown as FakeExtractor;
}

/** Puts `extractor` in use, engine ready, as startEngine would. */
export function useExtractor(extractor: Embedder): void {
  runtime.extractor = extractor;
  runtime.queue.setExtractor(extractor);
  setState((s) => ({ ui: { ...s.ui, engine: { ...s.ui.engine, status: 'ready', backend: 'wasm', bases: extractor.base.id } } }));
}

/** A fresh page: empty registry and store, no model, no pending work, an empty database, this tab owning storage. */
export async function freshPage(): Promise<void> {
  session.endProject();
  runtime.queue.clear();
  installClassifier(null, null);
  samples.replaceAll([]);
  setState(initialState());
  // Autosave (when a test file started it) writes the fresh state within 250 ms: let it land now, before the wipe.
  await flush();
  await closeDb();
  await new Promise<void>((resolve, reject) => {
    const req = indexedDB.deleteDatabase('glance');
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
  });
  runtime.storageOwner = true;
}

/** Resolves after `ms` (the default outlasts autosave's 250 ms batching). */
export async function settle(ms = 350): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}
