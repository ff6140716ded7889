import { Classifier } from '../../ml/classifier';
import { NotEnoughDataError } from '../../ml/errors';
import { confusionMatrix, perClassAccuracy } from '../../ml/evaluate';
import { trainHead, type EpochReport, type TrainOptions, type TrainResult, type TrainingExample } from '../../ml/trainer';
import { TrainWorkerUnavailableError, trainHeadInWorker } from '../../ml/trainInWorker';
import { jpegToCrop } from '../../capture/frames';
import type { Embedder } from '../../ml/featureExtractor';
import { saveHead } from '../../ml/headIO';
import { fitNovelty } from '../../ml/novelty';
import { setNovelty } from '../novelty';
import { DEFAULT_TRAINING_SETTINGS, getState, setState, toTrainingSettings } from '../appStore';
import { prepareAugmented } from '../augmentation';
import { installClassifier, runtime } from '../runtime';
import { samples } from '../samples';
import { ensureCurrent, session, StaleRunError, type RunToken } from '../session';
import type { ClassInfo, TrainingSettings } from '../types';
import { pushError, setNotice } from './errors';
import { recordedFramesSettled } from './recording';
import { currentLanguage, t } from '../../i18n';

/** Checks the data before training; the message says exactly what to add. */
function checkData(classes: ClassInfo[]): void {
  const withData = classes.filter((c) => c.sampleIds.length > 0);
  if (withData.length >= 2) return;
  const empty = classes.filter((c) => c.sampleIds.length === 0).map((c) => `"${c.name}"`);
  const hint = classes.length < 2 ? t('training.addClass') : t('training.addTo', { names: new Intl.ListFormat(currentLanguage(), { type: 'conjunction' }).format(empty) });
  throw new NotEnoughDataError(t('training.notEnough', { hint }));
}

/** Every embedded sample of the classes that have any; with `augmented`, each one's copies for its base too. */
function collectExamples(classes: ClassInfo[], augmented: boolean): { examples: TrainingExample[]; trained: ClassInfo[] } {
  // A class counts when it has an embedded example: set-aside ones (undecodable images) never have one.
  const usable = (id: string) => {
    const s = samples.get(id);
    return s?.embedding && !s.setAside ? s : null;
  };
  const trained = classes.filter((c) => c.sampleIds.some((id) => usable(id)));
  const examples: TrainingExample[] = [];
  trained.forEach((c, label) => {
    for (const id of c.sampleIds) {
      const s = usable(id);
      if (!s?.embedding) continue;
      const copies = augmented && s.baseId ? s.augmented?.[s.baseId] : undefined;
      examples.push(copies ? { embedding: s.embedding, label, augmented: copies } : { embedding: s.embedding, label });
    }
  });
  return { examples, trained };
}

/** With "Augment examples" on: makes the missing augmented copies first, showing how far it has come. */
async function prepareCopies(extractor: Embedder, classes: ClassInfo[], signal: AbortSignal, run: RunToken): Promise<void> {
  let shownAt = 0;
  try {
    await prepareAugmented(extractor, classes.flatMap((c) => c.sampleIds), {
      signal,
      decode: jpegToCrop,
      onProgress: (augmenting) => {
        // Nothing to make (all copies are in memory already): say nothing rather than "0 / 0". On a fast GPU steps
        // take a few ms, so the panel hears of them at most ~10 times a second (and always of the first and last).
        if (augmenting.total === 0) return;
        const edge = augmenting.done === 0 || augmenting.done === augmenting.total;
        if (!edge && performance.now() - shownAt < 100) return;
        shownAt = performance.now();
        if (run.current) setTraining({ augmenting });
      },
    });
  } finally {
    if (run.current) setTraining({ augmenting: null });
  }
}

/** How many augmented copies the trainer used: those of examples outside the validation split. */
function trainedCopies(examples: TrainingExample[], validation: number[]): number {
  const held = new Set(validation);
  return examples.reduce((n, e, i) => n + (held.has(i) ? 0 : (e.augmented?.length ?? 0)), 0);
}

/** The settings as trainer config: "Augment examples" decides whether the copies are trained on. */
function trainerConfig({ augment, ...rest }: TrainingSettings): TrainOptions['config'] {
  return { ...rest, useAugmented: augment };
}

/**
 * Trains the head on the embeddings of every class that has examples. The old model keeps predicting
 * until the new one is ready; "Stop training" keeps the best epoch so far.
 */
