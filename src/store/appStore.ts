import { create } from 'zustand';
import { DEFAULT_TRAINING } from '../ml/head';
import { DEFAULT_RECORDING_SETTINGS, DEFAULT_TRAINING_SETTINGS as SCHEMA_TRAINING_DEFAULTS, readTrainingSettings } from '../project/schema';
import type { AppState, ClassInfo, TrainingSettings } from './types';
import { savedBaseChoice } from './baseChoice';
import { t } from '../i18n';

export const DEFAULT_TRAINING_SETTINGS: TrainingSettings = { ...SCHEMA_TRAINING_DEFAULTS };

/** Below this many examples in a class, training holds out no validation split (src/ml/head.ts explains why). */
export const MIN_PER_CLASS_FOR_VALIDATION = DEFAULT_TRAINING.minPerClassForValidation ?? 0;

/**
 * Training settings from anything saved or typed: each field within bounds, a missing or unusable one at its
 * default (src/project/schema.ts). Projects saved before a setting existed load with that setting at its default.
 */
export function toTrainingSettings(raw: unknown): TrainingSettings {
  return readTrainingSettings(raw);
}

export const DEFAULT_RECORDING = DEFAULT_RECORDING_SETTINGS;

let idCounter = 0;
/** Unique ids for classes and samples within this page. */
export function newId(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${Date.now().toString(36)}-${idCounter}`;
}

function freshClasses(): ClassInfo[] {
  return [
    { id: newId('class'), name: t('classes.defaultName', { n: 1 }), sampleIds: [] },
    { id: newId('class'), name: t('classes.defaultName', { n: 2 }), sampleIds: [] },
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
      facing: null,
      mirror: true,
      recording: false,
      countdown: null,
      settings: { ...DEFAULT_RECORDING },
    },
    training: { phase: 'idle', epoch: 0, epochs: 0, last: null, history: [], augmenting: null, settings: { ...DEFAULT_TRAINING_SETTINGS }, model: null },
    prediction: { mode: 'webcam', testImage: null, confidences: null, distance: null, noneOfThese: false, threshold: 50, smoothing: true, heatmap: { on: false, busy: false, grid: 7, values: null, ms: null } },
    ui: {
      errors: [],
      notice: null,
      engine: { status: 'loading', backend: null, timings: [], threads: null, inWorker: false, bases: savedBaseChoice().id },
      pendingEmbeddings: 0,
      uploads: {},
      exporting: false,
      restore: { done: 0, total: 0 },
      opening: null,
      storage: { full: false, usageBytes: null, secondaryTab: false, restoreFailed: null, blocked: false },
      setAside: [],
      dataChecks: { dataVersion: -1, items: [], waiting: 0, compared: 0, embedded: 0 },
      undo: null,
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
