import * as tf from '@tensorflow/tfjs';
import { configureWasm, selectBackend, type BackendName } from '../../ml/backend';
import { GlanceError } from '../../ml/errors';
import type { BaseDescriptor, FeatureExtractor } from '../../ml/featureExtractor';
import { baseChoice, fetchBaseFiles, loadExtractors, type BaseSource } from '../../ml/multiBase';
import { getState, setState } from '../appStore';
import { rememberBaseChoice, savedBaseChoice } from '../baseChoice';
import { reembedSamples } from '../persistence/restore';
import { installClassifier, runtime } from '../runtime';
import { session } from '../session';
import { pushError, setNotice } from './errors';
import { watchForLostWebGL } from './webglRecovery';
import { t } from '../../i18n';

export interface EngineOptions {
  /** Where the base models' folders are served, ending in '/' (`<BASE_URL>models/`). */
  modelRoot: string;
  wasmPaths?: Record<string, string>;
  forced: BackendName | null;
}

/** Each base's files from `<modelRoot><folder>/model.json`, downloaded once per page. */
async function baseSources(bases: readonly BaseDescriptor[]): Promise<BaseSource[]> {
  return Promise.all(
    bases.map(async (base) => {
      let files = runtime.baseFiles.get(base.id);
      if (!files) {
        files = await fetchBaseFiles(runtime.modelRoot, base);
        runtime.baseFiles.set(base.id, files);
      }
      return { base, files };
    }),
  );
}

/**
 * Loads the frozen bases this browser uses (the default combination unless the person picked others) and picks
 * the fastest backend by timing real embeddings on each candidate. Samples added before this finishes wait in the
 * embedding queue.
 */
export async function startEngine(opts: EngineOptions): Promise<void> {
  const choice = savedBaseChoice();
  setEngine({ status: 'loading', bases: choice.id });
  try {
    configureWasm(opts.wasmPaths);
    runtime.wasmPaths = opts.wasmPaths;
    runtime.modelRoot = opts.modelRoot;
    const sources = await baseSources(choice.bases);
    // Load on the backend we will most likely keep; weights move by themselves if another one wins.
    await tf.setBackend(opts.forced ?? 'wasm').catch(() => false);
    const extractor = await loadExtractors(sources);
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
    putExtractorInUse(extractor);
    if (backend === 'webgl') watchForLostWebGL();
    setEngine({ status: 'ready', backend, timings });
  } catch (err) {
    setEngine({ status: 'failed' });
    pushError(err);
  }
}

function putExtractorInUse(extractor: FeatureExtractor): void {
  runtime.extractor = extractor;
  runtime.queue.setExtractor(extractor);
}

/**
 * Switches to other frozen bases (advanced settings). Every example keeps its image and gets a new embedding from
 * the new bases; the model, trained on the old embeddings, is dropped (a notice asks to train again). The old bases
 * keep working until the new ones have loaded, and stay in use if they cannot be loaded.
 */
export async function switchBases(choiceId: string): Promise<void> {
  const { engine } = getState().ui;
  const choice = baseChoice(choiceId);
  if (engine.status !== 'ready' || !runtime.extractor || choice.id === runtime.extractor.base.id) return;
  if (getState().training.phase === 'training') {
    pushError(new GlanceError('training-failed', t('base.waitForTraining')));
    return;
  }
  // "Train model" is refused while the engine is loading, so no training can start on the old bases meanwhile.
  const run = session.forModel();
  setEngine({ status: 'loading', bases: choice.id });
  let extractor: FeatureExtractor;
  try {
    extractor = await loadExtractors(await baseSources(choice.bases));
  } catch (err) {
    // Whatever happened meanwhile, the engine leaves 'loading': the bases in use stay in use.
    setEngine({ status: 'ready', bases: runtime.extractor?.base.id ?? engine.bases });
    if (run.current) pushError(err);
    return;
  }
  // While the new bases loaded, the image model was replaced another way (WebGL recovery), or training began after
  // all: the old state wins, the new bases are let go, nothing is mixed.
  if (!run.current || !runtime.extractor || getState().training.phase === 'training') {
    extractor.dispose();
    setEngine({ status: 'ready', bases: runtime.extractor?.base.id ?? engine.bases });
    pushError(
      new GlanceError(
        'model-load-failed',
        run.current
          ? t('base.notChangedTraining')
          : t('base.notChangedStale'),
      ),
    );
    return;
  }
  const old = runtime.extractor;
  session.endModel();
  runtime.queue.clear();
  installClassifier(null, null);
  putExtractorInUse(extractor);
  old.dispose();
  rememberBaseChoice(choice.id);
  const hadModel = getState().training.model !== null;
  setState((s) => ({ training: { ...s.training, model: null } }));
  setEngine({ status: 'ready', bases: choice.id });
  if (hadModel) setNotice(t('base.changed'));
  reembedSamples((s) => s.baseId !== extractor.base.id && !s.setAside);
}

function setEngine(patch: Partial<ReturnType<typeof getState>['ui']['engine']>): void {
  setState((s) => ({ ui: { ...s.ui, engine: { ...s.ui.engine, ...patch } } }));
}
