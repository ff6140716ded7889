import * as tf from '@tensorflow/tfjs';
import { configureWasm, type BackendName, type BackendTiming } from '../../ml/backend';
import { EngineWorkerUnavailableError, loadEngineInWorker } from '../../ml/engineClient';
import { loadAndTimeBases } from '../../ml/engineService';
import { GlanceError } from '../../ml/errors';
import type { BaseDescriptor, Embedder } from '../../ml/featureExtractor';
import { baseChoice, fetchBaseFiles, type BaseChoice, type BaseSource } from '../../ml/multiBase';
import { getState, setState } from '../appStore';
import { rememberBackend, rememberBaseChoice, savedBackend, savedBaseChoice } from '../baseChoice';
import { reembedSamples } from '../persistence/restore';
import { installClassifier, runtime } from '../runtime';
import { session } from '../session';
import { pushError, setNotice } from './errors';
import { recoverInPage, watchForLostWebGL } from './webglRecovery';
import { formatNumber, t } from '../../i18n';

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

/** Loaded bases and how their backend was chosen. */
interface LoadedEngine {
  extractor: Embedder;
  backend: BackendName;
  timings: BackendTiming[];
  threads: number | null;
  inWorker: boolean;
}

/** Loads `sources` in this page and picks the fastest backend by timing real embeddings (as the worker does). */
async function loadInPage(sources: BaseSource[], forced: BackendName | null, timings: BackendTiming[] = []): Promise<LoadedEngine> {
  const loaded = await loadAndTimeBases(sources, forced);
  if (loaded.backend === 'webgl') watchForLostWebGL();
  return { ...loaded, timings: timings.length > 0 ? timings : loaded.timings, inWorker: false };
}

/**
 * Loads `sources` where they run best: in the engine worker (src/ml/engineClient.ts), so the page's thread only
 * decodes, crops, draws and stores. Falls back to this page when the worker cannot start, and when WebGL wins the
 * timing: a lost WebGL context is recovered by the page (actions/webglRecovery.ts), so WebGL runs here as before.
 */
async function loadEngine(
  pendingSources: BaseSource[] | Promise<BaseSource[]>, forced: BackendName | null, preferWorker: boolean, pageBackend: Promise<unknown> | null = null,
): Promise<LoadedEngine> {
  if (!preferWorker || forced === 'webgl' || typeof Worker === 'undefined') {
    await pageBackend;
    return loadInPage(await pendingSources, forced);
  }
  try {
    // The worker starts its backend while the files still download (a warm reload: ~0.3 s sooner here).
    const { embedder, info } = await loadEngineInWorker(pendingSources, {
      wasmPaths: runtime.wasmPaths,
      forced,
      createWorker: runtime.createEngineWorker ?? undefined,
      onFailure: (err) => void workerFailed(embedder, err),
    });
    if (info.backend !== 'webgl') return { extractor: embedder, backend: info.backend, timings: info.timings, threads: info.threads, inWorker: true };
    embedder.dispose();
    await pageBackend; // tfjs must not start two backends at once
    return loadInPage(await pendingSources, 'webgl', info.timings);
  } catch (err) {
    if (!(err instanceof EngineWorkerUnavailableError)) throw err;
    setNotice(t('engine.workerUnavailable'));
    await pageBackend;
    return loadInPage(await pendingSources, forced);
  }
}

