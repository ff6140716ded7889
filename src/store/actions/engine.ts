import * as tf from '@tensorflow/tfjs';
import { configureWasm, selectBackend, type BackendName } from '../../ml/backend';
import { loadExtractor, MOBILENET_V1_025 } from '../../ml/featureExtractor';
import { fetchModelFiles } from '../../ml/modelFiles';
import { getState, setState } from '../appStore';
import { runtime } from '../runtime';
import { pushError } from './errors';
import { watchForLostWebGL } from './webglRecovery';

export interface EngineOptions {
  modelUrl: string;
  wasmPaths?: Record<string, string>;
  forced: BackendName | null;
}

/**
 * Loads the frozen base and picks the fastest backend by timing real embeddings on each candidate.
 * Samples added before this finishes wait in the embedding queue.
 */
export async function startEngine(opts: EngineOptions): Promise<void> {
  setEngine({ status: 'loading' });
  try {
    configureWasm(opts.wasmPaths);
    runtime.wasmPaths = opts.wasmPaths;
    const files = await fetchModelFiles(opts.modelUrl);
    // Load on the backend we will most likely keep; weights move by themselves if another one wins.
    await tf.setBackend(opts.forced ?? 'wasm').catch(() => false);
    const extractor = await loadExtractor(files, MOBILENET_V1_025);
    const probe = tf.zeros([1, 224, 224, 3]) as tf.Tensor4D;
    const { backend, timings } = await selectBackend({
      forced: opts.forced,
      measure: async () => {
        const e = extractor.embedBatch(probe);
        try {
          await e.data();
        } finally {
          e.dispose();
        }
      },
    });
    probe.dispose();
    runtime.extractor = extractor;
    runtime.queue.setExtractor(extractor);
    if (backend === 'webgl') watchForLostWebGL();
    setEngine({ status: 'ready', backend, timings });
  } catch (err) {
    setEngine({ status: 'failed' });
    pushError(err);
  }
}

function setEngine(patch: Partial<ReturnType<typeof getState>['ui']['engine']>): void {
  setState((s) => ({ ui: { ...s.ui, engine: { ...s.ui.engine, ...patch } } }));
}
