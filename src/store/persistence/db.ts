import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { headProblem, readRecordingSettings, readTrainingSettings, storedHeadSchema, storedProjectSchema, storedSampleSchema } from '../../project/schema';
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

/** What the database connection tells the page: another tab blocks an upgrade, or asks this one to let go. */
export interface DbEvents {
  /** An older connection (another Glance tab) holds the database: opening waits until it closes. */
  onBlocked(): void;
  /** The open went through after all. */
  onUnblocked(): void;
  /** Another tab needs a newer version: this connection closed itself; reload to save again. */
  onVersionChange(): void;
}

/** The one connection of this page, and who hears of its events. */
const connection = {
  promise: null as Promise<IDBPDatabase<GlanceDB>> | null,
  events: null as DbEvents | null,
};

/** Says where database events go (the store's storage banner). */
export function setDbEvents(events: DbEvents): void {
  connection.events = events;
}

/** Closes this page's connection; the next call to db() opens a new one (tests start from an empty database). */
export async function closeDb(): Promise<void> {
  const open = connection.promise;
  connection.promise = null;
  if (open) (await open.catch(() => null))?.close();
}

/** Opens (and on first use creates) the project database. */
export function db(): Promise<IDBPDatabase<GlanceDB>> {
  connection.promise ??= openDB<GlanceDB>(DB_NAME, 1, {
    upgrade(d) {
      d.createObjectStore('project');
      d.createObjectStore('samples', { keyPath: 'id' });
      d.createObjectStore('head');
    },
    blocked() {
      connection.events?.onBlocked();
    },
    blocking() {
      // A newer Glance in another tab wants to upgrade: let it, rather than block it forever. This page keeps its work
      // in memory and says so; the next write opens a new connection.
      void connection.promise?.then((d) => d.close());
      connection.promise = null;
      connection.events?.onVersionChange();
    },
    terminated() {
      connection.promise = null;
    },
  }).then((d) => {
    connection.events?.onUnblocked();
    return d;
  });
  connection.promise.catch(() => {
    connection.promise = null;
  });
  return connection.promise;
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
  /** Sample records that are there but damaged (not the shape Glance writes): kept in storage, set aside. */
  damaged: Set<SampleId>;
  head: StoredHead | undefined;
  /** Why the stored model could not be used, when it could not. */
  headProblem: string | null;
}

/** The saved project's description is unreadable: nothing can be restored from it (the samples stay stored). */
export class StoredProjectError extends Error {
  constructor(what: string) {
    super(`the saved project's description is damaged (${what})`);
    this.name = 'StoredProjectError';
  }
}

/**
 * Reads the saved project, or null when there is none. Every record is checked by the schema module
 * (src/project/schema.ts): a damaged sample is listed in `damaged`, a damaged model in `headProblem`; only a damaged
 * project description throws.
 */
export async function readAll(onProgress?: (done: number, total: number) => void): Promise<StoredEverything | null> {
  const d = await db();
  const raw = await d.get('project', CURRENT);
  if (raw === undefined) return null;
  const parsed = storedProjectSchema.safeParse(raw);
  if (!parsed.success) throw new StoredProjectError(parsed.error.issues[0]?.path.join('.') || 'not an object');
  const project: StoredProject = {
    ...parsed.data,
    settings: { recording: readRecordingSettings(parsed.data.settings.recording), mirror: parsed.data.settings.mirror, training: readTrainingSettings(parsed.data.settings.training) },
    model: parsed.data.model as StoredProject['model'],
  };
  const total = await d.count('samples');
  const samples = new Map<SampleId, StoredSample>();
  const damaged = new Set<SampleId>();
  let seen = 0;
  let cursor = await d.transaction('samples').store.openCursor();
  while (cursor) {
    const sample = storedSampleSchema.safeParse(cursor.value);
    if (sample.success) samples.set(sample.data.id, sample.data);
    else damaged.add(String(cursor.key));
    if (++seen % 100 === 0) onProgress?.(seen, total);
    cursor = await cursor.continue();
  }
  const { head, problem } = checkHead(await d.get('head', CURRENT));
  return { project, samples, damaged, head, headProblem: problem };
}

function checkHead(raw: unknown): { head: StoredHead | undefined; problem: string | null } {
  if (raw === undefined) return { head: undefined, problem: null };
  const parsed = storedHeadSchema.safeParse(raw);
  if (!parsed.success) return { head: undefined, problem: 'the saved model is damaged' };
  const problem = headProblem(parsed.data.modelJson, parsed.data.weights);
  if (problem) return { head: undefined, problem };
  return { head: parsed.data as unknown as StoredHead, problem: null };
}

/**
 * Every example record that can still be read, grouped by the class it was saved in (in the order they are stored),
 * whatever state the project's description is in: what "Download the stored examples" saves when a project could not
 * be restored.
 */
export async function readStoredExamples(): Promise<{ classId: string; jpegs: Blob[] }[]> {
  const d = await db();
  const byClass = new Map<string, Blob[]>();
  let cursor = await d.transaction('samples').store.openCursor();
  while (cursor) {
    const sample = storedSampleSchema.safeParse(cursor.value);
    if (sample.success) {
      if (!byClass.has(sample.data.classId)) byClass.set(sample.data.classId, []);
      byClass.get(sample.data.classId)!.push(sample.data.jpeg);
    }
    cursor = await cursor.continue();
  }
  return [...byClass].map(([classId, jpegs]) => ({ classId, jpegs }));
}
