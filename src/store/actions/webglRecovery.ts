import * as tf from '@tensorflow/tfjs';
import { Classifier } from '../../ml/classifier';
import { GlanceError } from '../../ml/errors';
import { extractorSources, loadExtractors } from '../../ml/multiBase';
import { loadHead } from '../../ml/headIO';
import { setState } from '../appStore';
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
  if (!canvas) return;
  canvas.addEventListener(
    'webglcontextlost',
    (e) => {
      e.preventDefault();
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
  try {
    const backend = (await tf.setBackend('wasm').catch(() => false)) ? 'wasm' : 'cpu';
    if (backend === 'cpu') await tf.setBackend('cpu');
    runtime.queue.clear(); // its crops lived on the lost GPU; reembedMissing() queues them again
    const extractor = await loadExtractors(extractorSources(old));
    runtime.extractor = extractor;
    runtime.queue.setExtractor(extractor);
    const c = runtime.classifier;
    if (c && runtime.headArtifacts) {
      const head = await loadHead(runtime.headArtifacts);
      // The old head's weights lived on the lost GPU: drop the reference without disposing it there.
      runtime.classifier = null;
      installClassifier(new Classifier(extractor, head, c.transform, [...c.labels]), runtime.headArtifacts);
    }
    // Samples whose embedding was being computed when the context went away are embedded again.
    reembedSamples((s) => !s.embedding);
    setState((s) => ({ ui: { ...s.ui, engine: { ...s.ui.engine, backend } } }));
  } catch (err) {
    pushError(err);
  }
}
