import { z } from 'zod';
import { AUGMENT_BY_DEFAULT, DEFAULT_TRAINING } from '../ml/head';
import { t } from '../i18n';

/**
 * The one schema module: everything Glance reads from a file (project, Teachable Machine `.tm`) or from browser
 * storage goes through these before the app uses it. zod (well kept, typed, small enough here) replaces casts: a value
 * out of range falls back to its default, a part that cannot be used is refused with a message that names it.
 */

/** Longest class name, everywhere: the name field, renames, project files and `.tm` imports. */
export const MAX_CLASS_NAME = 60;

/** A class name as the app keeps it (trimmed, inner runs of spaces collapsed), or the reason it is refused. */
export function checkClassName(raw: unknown): { name: string } | { problem: string } {
  if (typeof raw !== 'string') return { problem: t('schema.noName') };
  const name = raw.trim().replace(/\s+/g, ' ');
  if (!name) return { problem: t('schema.emptyName') };
  if (name.length > MAX_CLASS_NAME) return { problem: t('schema.tooLong', { name: name.slice(0, 20), n: MAX_CLASS_NAME }) };
  return { name };
}

/**
 * Class names of a file or record, in order: each checked, no two the same ignoring case. Returns the cleaned names,
 * or the first problem.
 */
export function checkClassNames(raw: readonly unknown[]): { names: string[] } | { problem: string } {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of raw) {
    const c = checkClassName(r);
    if ('problem' in c) return c;
    if (seen.has(c.name.toLowerCase())) return { problem: t('schema.duplicate', { name: c.name }) };
    seen.add(c.name.toLowerCase());
    names.push(c.name);
  }
  return { names };
}

/**
 * A number setting: a finite number is rounded (for counts) and clamped into [lo, hi]; anything else, or 0 where 0 is
 * not allowed, takes the default. Never NaN.
 */
const bounded = (lo: number, hi: number, fallback: number, int: boolean) =>
  z.unknown().optional().transform((v): number => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return fallback;
    const n = int ? Math.round(v) : v;
    if (n === 0 && lo > 0) return fallback;
    return Math.min(hi, Math.max(lo, n));
  });

export const DEFAULT_RECORDING_SETTINGS = { fps: 10, delaySec: 0, durationSec: 0 } as const;

/** Recording settings; any field missing or out of range takes its default (a file with only `fps` is fine). */
export const recordingSettingsSchema = z
  .object({
    fps: bounded(1, 30, DEFAULT_RECORDING_SETTINGS.fps, true),
    delaySec: bounded(0, 10, DEFAULT_RECORDING_SETTINGS.delaySec, false),
    durationSec: bounded(0, 60, DEFAULT_RECORDING_SETTINGS.durationSec, false),
  })
  .catch({ ...DEFAULT_RECORDING_SETTINGS });

export const DEFAULT_TRAINING_SETTINGS = {
  epochs: DEFAULT_TRAINING.epochs,
  batchSize: DEFAULT_TRAINING.batchSize,
  learningRate: DEFAULT_TRAINING.learningRate,
  augment: AUGMENT_BY_DEFAULT,
};

/** Training settings a person can change; older files without `augment` load with it at its default. */
export const trainingSettingsSchema = z
  .object({
    epochs: bounded(1, 500, DEFAULT_TRAINING_SETTINGS.epochs, true),
    batchSize: bounded(1, 512, DEFAULT_TRAINING_SETTINGS.batchSize, true),
    learningRate: bounded(1e-5, 1, DEFAULT_TRAINING_SETTINGS.learningRate, false),
    augment: z.boolean().catch(DEFAULT_TRAINING_SETTINGS.augment),
  })
  .catch({ ...DEFAULT_TRAINING_SETTINGS });

export type RecordingSettingsData = z.infer<typeof recordingSettingsSchema>;
export type TrainingSettingsData = z.infer<typeof trainingSettingsSchema>;

/** Reads recording settings from anything (a file, storage, a form): never NaN, never out of range. */
export function readRecordingSettings(raw: unknown): RecordingSettingsData {
  return recordingSettingsSchema.parse(raw ?? {});
}

/** Reads training settings from anything: each field within bounds, a missing or unusable one at its default. */
export function readTrainingSettings(raw: unknown): TrainingSettingsData {
  return trainingSettingsSchema.parse(raw ?? {});
}

