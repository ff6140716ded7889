import { AUGMENT_BY_DEFAULT, DEFAULT_TRAINING } from '../../src/ml/head';
import { DEFAULT_BASES } from '../../src/ml/multiBase';
import { MOBILENET_V1_025 as V1G, MOBILENET_V1_025_LAYERS as V1K, MOBILENET_V1_075_LAYERS as V1K75, TM_MOBILENET_V2_035 as V2 } from '../../src/ml/featureExtractor';
import type { Method } from './methods';

const head = (name: string, bases: string[], config: Method['config'], extra: Partial<Method> = {}): Method => ({
  name, bases, perBaseL2: true, kind: 'trainHead', config, ...extra,
});

/** Exploration set: every alternative tried while choosing the default (`npm run eval -- --explore`). */
export const EXPLORE: Method[] = [
  { name: 'TM recipe · v2', bases: [V2.id], perBaseL2: false, kind: 'tm' },
  { name: 'TM recipe · v1g', bases: [V1G.id], perBaseL2: false, kind: 'tm' },
  head('old default · v1g', [V1G.id], DEFAULT_TRAINING),
  head('old default · v2', [V2.id], DEFAULT_TRAINING),
  head('old default · v1k', [V1K.id], DEFAULT_TRAINING),
  head('old default · v1g+v2', [V1G.id, V2.id], DEFAULT_TRAINING),
  head('old default · v1g+v2 (no per-base l2)', [V1G.id, V2.id], DEFAULT_TRAINING, { perBaseL2: false }),
  head('old default · v1g+v1k+v2', [V1G.id, V1K.id, V2.id], DEFAULT_TRAINING),
  head('old default · v1k+v2', [V1K.id, V2.id], DEFAULT_TRAINING),
  head('+aug · v1g', [V1G.id], DEFAULT_TRAINING, { augment: true }),
  head('+aug · v1g+v2', [V1G.id, V2.id], DEFAULT_TRAINING, { augment: true }),
  head('+aug · v1g+v1k+v2', [V1G.id, V1K.id, V2.id], DEFAULT_TRAINING, { augment: true }),
  head('logreg lr 0.01 · v1g+v2', [V1G.id, V2.id], { ...DEFAULT_TRAINING, hiddenUnits: 0, learningRate: 0.01 }),
  head('wd 1e-3 · v1g+v2', [V1G.id, V2.id], { ...DEFAULT_TRAINING, weightDecay: 1e-3 }),
  head('ls 0.1 · v1g+v2', [V1G.id, V2.id], { ...DEFAULT_TRAINING, labelSmoothing: 0.1 }),
  { name: 'NCM · v1g+v2', bases: [V1G.id, V2.id], perBaseL2: true, kind: 'ncm' },
  { name: 'kNN5 · v1g+v2', bases: [V1G.id, V2.id], perBaseL2: true, kind: 'knn' },
  { name: 'NCM · v1g+v1k+v2', bases: [V1G.id, V1K.id, V2.id], perBaseL2: true, kind: 'ncm' },
];

/** Second round: the candidates on both datasets and across domains. */
export const EXPLORE2: Method[] = [
  { name: 'TM recipe · v2', bases: [V2.id], perBaseL2: false, kind: 'tm' },
  { name: 'TM recipe · v1g', bases: [V1G.id], perBaseL2: false, kind: 'tm' },
  head('old default · v1g', [V1G.id], DEFAULT_TRAINING),
  head('old default · v1g+v2', [V1G.id, V2.id], DEFAULT_TRAINING),
  head('old default · v1g+v1k+v2', [V1G.id, V1K.id, V2.id], DEFAULT_TRAINING),
  head('lr 1e-3 50ep · v1g+v1k+v2', [V1G.id, V1K.id, V2.id], { ...DEFAULT_TRAINING, learningRate: 0.001, epochs: 50 }),
  head('lr 1e-2 · v1g+v1k+v2', [V1G.id, V1K.id, V2.id], { ...DEFAULT_TRAINING, learningRate: 0.01 }),
  head('none · v1g+v1k+v2', [V1G.id, V1K.id, V2.id], { ...DEFAULT_TRAINING, embeddingTransform: 'none' }),
  head('+aug · v1g', [V1G.id], DEFAULT_TRAINING, { augment: true }),
  head('+aug · v1g+v1k+v2', [V1G.id, V1K.id, V2.id], DEFAULT_TRAINING, { augment: true }),
  { name: 'NCM · v1g+v1k+v2', bases: [V1G.id, V1K.id, V2.id], perBaseL2: true, kind: 'ncm' },
];

