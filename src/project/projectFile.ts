import { strToU8, strFromU8, zipSync, type Zippable } from 'fflate';
import type { ProjectClass, ProjectData, SavedEmbeddings, SavedHead } from './projectTypes';
import { isCompleteJpeg, ProjectFileError, safeUnzip } from './zipLimits';
import { checkClassNames, headProblem, manifestProblem, manifestSchema, readRecordingSettings, readTrainingSettings, type Manifest } from './schema';
import { t } from '../i18n';

export const PROJECT_FORMAT = 'glance-project';
/** v1: classes with counts, samples at `<class index>/<n>.jpg`, nothing else. v2: this writer. */
export const PROJECT_FORMAT_VERSION = 2;

interface ManifestV2 {
  format: typeof PROJECT_FORMAT;
  formatVersion: 2;
  appVersion: string;
  createdAt: string;
  name: string;
  classes: { name: string; samples: string[] }[];
  settings: Record<string, unknown>;
  embeddings: { baseId: string; size: number; path: string } | null;
  head: (Omit<SavedHead, 'modelJson' | 'weights'> & { modelPath: string; weightsPath: string }) | null;
}

const pad = (n: number) => String(n).padStart(4, '0');

/** Writes a project as one zip: manifest.json, per-class folders of JPEG samples, the head, embeddings. */
export function writeProjectFile(p: ProjectData, appVersion: string): Uint8Array {
  const files: Zippable = {};
  const classes = p.classes.map((c, ci) => ({
    name: c.name,
    samples: c.samples.map((bytes, si) => {
      const path = `samples/${ci}/${pad(si + 1)}.jpg`;
      files[path] = [bytes, { level: 0 }]; // JPEG is already compressed
      return path;
    }),
  }));
  let embeddings: ManifestV2['embeddings'] = null;
  if (p.embeddings) {
    files['embeddings.bin'] = [packEmbeddings(p.embeddings), { level: 1 }];
    embeddings = { baseId: p.embeddings.baseId, size: p.embeddings.size, path: 'embeddings.bin' };
  }
  let head: ManifestV2['head'] = null;
  if (p.head) {
    const { modelJson, weights, ...rest } = p.head;
    files['head/model.json'] = strToU8(JSON.stringify(modelJson));
    files['head/weights.bin'] = weights;
    head = { ...rest, modelPath: 'head/model.json', weightsPath: 'head/weights.bin' };
  }
  const manifest: ManifestV2 = {
    format: PROJECT_FORMAT,
    formatVersion: 2,
    appVersion,
    createdAt: new Date().toISOString(),
    name: p.name,
    classes,
    settings: p.settings,
    embeddings,
    head,
  };
  files['manifest.json'] = strToU8(JSON.stringify(manifest, null, 2));
  return zipSync(files);
}

function packEmbeddings(e: SavedEmbeddings): Uint8Array {
  const count = e.perClass.reduce((n, c) => n + c.length, 0);
  const out = new Float32Array(count * e.size);
  let o = 0;
  for (const c of e.perClass) for (const v of c) out.set(v, (o++) * e.size);
  return new Uint8Array(out.buffer);
}

/**
 * Reads and fully validates a project file. Throws ProjectFileError with a message naming the problem;
 * nothing is returned unless everything in the file is usable.
 */
export function readProjectFile(bytes: Uint8Array, fileName = 'This file'): ProjectData {
  const files = safeUnzip(bytes, fileName);
  const raw = files['manifest.json'];
  if (!raw) throw new ProjectFileError(t('projectFile.noManifest', { name: fileName }));
  let manifest: unknown;
  try {
    manifest = JSON.parse(strFromU8(raw));
  } catch {
    throw new ProjectFileError(t('projectFile.badManifest', { name: fileName }));
  }
  const m = migrate(manifest, fileName);
  return {
    name: m.name,
    classes: readClasses(m, files, fileName),
    // Settings are never cast: each is read within bounds, a missing or bad field at its default.
    settings: { recording: readRecordingSettings(m.settings.recording), training: readTrainingSettings(m.settings.training) },
    embeddings: readEmbeddings(m, files, fileName),
    head: readHead(m, files, fileName),
  };
}

