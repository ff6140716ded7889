import { create } from 'zustand';
import { AUGMENT_BY_DEFAULT, DEFAULT_TRAINING } from '../ml/head';
import type { AppState, ClassInfo, TrainingSettings } from './types';
import { savedBaseChoice } from './baseChoice';

export const DEFAULT_TRAINING_SETTINGS: TrainingSettings = {
  epochs: DEFAULT_TRAINING.epochs,
  batchSize: DEFAULT_TRAINING.batchSize,
  learningRate: DEFAULT_TRAINING.learningRate,
  augment: AUGMENT_BY_DEFAULT,
};

/** Below this many examples in a class, training holds out no validation split (src/ml/head.ts explains why). */
export const MIN_PER_CLASS_FOR_VALIDATION = DEFAULT_TRAINING.minPerClassForValidation ?? 0;

const clamp = (x: unknown, lo: number, hi: number, fallback: number, round: boolean): number => {
  const n = typeof x === 'number' && Number.isFinite(x) ? (round ? Math.round(x) : x) : NaN;
  return Number.isNaN(n) || n === 0 ? fallback : Math.min(hi, Math.max(lo, n));
};

/**
 * Training settings from anything saved or typed: each field within bounds, a missing or unusable one at its
 * default. Projects saved before a setting existed (no `augment`) load with that setting at its default.
 */
export function toTrainingSettings(raw: unknown): TrainingSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof TrainingSettings, unknown>>;
  const d = DEFAULT_TRAINING_SETTINGS;
  return {
    epochs: clamp(r.epochs, 1, 500, d.epochs, true),
    batchSize: clamp(r.batchSize, 1, 512, d.batchSize, true),
    learningRate: clamp(r.learningRate, 1e-5, 1, d.learningRate, false),
    augment: typeof r.augment === 'boolean' ? r.augment : d.augment,
  };
}

export const DEFAULT_RECORDING = { fps: 10, delaySec: 0, durationSec: 0 } as const;

let idCounter = 0;
/** Unique ids for classes and samples within this page. */
export function newId(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${Date.now().toString(36)}-${idCounter}`;
}

function freshClasses(): ClassInfo[] {
  return [
    { id: newId('class'), name: 'Class 1', sampleIds: [] },
    { id: newId('class'), name: 'Class 2', sampleIds: [] },
  ];
}

/** The state of a fresh page. */
export function initialState(): AppState {
  return {
    classes: freshClasses(),
    nextClassNumber: 3,
    dataVersion: 0,
    camera: {
      open: false,
      starting: false,
      classId: null,
      devices: [],
      deviceId: null,
      mirror: true,
      recording: false,
      countdown: null,
      settings: { ...DEFAULT_RECORDING },
    },
    training: { phase: 'idle', epoch: 0, epochs: 0, last: null, history: [], augmenting: null, settings: { ...DEFAULT_TRAINING_SETTINGS }, model: null },
    prediction: { mode: 'webcam', testImage: null, confidences: null },
    ui: {
      errors: [],
      notice: null,
      engine: { status: 'loading', backend: null, timings: [], bases: savedBaseChoice().id },
      pendingEmbeddings: 0,
      uploads: {},
      exporting: false,
      restore: { done: 0, total: 0 },
      storage: { full: false, usageBytes: null, secondaryTab: false },
      confirm: null,
    },
  };
}

/**
 * The one store. State only: actions live at module level in ./actions so loops and async work can call
 * them without hooks (zustand "practice with no store actions").
 */
export const useAppStore = create<AppState>()(() => initialState());

export const getState = useAppStore.getState;
export const setState = useAppStore.setState;

/** True when the data changed after the model in use was trained. */
export function isModelStale(s: AppState): boolean {
  return s.training.model !== null && s.training.model.dataVersion !== s.dataVersion;
}