export async function train(): Promise<void> {
  const state = getState();
  if (state.training.phase === 'training') return;
  try {
    checkData(state.classes);
    if (!runtime.extractor || state.ui.engine.status !== 'ready') {
      throw new NotEnoughDataError(
        state.ui.engine.status === 'loading' && runtime.extractor ? t('training.baseChanging') : t('training.baseLoading'),
      );
    }
  } catch (err) {
    pushError(err);
    return;
  }
  // Bound to this project and this image model: a new/opened project or a switch of bases makes the result stale.
  const run = session.forModel();
  const extractor = runtime.extractor;
  const abort = new AbortController();
  runtime.trainingAbort = abort;
  setNotice(null);
  setTraining({ phase: 'training', epoch: 0, epochs: 0, last: null, history: [], augmenting: null });
  let result: TrainResult | null = null;
  try {
    await recordedFramesSettled();
    await runtime.queue.idle();
    ensureCurrent(run, 'Training');
    const { settings } = getState().training;
    if (settings.augment) await prepareCopies(extractor, getState().classes, abort.signal, run);
    ensureCurrent(run, 'Training');
    const { classes, dataVersion } = getState();
    const { examples, trained } = collectExamples(classes, settings.augment);
    checkData(trained);
    const progress = epochProgress(run);
    result = await trainOffMainThread({
      examples,
      numClasses: trained.length,
      signal: abort.signal,
      config: trainerConfig(settings),
      onEpoch: progress.onEpoch,
    });
    ensureCurrent(run, 'Training');
    progress.flush();
    const artifacts = await saveHead(result.model);
    ensureCurrent(run, 'Training');
    // The extractor in use now: WebGL recovery may have replaced the one training started with (same bases).
    const done = result;
    result = null; // the classifier owns the head from here
    const classifier = new Classifier(runtime.extractor ?? extractor, done.model, done.transform, trained.map((c) => c.name));
    // "None of these": calibrated on the very embeddings the head was trained on (all of them, validation too).
    setNovelty(classifier, fitNovelty(examples.map((e) => e.embedding), examples.map((e) => e.label)));
    installClassifier(classifier, artifacts);
    const best = done.history[done.bestEpoch - 1];
    setTraining({
      phase: 'idle',
      model: {
        classIds: trained.map((c) => c.id),
        dataVersion,
        summary: {
          bestEpoch: done.bestEpoch,
          epochsRun: done.history.length,
          stopped: done.stopped,
          valAccuracy: best?.valAcc ?? null,
          trainAccuracy: best?.acc ?? 0,
          examples: examples.length,
          augmentedCopies: settings.augment ? trainedCopies(examples, done.validation.indices) : 0,
          validation: {
            confusion: confusionMatrix(done.validation.labels, done.validation.predicted, trained.length),
            perClass: perClassAccuracy(done.validation.labels, done.validation.predicted, trained.length),
            size: done.validation.labels.length,
          },
        },
      },
    });
  } catch (err) {
    // A stale run's result belongs to a project or image model that is gone: drop it, touch nothing of the new one.
    if (err instanceof StaleRunError || !run.current) return;
    setTraining({ phase: 'idle' });
    pushError(err);
  } finally {
    result?.model.dispose();
    if (runtime.trainingAbort === abort) runtime.trainingAbort = null;
  }
}

/** Stops training; keeps the best model so far when at least one epoch finished. */
export function stopTraining(): void {
  runtime.trainingAbort?.abort();
}

function setTraining(patch: Partial<ReturnType<typeof getState>['training']>): void {
  setState((s) => ({ training: { ...s.training, ...patch } }));
}

/** Changes advanced training settings, keeping them within sensible bounds. */
export function setTrainingSettings(patch: Partial<TrainingSettings>): void {
  setTraining({ settings: toTrainingSettings({ ...getState().training.settings, ...patch }) });
}

export function resetTrainingSettings(): void {
  setTraining({ settings: { ...DEFAULT_TRAINING_SETTINGS } });
}

/**
 * Trains in a Web Worker (on WASM) so the page never has a long task while training, even when the page itself
 * runs on WebGL (docs/bench-results.md: 13 long tasks up to 845 ms on the main thread on SwiftShader, none in the
 * worker). Falls back to the main thread, which yields between batches, where workers are unavailable.
 */
async function trainOffMainThread(opts: TrainOptions): Promise<TrainResult> {
  if (typeof Worker === 'undefined') return trainHead(opts);
  try {
    return await trainHeadInWorker(opts, { wasmPaths: runtime.wasmPaths, createWorker: runtime.createTrainWorker ?? undefined });
  } catch (err) {
    if (!(err instanceof TrainWorkerUnavailableError)) throw err;
    // The worker could not start (blocked script, no module workers): train here; the page yields between batches.
    setNotice(t('training.noWorker'));
    return trainHead(opts);
  }
}

/**
 * Epoch reports arrive as fast as the worker trains (hundreds a second for small data): the store, and so React,
 * hears of them at most ~10 times a second, and the last one always lands.
 */
function epochProgress(run: RunToken) {
  const pending: EpochReport[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return;
    const batch = pending.splice(0);
    if (!run.current) return; // the project changed: its new training state is not this run's to write
    const last = batch[batch.length - 1];
    setState((s) => ({ training: { ...s.training, epoch: last.epoch, epochs: last.epochs, last, history: [...s.training.history, ...batch] } }));
  };
  const onEpoch = (r: EpochReport) => {
    pending.push(r);
    timer ??= setTimeout(flush, 100);
  };
  return { onEpoch, flush };
}