function fail(fileName: string, what: string): never {
  throw new ProjectFileError(t('projectFile.damaged', { name: fileName, detail: what }));
}

/** Brings any supported manifest version to the current shape. */
export function migrate(manifest: unknown, fileName: string): Manifest {
  const m = manifest as Record<string, unknown> | null;
  if (!m || typeof m !== 'object' || m.format !== PROJECT_FORMAT) {
    throw new ProjectFileError(t('projectFile.otherKind', { name: fileName }));
  }
  if (typeof m.formatVersion !== 'number' || m.formatVersion > PROJECT_FORMAT_VERSION) {
    throw new ProjectFileError(t('projectFile.newer', { name: fileName }));
  }
  const v2 = m.formatVersion === 1 ? migrateV1(m, fileName) : m;
  if (v2.formatVersion !== 2) fail(fileName, 'unknown format version');
  const parsed = manifestSchema.safeParse(v2);
  if (!parsed.success) fail(fileName, manifestProblem(parsed.error));
  return parsed.data;
}

function migrateV1(m: Record<string, unknown>, fileName: string): ManifestV2 {
  // The shape of a version-2 manifest; `migrate` then checks it like any other.
  const classes = m.classes as { name?: unknown; count?: unknown }[];
  if (!Array.isArray(classes)) fail(fileName, 'no class list');
  return {
    format: PROJECT_FORMAT,
    formatVersion: 2,
    appVersion: String(m.appVersion ?? 'unknown'),
    createdAt: String(m.createdAt ?? ''),
    name: typeof m.name === 'string' ? m.name : 'Glance project',
    classes: classes.map((c, ci) => {
      if (typeof c?.name !== 'string' || typeof c.count !== 'number' || c.count < 0) fail(fileName, `class ${ci + 1}`);
      return { name: c.name, samples: Array.from({ length: c.count }, (_, i) => `${ci}/${i + 1}.jpg`) };
    }),
    settings: {},
    embeddings: null,
    head: null,
  };
}

function readClasses(m: Manifest, files: Record<string, Uint8Array>, fileName: string): ProjectClass[] {
  const checked = checkClassNames(m.classes.map((c) => c.name));
  if ('problem' in checked) fail(fileName, checked.problem);
  return m.classes.map((c, ci) => {
    const samples = c.samples.map((path) => {
      const b = files[path];
      if (!isCompleteJpeg(b)) fail(fileName, `sample ${path} is missing or not a complete JPEG`);
      return b;
    });
    return { name: checked.names[ci], samples, entries: [...c.samples] };
  });
}

function readEmbeddings(m: Manifest, files: Record<string, Uint8Array>, fileName: string): SavedEmbeddings | null {
  if (!m.embeddings) return null;
  const { baseId, size, path } = m.embeddings;
  const b = files[path];
  const count = m.classes.reduce((n, c) => n + c.samples.length, 0);
  if (!b || typeof size !== 'number' || b.length !== count * size * 4) fail(fileName, 'embeddings do not match the samples');
  const all = new Float32Array(b.slice().buffer);
  let o = 0;
  const perClass = m.classes.map((c) => c.samples.map(() => all.subarray(o * size, ++o * size)));
  return { baseId, size, perClass };
}

function readHead(m: Manifest, files: Record<string, Uint8Array>, fileName: string): SavedHead | null {
  if (!m.head) return null;
  const { modelPath, weightsPath, ...rest } = m.head;
  const json = files[modelPath];
  const weights = files[weightsPath];
  if (!json || !weights) fail(fileName, 'the trained model is incomplete');
  let modelJson: unknown;
  try {
    modelJson = JSON.parse(strFromU8(json));
  } catch {
    fail(fileName, 'the trained model is unreadable');
  }
  const problem = headProblem(modelJson, weights);
  if (problem) fail(fileName, problem);
  const okIndices = rest.classIndices.length >= 2 && rest.classIndices.every((i) => i < m.classes.length) && new Set(rest.classIndices).size === rest.classIndices.length;
  if (!okIndices) fail(fileName, 'the trained model names classes that are not there');
  return { ...rest, summary: rest.summary as Record<string, unknown>, history: rest.history, modelJson, weights };
}
