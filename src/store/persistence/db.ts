import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { HeadArtifacts } from '../../ml/headIO';
import type { EpochReport } from '../../ml/trainer';
import type { ClassInfo, RecordingSettings, SampleId, TrainingSettings, TrainingSummary } from '../types';

/** The project as autosave writes it: ids, names, order, settings and what the model was trained on. */
export interface StoredProject {
  classes: ClassInfo[];
  nextClassNumber: number;
  /** `training` may lack settings added later (read it through `toTrainingSettings`). */
  settings: { recording: RecordingSettings; mirror: boolean; training?: Partial<TrainingSettings> };
  model: { classIds: string[]; summary: TrainingSummary; history: EpochReport[]; stale: boolean } | null;
  savedAt: number;
}

export interface StoredSample {
  id: SampleId;
  classId: string;
  jpeg: Blob;
  /** Embeddings by base id, so a change of base never mixes vectors. */
  embeddings: Record<string, Float32Array>;
}

export interface StoredHead extends HeadArtifacts {
  transform: 'none' | 'l2';
  labels: string[];
  baseId: string;
}

interface GlanceDB extends DBSchema {
  project: { key: string; value: StoredProject };
  samples: { key: string; value: StoredSample };
  head: { key: string; value: StoredHead };
}

export const DB_NAME = 'glance';
const CURRENT = 'current';
let dbPromise: Promise<IDBPDatabase<GlanceDB>> | null = null;

/** Opens (and on first use creates) the project database. */
export function db(): Promise<IDBPDatabase<GlanceDB>> {
  dbPromise ??= openDB<GlanceDB>(DB_NAME, 1, {
    upgrade(d) {
      d.createObjectStore('project');
      d.createObjectStore('samples', { keyPath: 'id' });
      d.createObjectStore('head');
    },
  });
  return dbPromise;
}

export interface WriteBatch {
  project: StoredProject | null;
  putSamples: StoredSample[];
  removeSamples: SampleId[];
  /** A new head to store; null to delete it; undefined to leave it. */
  head?: StoredHead | null;
  /** Start from nothing (new or opened project). */
  clear?: boolean;
}

/** Writes one batch atomically: either all of it lands or none of it does. */
export async function writeBatch(batch: WriteBatch): Promise<void> {
  const d = await db();
  const tx = d.transaction(['project', 'samples', 'head'], 'readwrite');
  const samples = tx.objectStore('samples');
  const ops: Promise<unknown>[] = [];
  if (batch.clear) ops.push(samples.clear(), tx.objectStore('head').clear(), tx.objectStore('project').clear());
  for (const s of batch.putSamples) ops.push(samples.put(s));
  for (const id of batch.removeSamples) ops.push(samples.delete(id));
  if (batch.head === null) ops.push(tx.objectStore('head').delete(CURRENT));
  else if (batch.head) ops.push(tx.objectStore('head').put(batch.head, CURRENT));
  if (batch.project) ops.push(tx.objectStore('project').put(batch.project, CURRENT));
  await Promise.all([...ops, tx.done]);
}

export interface StoredEverything {
  project: StoredProject;
  samples: Map<SampleId, StoredSample>;
  head: StoredHead | undefined;
}

/** Reads the saved project, or null when there is none. */
export async function readAll(onProgress?: (done: number, total: number) => void): Promise<StoredEverything | null> {
  const d = await db();
  const project = await d.get('project', CURRENT);
  if (!project) return null;
  const total = await d.count('samples');
  const samples = new Map<SampleId, StoredSample>();
  let cursor = await d.transaction('samples').store.openCursor();
  while (cursor) {
    samples.set(cursor.value.id, cursor.value);
    if (samples.size % 100 === 0) onProgress?.(samples.size, total);
    cursor = await cursor.continue();
  }
  return { project, samples, head: await d.get('head', CURRENT) };
}