/** A tfjs layers model.json as the head is saved: a topology object and one weights group listing its tensors. */
const weightSpec = z.looseObject({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.enum(['float32', 'int32']),
});
export const headModelJsonSchema = z.looseObject({
  modelTopology: z.looseObject({}),
  weightsManifest: z.array(z.looseObject({ paths: z.array(z.string()), weights: z.array(weightSpec) })).min(1),
});

/** Bytes a head's weights must have, from its manifest (float32/int32: 4 bytes a number). */
export function headWeightBytes(modelJson: z.infer<typeof headModelJsonSchema>): number {
  return modelJson.weightsManifest.flatMap((g) => g.weights).reduce((n, w) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
}

/**
 * Checks a saved head (from a file or storage): a well-formed model.json whose weights are exactly as long as it
 * says. Returns the reason it is refused, or null.
 */
export function headProblem(modelJson: unknown, weights: unknown): string | null {
  const parsed = headModelJsonSchema.safeParse(modelJson);
  if (!parsed.success) return 'the trained model description is not a valid model.json';
  if (!(weights instanceof Uint8Array)) return 'the trained model has no weights';
  if (weights.byteLength !== headWeightBytes(parsed.data)) return 'the trained model\'s weights do not match its description';
  return null;
}

export const embeddingTransformSchema = z.enum(['none', 'l2']);

/** A history entry or summary is shown, never computed with: anything object-shaped is kept, the rest dropped. */
const looseRecord = z.looseObject({});

/** The trained-model part of a project file's manifest (the files it names are checked by `headProblem`). */
export const manifestHeadSchema = z.looseObject({
  classIndices: z.array(z.number().int().nonnegative()),
  embeddingTransform: embeddingTransformSchema,
  baseId: z.string().min(1),
  modelPath: z.string().min(1),
  weightsPath: z.string().min(1),
  summary: looseRecord.catch({}),
  history: z.array(looseRecord).catch([]),
});

/** The embeddings part of a project file's manifest. */
export const manifestEmbeddingsSchema = z.object({
  baseId: z.string().min(1),
  size: z.number().int().positive().max(65536),
  path: z.string().min(1),
});

/** A version-2 project manifest (older versions are migrated to this shape first). */
export const manifestSchema = z.looseObject({
  format: z.literal('glance-project'),
  formatVersion: z.literal(2),
  appVersion: z.string().catch('unknown'),
  createdAt: z.string().catch(''),
  name: z.string().catch('Glance project'),
  classes: z.array(z.object({ name: z.unknown(), samples: z.array(z.string()) })),
  settings: z.looseObject({}).catch({}),
  embeddings: manifestEmbeddingsSchema.nullable().catch(null),
  head: manifestHeadSchema.nullable(),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** Says which part of a manifest zod refused, in the person's words. */
export function manifestProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'manifest.json';
  return `manifest.json: ${where} is not valid`;
}

// ---- Browser storage (IndexedDB) records ----

const epochReport = looseRecord;

/** The project's meta record as autosave writes it; class names and ids checked, settings read with defaults. */
export const storedProjectSchema = z.object({
  classes: z.array(z.object({ id: z.string().min(1), name: z.string(), sampleIds: z.array(z.string()) })),
  nextClassNumber: z.number().int().positive().catch(1),
  settings: z
    .object({
      recording: z.unknown(),
      mirror: z.boolean().catch(true),
      training: z.unknown().optional(),
    })
    .catch({ recording: {}, mirror: true }),
  model: z
    .object({
      classIds: z.array(z.string()),
      summary: looseRecord,
      history: z.array(epochReport).catch([]),
      stale: z.boolean().catch(true),
    })
    .nullable()
    .catch(null),
  savedAt: z.number().catch(0),
});

/** One stored example: its JPEG and its embeddings by base id. */
export const storedSampleSchema = z.object({
  id: z.string().min(1),
  classId: z.string(),
  jpeg: z.instanceof(Blob),
  embeddings: z.record(z.string(), z.instanceof(Float32Array)).catch({}),
});

/** The stored head: model.json + weights (checked by `headProblem`), its transform, labels and base. */
export const storedHeadSchema = z.looseObject({
  modelJson: z.unknown(),
  weights: z.instanceof(Uint8Array),
  transform: embeddingTransformSchema,
  labels: z.array(z.string()),
  baseId: z.string().min(1),
});
