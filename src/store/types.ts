import type { EpochReport } from '../ml/trainer';
import type { BackendName, BackendTiming } from '../ml/backend';
import type { DataCheck } from '../ml/dataChecks';
import type { CameraDevice, Facing } from '../capture/webcam';

export type ClassId = string;
export type SampleId = string;

/** A class as the UI sees it: ids and counts only; pixels and embeddings live in the sample registry. */
export interface ClassInfo {
  id: ClassId;
  name: string;
  sampleIds: SampleId[];
}

export interface ClassesSlice {
  classes: ClassInfo[];
  /** Numbers new classes "Class N" so names stay unique. */
  nextClassNumber: number;
  /** Bumps whenever examples or classes are added or removed (not on rename): the model compares it. */
  dataVersion: number;
}

export interface RecordingSettings {
  fps: number;
  delaySec: number;
  /** 0 = record while the button is held; otherwise a click records for this many seconds. */
  durationSec: number;
}

export interface CameraSlice {
  camera: {
    open: boolean;
    starting: boolean;
    /** The class card that shows the camera; null when only the preview uses it. */
    classId: ClassId | null;
    devices: CameraDevice[];
    deviceId: string | null;
    /** The way the camera in use faces after "Switch camera"; null until switched (the browser's default camera). */
    facing: Facing | null;
    mirror: boolean;
    recording: boolean;
    /** Seconds left before recording starts (delay setting), else null. */
    countdown: number | null;
    settings: RecordingSettings;
  };
}

/** How the model did on its held-out validation split (rows of the matrix = true class). */
export interface ValidationReport {
  confusion: number[][];
  perClass: (number | null)[];
  size: number;
}

/** The training settings a person can change under "Advanced" (the rest stay at the defaults). */
export interface TrainingSettings {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Train on augmented copies of each example too (flips, zoom crops, colour changes). */
  augment: boolean;
}

export interface TrainingSummary {
  bestEpoch: number;
  epochsRun: number;
  stopped: boolean;
  valAccuracy: number | null;
  trainAccuracy: number;
  examples: number;
  /** Augmented copies trained on beside the training split's examples (absent in models saved before the setting). */
  augmentedCopies?: number;
  validation?: ValidationReport;
}

export interface TrainingSlice {
  training: {
    phase: 'idle' | 'training';
    epoch: number;
    epochs: number;
    last: EpochReport | null;
    history: EpochReport[];
    /** Augmented copies made so far (of samples that had none for this base) before the epochs start, else null. */
    augmenting: Progress | null;
    settings: TrainingSettings;
    /** The model in use (kept until the next training finishes). */
    model: { classIds: ClassId[]; dataVersion: number; summary: TrainingSummary } | null;
  };
}

export interface PredictionSlice {
  prediction: {
    mode: 'webcam' | 'image';
    testImage: { name: string; url: string } | null;
    /** Latest confidences, in the model's class order. Read transiently (subscribe), never rendered per frame. */
    confidences: number[] | null;
    /** How far the latest image is from every class ("None of these" rule, src/ml/novelty.ts), else null. */
    distance: number | null;
    /** The latest image is unlike every class (distance above the cut-off the slider sets). */
    noneOfThese: boolean;
    /** The "Confidence threshold" slider, 0–100; 50 is the cut-off calibrated on the training data. */
    threshold: number;
    /** Average live webcam predictions over the last few frames (never a single test image). */
    smoothing: boolean;
    /** "Show where the model looks" on the test image: occlusion sensitivity on a coarse grid (src/ml/occlusion.ts). */
    heatmap: { on: boolean; busy: boolean; grid: number; values: number[] | null; ms: number | null };
  };
}

/** How far a job over `total` items has come. */
export interface Progress {
  done: number;
  total: number;
}

export type UploadProgress = Progress;

export interface UiSlice {
  ui: {
    errors: { id: number; message: string }[];
    notice: string | null;
    engine: {
      status: 'loading' | 'ready' | 'failed';
      backend: BackendName | null;
      timings: BackendTiming[];
      /** Threads the WASM backend computes the embeddings with (1: single-threaded); null on another backend. */
      threads: number | null;
      /** True when the bases run in the engine worker (src/ml/engineClient.ts), false when in this page. */
      inWorker: boolean;
      /** Id of the base choice in use or being loaded (`BASE_CHOICES` in src/ml/multiBase.ts). */
      bases: string;
    };
    pendingEmbeddings: number;
    uploads: Record<ClassId, UploadProgress>;
    exporting: boolean;
    /** Restoring the saved project at start-up (samples done of total), else null. */
    restore: UploadProgress | null;
    /** Opening a project file or starting a new one (examples checked of total), else null. */
    opening: UploadProgress | null;
    storage: {
      full: boolean;
      usageBytes: number | null;
      secondaryTab: boolean;
      /**
       * Why the project saved in this browser could not be restored, else null. While set, autosave writes nothing:
       * the saved project stays as it is until the person chooses (open a file, start fresh on purpose).
       */
      restoreFailed: string | null;
      /** IndexedDB is held by an older Glance tab (an upgrade is blocked): saving waits until that tab closes. */
      blocked: boolean;
    };
    /** Examples that could not be used (undecodable images): kept, listed, skipped by training. */
    setAside: SetAsideExample[];
    /** What "Data checks" found, for the data at `dataVersion` (computed off the render path: actions/dataChecks.ts). */
    dataChecks: {
      dataVersion: number;
      items: DataCheck[];
      /** Examples still waiting for their embedding: only the count checks ran (the rest run once it is 0). */
      waiting: number;
      /** Examples the neighbour checks compared, of those embedded (fewer past MAX_NEIGHBOUR_ROWS). */
      compared: number;
      embedded: number;
    };
    /** "Deleted …" with an Undo button, while a deletion can still be put back. */
    undo: { id: number; message: string } | null;
    /** A replace-the-project confirmation that is open. */
    confirm: { kind: 'open' | 'new'; fileName: string } | null;
  };
}

/** One example set aside (see `setAside` in src/store/setAside.ts). */
export interface SetAsideExample {
  id: SampleId;
  classId: ClassId;
  className: string;
  /** 1-based position in its class when it was set aside. */
  position: number;
  reason: string;
}

export type AppState = ClassesSlice & CameraSlice & TrainingSlice & PredictionSlice & UiSlice;

/** The epoch report the training panel draws (from src/ml/trainer.ts), for features that must not import ml. */
export type { EpochReport, DataCheck };
