import * as tf from '@tensorflow/tfjs';
import { Classifier } from '../../ml/classifier';
import { GlanceError } from '../../ml/errors';
import { wasmThreadCount } from '../../ml/backend';
import type { Embedder } from '../../ml/featureExtractor';
import { extractorSources, loadExtractors, type BaseSource } from '../../ml/multiBase';
import { loadHead } from '../../ml/headIO';
import { getState, setState } from '../appStore';
import { reembedSamples } from '../persistence/restore';
import { installClassifier, runtime } from '../runtime';
import { pushError } from './errors';
import { t } from '../../i18n';

/** The WebGL context tfjs draws with, when WebGL is the backend. */
function webglCanvas(): HTMLCanvasElement | OffscreenCanvas | null {
  const backend = tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } };
  return backend.gpgpu?.gl?.canvas ?? null;
}

/**
 * When the browser takes the GPU away (driver reset, too many tabs, sleep), WebGL weights are gone. Glance
 * switches to WASM, reloads the base from the files it already has and the head from its saved bytes, and
 * recomputes any embedding that was in flight: no example and no model is lost.
 */
export function watchForLostWebGL(): void {
  const canvas = webglCanvas();
  // Once per canvas: a base switch on WebGL loads in the page again, and one lost context must start one recovery.
  if (!canvas || runtime.watchedWebGLCanvas === canvas) return;
  runtime.watchedWebGLCanvas = canvas;
  canvas.addEventListener(
    'webglcontextlost',
    (e) => {
      e.preventDefault();
      runtime.watchedWebGLCanvas = null;
      void recover();
    },
    { once: true },
  );
}

async function recover(): Promise<void> {
  pushError(
    new GlanceError(
      'backend-failed',
      t('engine.webglLost'),
    ),
  );
  const old = runtime.extractor;
  if (!old) return;
  await recoverInPage(old, async (sources) => {
    const backend = (await tf.setBackend('wasm').catch(() => false)) ? 'wasm' : 'cpu';
    if (backend === 'cpu') await tf.setBackend('cpu');
    const extractor = await loadExtractors(sources);
    setState((s) => ({ ui: { ...s.ui, engine: { ...s.ui.engine, backend, threads: backend === 'wasm' ? wasmThreadCount() : null } } }));
    return extractor;
  }, true);
}

/**
 * Puts the bases of `old` back in use after the backend under them was lost (a lost WebGL context, a dead engine
 * worker): `load` loads them again from the files already here, the model is rebuilt around them (from its saved
 * bytes when `headLost`: its weights lived on the lost GPU) and every embedding that was in flight is computed again.
 * No example and no model is lost.
 */
export async function recoverInPage(old: Embedder, load: (sources: BaseSource[]) => Promise<Embedder>, headLost: boolean): Promise<void> {
  // 'loading' while it recovers: no switch, training or open starts on bases that are going away.
  setEngine({ status: 'loading' });
  try {
    runtime.queue.clear(); // its crops may have lived on the lost GPU; reembedSamples() queues them again
    const extractor = await load(extractorSources(old));
    if (runtime.extractor !== old) {
      // Something else replaced the bases meanwhile: that wins.
      extractor.dispose();
      setEngine({ status: 'ready' });
      return;
    }
    runtime.extractor = extractor;
    runtime.queue.setExtractor(extractor);
    const c = runtime.classifier;
    if (c && headLost && runtime.headArtifacts) {
      const head = await loadHead(runtime.headArtifacts);
      // The old head's weights lived on the lost GPU: drop the reference without disposing it there.
      runtime.classifier = null;
      installClassifier(new Classifier(extractor, head, c.transform, [...c.labels]), runtime.headArtifacts);
    } else if (c) {
      // The head is fine (it runs in this page): the same weights, around the bases now in use.
      runtime.classifier = new Classifier(extractor, c.head, c.transform, [...c.labels], c.novelty);
    }
    // Samples whose embedding was being computed when the backend went away are embedded again.
    reembedSamples((s) => !s.embedding);
    setEngine({ status: 'ready' });
  } catch (err) {
    // No image model left to run: say so (the examples are safe in the page and in storage); a reload starts afresh.
    setEngine({ status: 'failed' });
    pushError(err);
  }
}

function setEngine(patch: Partial<ReturnType<typeof getState>['ui']['engine']>): void {
  setState((s) => ({ ui: { ...s.ui, engine: { ...s.ui.engine, ...patch } } }));
}
