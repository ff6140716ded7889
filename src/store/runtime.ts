import type { Embedder } from '../ml/featureExtractor';
import type { EngineWorkerLike } from '../ml/engineClient';
import type { ModelFiles } from '../ml/modelFiles';
import type { Classifier } from '../ml/classifier';
import type { HeadArtifacts } from '../ml/headIO';
import type { ProjectData } from '../project/projectTypes';
import type { CameraController } from '../capture/cameraController';
import type { WorkerLike } from '../ml/trainInWorker';
import { EmbeddingQueue } from './embeddingQueue';
import { setState } from './appStore';
import { setAside } from './setAside';
import type { RunToken } from './session';
import type { ClassId } from './types';

/** A recording in progress (see actions/recording.ts). */
export interface RecordingRun {
  classId: ClassId;
  /** When recording actually starts (after the delay). */
  startAt: number;
  /** When it stops by itself (fixed duration), else Infinity. */
  stopAt: number;
  nextFrameAt: number;
  intervalMs: number;
  countdownTimer: ReturnType<typeof setInterval> | undefined;
}

/**
 * The one owner of the long-lived, non-serialisable objects the actions share. Kept out of the store: tensors and
 * models are not state, and React must never re-render because one changed. Nothing else in src/store keeps
 * mutable module-level state that outlives a call; long actions check `session` (./session.ts) after each await.
 */
export const runtime = {
  /** The frozen bases in use: in the engine worker, or in this page when the worker cannot run. */
  extractor: null as Embedder | null,
  classifier: null as Classifier | null,
  /** The head in use as plain bytes: it survives a lost WebGL context, which takes GPU weights with it. */
  headArtifacts: null as HeadArtifacts | null,
  trainingAbort: null as AbortController | null,
  /** Where the base models' folders are served (`<BASE_URL>models/`). */
  modelRoot: '',
  /** Each base's files once downloaded, by base id: switching back and forth downloads nothing twice. */
  baseFiles: new Map<string, ModelFiles>(),
  /** The .wasm file URLs the page serves, for the training worker (it cannot see Vite's asset URLs). */
  wasmPaths: undefined as Record<string, string> | undefined,
  queue: new EmbeddingQueue(
    (pending) => setState((s) => ({ ui: { ...s.ui, pendingEmbeddings: pending } })),
    (sampleId, err) => setAside(sampleId, err),
  ),
  /** A validated project file waiting for the person to confirm "Replace". */
  pendingOpen: null as ProjectData | null,
  /** The camera stream and frame loop, created on first use (it needs the DOM). */
  camera: null as CameraController | null,
  recording: null as RecordingRun | null,
  /** Recorded frames still on their way to becoming samples (JPEG encoding takes a moment after the frame). */
  framesInFlight: new Set<Promise<unknown>>(),
  /** Uploads in progress, by class, so a second drop on the same class replaces the first. */
  uploads: new Map<ClassId, AbortController>(),
  /** This tab holds the project lock and may write browser storage (a second tab never does). */
  storageOwner: false,
  /** Makes the training worker; tests put a failing one here. Null: the real one. */
  createTrainWorker: null as (() => WorkerLike) | null,
  /** Makes the engine worker; tests put a failing one here. Null: the real one. */
  createEngineWorker: null as (() => EngineWorkerLike) | null,
  /** The model whose live prediction failed and was reported (said once, not once per frame). */
  livePredictionFailed: null as Classifier | null,
  /** The deletions "Undo" can still put back (actions/undo.ts), with the project they belong to. */
  undo: null as { token: RunToken; steps: (() => ClassId | null)[]; timer: ReturnType<typeof setTimeout> } | null,
  /** The WebGL canvas whose lost context is watched (actions/webglRecovery.ts), so it is watched once. */
  watchedWebGLCanvas: null as HTMLCanvasElement | OffscreenCanvas | null,
  /** Bumps whenever the prediction source changes, so a late result from the old source is dropped. */
  predictionGeneration: 0,
  /** The last few live predictions of one model, averaged when smoothing is on (actions/prediction.ts). */
  /** The image being tested in Preview (decoded again for its heatmap), else null. */
  testFile: null as File | null,
  /** "Data checks" scheduling (actions/dataChecks.ts): the settle timer, and whether a run is going or is wanted again. */
  dataChecks: { timer: null as ReturnType<typeof setTimeout> | null, running: false, again: false },
  smoothing: { model: null as Classifier | null, frames: [] as { probabilities: Float32Array; distance: number | null }[] },
};

/** Puts a new model in use (disposing the old one) and keeps its bytes for recovery and saving. */
export function installClassifier(classifier: Classifier | null, artifacts: HeadArtifacts | null): void {
  if (runtime.classifier !== classifier) runtime.classifier?.dispose();
  runtime.classifier = classifier;
  runtime.headArtifacts = artifacts;
}