/** The row the app runs: its default bases, `trainHead` with no overrides, augmentation as the app does it. */
export const OURS = 'Glance default';
/** Teachable Machine as people use it: its recipe on its own base. */
export const REFERENCE = 'TM recipe · v2 (reference)';

/** What `npm run eval` measures and writes to docs/benchmarks.md. */
export const MAIN: Method[] = [
  {
    name: OURS, bases: DEFAULT_BASES.map((b) => b.id), perBaseL2: DEFAULT_BASES.length > 1, kind: 'trainHead', augment: AUGMENT_BY_DEFAULT,
  },
  { name: REFERENCE, bases: [V2.id], perBaseL2: false, kind: 'tm' },
  { name: 'TM recipe · v1g (like for like)', bases: [V1G.id], perBaseL2: false, kind: 'tm' },
  head('Glance, image model "v1 0.25 (fastest)" = previous default', [V1G.id], undefined, { perBaseL2: false }),
  head('Glance, image model "TM\'s v2 0.35"', [V2.id], undefined, { perBaseL2: false }),
  head('default bases, validation split at every k (previous training)', DEFAULT_BASES.map((b) => b.id), { minPerClassForValidation: 0 }),
  head('default bases, lr 0.01', DEFAULT_BASES.map((b) => b.id), { learningRate: 0.01 }),
  { name: 'nearest class mean · default bases', bases: DEFAULT_BASES.map((b) => b.id), perBaseL2: true, kind: 'ncm' },
];

/** Third round (after the default moved to three bases): can training settings steady the few-shot webcam draws? */
export const EXPLORE3: Method[] = [
  { name: REFERENCE, bases: [V2.id], perBaseL2: false, kind: 'tm' },
  { name: OURS, bases: DEFAULT_BASES.map((b) => b.id), perBaseL2: true, kind: 'trainHead' },
  head('no validation split (lowest training loss) · default bases', DEFAULT_BASES.map((b) => b.id), { validationFraction: 0 }),
  head('50 epochs · default bases', DEFAULT_BASES.map((b) => b.id), { epochs: 50 }),
  head('hidden 256 · default bases', DEFAULT_BASES.map((b) => b.id), { hiddenUnits: 256 }),
  head('lr 1e-3 · default bases', DEFAULT_BASES.map((b) => b.id), { learningRate: 0.001 }),
];

/**
 * Issue 11's candidate (`npm run eval -- --candidate`): the Keras MobileNet v1 α0.75 as a fourth default base, in
 * place of the α0.25 one, or alone, next to today's default. Every row trains exactly as the app does (`trainHead`,
 * no overrides; several bases l2-normalised each, as `loadExtractors` does).
 */
export const CANDIDATE: Method[] = [
  { name: REFERENCE, bases: [V2.id], perBaseL2: false, kind: 'tm' },
  { name: OURS, bases: DEFAULT_BASES.map((b) => b.id), perBaseL2: DEFAULT_BASES.length > 1, kind: 'trainHead', augment: AUGMENT_BY_DEFAULT },
  head('default + v1k75 (4 bases)', [...DEFAULT_BASES.map((b) => b.id), V1K75.id], undefined, { augment: AUGMENT_BY_DEFAULT }),
  head('v1g + v1k75 + v2 (v1k75 in place of v1k)', [V1G.id, V1K75.id, V2.id], undefined, { augment: AUGMENT_BY_DEFAULT }),
  head('v1k75 alone', [V1K75.id], undefined, { perBaseL2: false, augment: AUGMENT_BY_DEFAULT }),
];