/** The engine worker died after it had loaded: the same bases are loaded in this page and the work in flight is redone. */
async function workerFailed(embedder: Embedder, err: Error): Promise<void> {
  if (runtime.extractor !== embedder) return;
  // Nothing more goes to the dead worker; its embeddings in flight were rejected and are queued again below.
  runtime.queue.setExtractor(null);
  pushError(new GlanceError('backend-failed', t('engine.workerDied', { detail: err.message })));
  await recoverInPage(embedder, async (sources) => {
    const engine = await loadInPage(sources, null);
    setEngine({ backend: engine.backend, timings: engine.timings, threads: engine.threads, inWorker: false });
    return engine.extractor;
  }, false);
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
    // This page's own tfjs makes the crops (and, without the worker, runs the bases).
    configureWasm(opts.wasmPaths);
    runtime.wasmPaths = opts.wasmPaths;
    runtime.modelRoot = opts.modelRoot;
    // `?backend=` forces one; else the one timed fastest last time here is tried first (no second timing).
    const remembered = opts.forced ? null : savedBackend();
    const preferred = opts.forced ?? remembered;
    // Beside the worker, this page's tfjs only crops and runs the head: WASM (cpu when asked for), started meanwhile.
    let pageBackend = preferred === 'webgl' ? null : tf.setBackend(preferred === 'cpu' ? 'cpu' : 'wasm').catch(() => false);
    const sources = startingSources(choice);
    // Read by loadEngine; this handler only keeps a download failure from counting as unhandled meanwhile.
    sources.catch(() => undefined);
    let engine: LoadedEngine;
    try {
      engine = await loadEngine(sources, preferred, true, pageBackend);
    } catch (err) {
      // A download that failed is not the backend's fault: it is reported as it is, without timing backends again.
      if (!remembered || (await sources.then(() => false, () => true))) throw err;
      // What worked here last time does not any more (a GPU gone, a browser update): time every backend again.
      console.warn(`The backend used last time (${remembered}) failed; timing every backend again.`, err);
      rememberBackend(null);
      await pageBackend;
      pageBackend = tf.setBackend('wasm').catch(() => false);
      engine = await loadEngine(sources, null, true, pageBackend);
    }
    if (!opts.forced) rememberBackend(engine.backend);
    if (engine.inWorker && !(await pageBackend)) await tf.setBackend('cpu');
    putExtractorInUse(engine.extractor);
    setEngine({ status: 'ready', backend: engine.backend, timings: engine.timings, threads: engine.threads, inWorker: engine.inWorker });
    // Examples restored with another image model's embeddings (a remembered choice that fell back to the default)
    // are embedded again with the one in use; examples without an embedding are queued already.
    const inUse = engine.extractor.base.id;
    reembedSamples((s) => s.embedding !== null && s.baseId !== inUse && !s.setAside);
  } catch (err) {
    setEngine({ status: 'failed' });
    pushError(err);
  }
}

/**
 * The files of the bases the person chose, or, when a choice other than the default cannot be downloaded (an
 * on-demand model opened offline before this browser kept a copy), the default's: the page starts with an image
 * model that works instead of none, and says so.
 */
async function startingSources(choice: BaseChoice): Promise<BaseSource[]> {
  try {
    return await baseSources(choice.bases);
  } catch (err) {
    const fallback = baseChoice(null);
    if (choice.id === fallback.id) throw err;
    const sources = await baseSources(fallback.bases);
    rememberBaseChoice(fallback.id);
    setEngine({ bases: fallback.id });
    console.warn('The chosen image model could not be loaded; starting with the default one.', err);
    pushError(new GlanceError('model-load-failed', t('base.fellBack', { name: t(`base.${choice.key}.label`, { mb: formatNumber(choice.downloadMb ?? 0, 1) }) })));
    return sources;
  }
}

function putExtractorInUse(extractor: Embedder): void {
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
  let loaded: LoadedEngine;
  try {
    // On the backend already chosen (no second timing), in the worker when the bases in use run there.
    loaded = await loadEngine(await baseSources(choice.bases), engine.backend, engine.inWorker);
  } catch (err) {
    // Whatever happened meanwhile, the engine leaves 'loading': the bases in use stay in use.
    setEngine({ status: 'ready', bases: runtime.extractor?.base.id ?? engine.bases });
    if (run.current) pushError(keptBackendFailed(err, engine.backend));
    return;
  }
  const { extractor } = loaded;
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
  setEngine({ status: 'ready', bases: choice.id, backend: loaded.backend, threads: loaded.threads, inWorker: loaded.inWorker });
  if (hadModel) setNotice(t('base.changed'));
  reembedSamples((s) => s.baseId !== extractor.base.id && !s.setAside);
}

/**
 * A base switch tries only the backend in use, as if forced: its failure is worded for the switch (the image model
 * was not changed), not as a `?backend=` the person never typed.
 */
function keptBackendFailed(err: unknown, backend: BackendName | null): unknown {
  if (!(err instanceof GlanceError) || err.say?.key !== 'errors.backendForced' || !backend) return err;
  return new GlanceError('backend-failed', t('base.notChangedBackend', { backend, detail: String(err.say.params?.detail ?? err.message) }), { cause: err });
}

function setEngine(patch: Partial<ReturnType<typeof getState>['ui']['engine']>): void {
  setState((s) => ({ ui: { ...s.ui, engine: { ...s.ui.engine, ...patch } } }));
}
