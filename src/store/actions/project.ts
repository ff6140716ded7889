import { Classifier } from '../../ml/classifier';
import { GlanceError } from '../../ml/errors';
import { loadHead, saveHead, type HeadArtifacts } from '../../ml/headIO';
import type { EpochReport } from '../../ml/trainer';
import type { Embedder } from '../../ml/featureExtractor';
import { canDecodeImage, jpegToCrop } from '../../capture/frames';
import { writeDatasetZip } from '../../project/datasetExport';
import { writeProjectFile } from '../../project/projectFile';
import { readProjectOffThread } from '../../project/readProject';
import type { ProjectData, SavedEmbeddings, SavedHead } from '../../project/projectTypes';
import { readRecordingSettings } from '../../project/schema';
import { MAX_PROJECT_BYTES, ProjectFileError } from '../../project/zipLimits';
import { getState, newId, setState, toTrainingSettings } from '../appStore';
import { projectRecord, replaceStored, startAutosave } from '../persistence/autosave';
import { readStoredExamples, type StoredHead, type StoredProject, type StoredSample } from '../persistence/db';
import { whenEngineReady } from '../persistence/restore';
import { installClassifier, runtime } from '../runtime';
import { samples, type Sample } from '../samples';
import { ensureCurrent, session, StaleRunError, type RunToken } from '../session';
import type { AppState, ClassInfo, TrainingSummary } from '../types';
import { closeWebcam } from './camera';
import { APP_VERSION, downloadBytes } from './exportModel';
import { pushError, setNotice } from './errors';
import { stopTraining } from './training';
import { dropUndo } from './undo';
import { formatNumber, t } from '../../i18n';

function setConfirm(confirm: 'open' | 'new' | null, fileName = ''): void {
  setState((s) => ({ ui: { ...s.ui, confirm: confirm ? { kind: confirm, fileName } : null } }));
}

/** Reads and validates a chosen project or .tm file; only then asks to replace the current project. */
export async function chooseProjectFile(file: File): Promise<void> {
  const run = session.forProject();
  try {
    if (file.size > MAX_PROJECT_BYTES) {
      throw new ProjectFileError(t('project.tooLarge', { name: file.name }), 'project-too-large');
    }
    if (file.size === 0) throw new ProjectFileError(t('project.empty', { name: file.name }));
    const bytes = new Uint8Array(await file.arrayBuffer());
    const data = await readProjectOffThread(bytes, file.name);
    if (!run.current) return; // another project was opened or started while this file was read
    runtime.pendingOpen = data;
    setConfirm('open', file.name);
  } catch (err) {
    runtime.pendingOpen = null;
    pushError(err);
  }
}

export function askNewProject(): void {
  setConfirm('new');
}

export function cancelConfirm(): void {
  runtime.pendingOpen = null;
  setConfirm(null);
}

/** The person confirmed: replace the current project (opened file, or a fresh one). */
export async function confirmReplace(): Promise<void> {
  const kind = getState().ui.confirm?.kind;
  // No dialog open, or a replace already on its way (one at a time: the overlay covers the page meanwhile).
  if (!kind || getState().ui.opening) return;
  const data = kind === 'open' ? runtime.pendingOpen : freshProject();
  const fileName = getState().ui.confirm?.fileName ?? '';
  runtime.pendingOpen = null;
  setConfirm(null);
  if (!data) return;
  try {
    const dropped = await replaceProject(data, kind === 'open' ? `"${fileName}"` : t('project.theNewProject'));
    const done = kind === 'open' ? t('project.opened', { name: fileName }) : t('project.started');
    setNotice(dropped ? t('project.openedWithNote', { done, note: dropped }) : done);
  } catch (err) {
    if (err instanceof StaleRunError) return;
    pushError(err);
  }
}

function freshProject(): ProjectData {
  return { name: 'Glance project', classes: [1, 2].map((n) => ({ name: t('classes.defaultName', { n }), samples: [] })), settings: {}, head: null, embeddings: null };
}

function setOpening(progress: { done: number; total: number } | null): void {
  setState((s) => ({ ui: { ...s.ui, opening: progress } }));
}

/**
 * Swaps the whole project for `data`, all or nothing, even across a reload:
 * 1. prepare: every image is decoded once (a bad one refuses the file, naming its entry), the model is loaded;
 *    nothing in the page or in storage has changed yet;
 * 2. write: the new project replaces the stored one in one IndexedDB transaction (a reload now finds one or the other,
 *    whole); if that fails, the old project stays, in the page and in storage;
 * 3. switch: in one synchronous step the page shows the new project, and every run of the old one is stale.
 * Returns a sentence about what was left behind (a model trained on other bases), or null.
 */
async function replaceProject(data: ProjectData, label: string): Promise<string | null> {
  const run = session.forProject();
  setOpening({ done: 0, total: data.classes.reduce((n, c) => n + c.samples.length, 0) });
  let prepared: PreparedProject | null = null;
  try {
    prepared = await prepareProject(data, label, run);
    if (runtime.storageOwner) {
      await replaceStored({ project: prepared.record, putSamples: prepared.records, head: prepared.headRecord }, run);
      ensureCurrent(run, 'Opening the project');
    }
  } catch (err) {
    prepared?.classifier?.dispose();
    throw err;
  } finally {
    setOpening(null);
  }
  // The image model was replaced while the file was prepared (a base switch, a lost GPU): the prepared model belongs to
  // the old one. The examples are kept (their embeddings are checked again below); the model is dropped and said so.
  if (runtime.extractor !== prepared.extractor) {
    prepared.classifier?.dispose();
    prepared.classifier = null;
    prepared.artifacts = null;
    prepared.state.training = { ...prepared.state.training, model: null, history: [] };
    prepared.dropped = t('project.baseChangedWhileOpening');
    const baseId = runtime.extractor?.base.id;
    for (const s of prepared.live) {
      if (s.baseId !== baseId) {
        s.embedding = null;
        s.baseId = null;
      }
    }
  }
  switchTo(prepared);
  if (runtime.storageOwner) {
    startAutosave();
    setState((s) => ({ ui: { ...s.ui, storage: { ...s.ui.storage, restoreFailed: null } } }));
  }
  return prepared.dropped;
}

interface PreparedProject {
  classes: ClassInfo[];
  live: Sample[];
  records: StoredSample[];
  state: Pick<AppState, 'classes' | 'nextClassNumber' | 'dataVersion' | 'camera' | 'training'>;
  record: StoredProject;
  /** The extractor the embeddings and the model were checked against. */
  extractor: Embedder;
  classifier: Classifier | null;
  artifacts: HeadArtifacts | null;
  headRecord: StoredHead | null;
  dropped: string | null;
}

async function prepareProject(data: ProjectData, label: string, run: RunToken): Promise<PreparedProject> {
  if (!(await whenEngineReady())) throw new GlanceError('model-load-failed', t('project.engineFailed'));
  ensureCurrent(run, 'Opening the project');
  const extractor = runtime.extractor!;
  const baseId = extractor.base.id;
  const emb = data.embeddings && data.embeddings.baseId === baseId && data.embeddings.size === extractor.base.embeddingSize ? data.embeddings : null;
  const classes: ClassInfo[] = [];
  const live: Sample[] = [];
  const records: StoredSample[] = [];
  const total = data.classes.reduce((n, c) => n + c.samples.length, 0);
  let done = 0;
  for (const [ci, c] of data.classes.entries()) {
    const info: ClassInfo = { id: newId('class'), name: c.name, sampleIds: [] };
    for (const [si, bytes] of c.samples.entries()) {
      const jpeg = new Blob([bytes as BlobPart], { type: 'image/jpeg' });
      if (!(await canDecodeImage(jpeg))) {
        const entry = c.entries?.[si] ?? `example ${si + 1} of "${c.name}"`;
        throw new ProjectFileError(t('project.imageDamaged', { label, entry }));
      }
      ensureCurrent(run, 'Opening the project');
      const id = newId('sample');
      const embedding = emb?.perClass[ci]?.[si] ?? null;
      live.push({ id, classId: info.id, jpeg, embedding, baseId: embedding ? baseId : null });
      records.push({ id, classId: info.id, jpeg, embeddings: embedding ? { [baseId]: embedding } : {} });
      info.sampleIds.push(id);
      if (++done % 25 === 0) setOpening({ done, total });
    }
    classes.push(info);
  }
  const { camera, training, dataVersion } = getState();
  const settings = { recording: readRecordingSettings(data.settings.recording), training: toTrainingSettings(data.settings.training) };
  const head = data.head && data.head.baseId === baseId ? await prepareHead(data.head, classes, label, run) : null;
  const state: PreparedProject['state'] = {
    classes,
    nextClassNumber: classes.length + 1,
    dataVersion: dataVersion + 1,
    camera: { ...camera, settings: settings.recording },
    training: {
      ...training,
      phase: 'idle',
      epoch: 0,
      epochs: 0,
      last: null,
      augmenting: null,
      settings: settings.training,
      history: head ? ((data.head?.history ?? []) as EpochReport[]) : [],
      model: head ? { classIds: head.classIds, dataVersion: dataVersion + 1, summary: data.head!.summary as unknown as TrainingSummary } : null,
    },
  };
  const record = projectRecord({ ...getState(), ...state });
  const headRecord = head ? { ...head.artifacts, transform: head.classifier.transform, labels: [...head.classifier.labels], baseId } : null;
  const dropped = data.head && !head ? t('project.otherBase') : null;
  return { classes, live, records, state, record, extractor, classifier: head?.classifier ?? null, artifacts: head?.artifacts ?? null, headRecord, dropped };
}

async function prepareHead(head: SavedHead, classes: ClassInfo[], label: string, run: RunToken) {
  const artifacts = { modelJson: head.modelJson as HeadArtifacts['modelJson'], weights: head.weights };
  let layers;
  try {
    layers = await loadHead(artifacts);
  } catch (err) {
    throw new ProjectFileError(t('project.headFailed', { label, detail: (err as Error)?.message ?? String(err) }), 'project-invalid');
  }
  if (!run.current) {
    layers.dispose();
    ensureCurrent(run, 'Opening the project');
  }
  const width = runtime.extractor!.base.embeddingSize;
  const inputWidth = (layers.inputs[0]?.shape ?? [])[1];
  const outputs = (layers.outputs[0]?.shape ?? [])[1];
  if (inputWidth !== width || outputs !== head.classIndices.length) {
    layers.dispose();
    throw new ProjectFileError(t('project.headMismatch', { label }));
  }
  const trained = head.classIndices.map((i) => classes[i]);
  const classifier = new Classifier(runtime.extractor!, layers, head.embeddingTransform, trained.map((c) => c.name));
  return { classifier, artifacts, classIds: trained.map((c) => c.id) };
}

/** The switch: one synchronous step, after which only the new project exists in the page. */
function switchTo(p: PreparedProject): void {
  session.endProject();
  dropUndo();
  stopTraining();
  closeWebcam();
  runtime.uploads.forEach((a) => a.abort());
  runtime.queue.clear();
  runtime.predictionGeneration++;
  const oldTest = getState().prediction.testImage;
  if (oldTest) URL.revokeObjectURL(oldTest.url);
  samples.replaceAll(p.live);
  installClassifier(p.classifier, p.artifacts);
  // A file read for the old project and still waiting for "Replace" is not offered over the new one.
  runtime.pendingOpen = null;
  setState((s) => ({
    ...p.state,
    // From the page as it is now, not as it was when preparing began: the camera was just closed, and the old
    // project may have changed meanwhile (its dataVersion must never be reused by the new one).
    camera: { ...s.camera, settings: p.state.camera.settings },
    dataVersion: s.dataVersion + 1,
    training: { ...p.state.training, model: p.state.training.model ? { ...p.state.training.model, dataVersion: s.dataVersion + 1 } : null },
    prediction: { ...s.prediction, mode: 'webcam', testImage: null, confidences: null, distance: null, noneOfThese: false, heatmap: { ...s.prediction.heatmap, busy: false, values: null, ms: null } },
    ui: { ...s.ui, setAside: [], uploads: {}, notice: null, confirm: null, undo: null },
  }));
  for (const s of p.live) if (!s.embedding) runtime.queue.enqueue(s.id, () => jpegToCrop(s.jpeg));
}

/** Gathers the project as plain data (for "Save project" and "Export dataset"). */
async function collectProject(withModel: boolean): Promise<ProjectData> {
  const { classes, camera, training } = getState();
  const baseId = runtime.extractor?.base.id ?? '';
  const perClass: Float32Array[][] = [];
  let allEmbedded = true;
  const out = await Promise.all(
    classes.map(async (c) => {
      const vecs: Float32Array[] = [];
      // Set-aside examples (undecodable images) stay in the page and in storage, but never go into a file.
      const usable = c.sampleIds.map((id) => samples.get(id)!).filter((s) => !s.setAside);
      const bytes = await Promise.all(
        usable.map(async (s) => {
          if (s.embedding && s.baseId === baseId) vecs.push(s.embedding);
          else allEmbedded = false;
          return new Uint8Array(await s.jpeg.arrayBuffer());
        }),
      );
      perClass.push(vecs);
      return { name: c.name, samples: bytes };
    }),
  );
  const size = runtime.extractor?.base.embeddingSize ?? 0;
  const embeddings: SavedEmbeddings | null = allEmbedded && size ? { baseId, size, perClass } : null;
  let head: SavedHead | null = null;
  const model = training.model;
  const indices = model?.classIds.map((id) => classes.findIndex((c) => c.id === id)) ?? [];
  // A model is saved only with the examples it stands for: not when examples were left out of the file.
  const complete = classes.every((c) => c.sampleIds.every((id) => !samples.get(id)?.setAside));
  if (withModel && complete && model && runtime.classifier && indices.every((i) => i >= 0)) {
    const files = await saveHead(runtime.classifier.head);
    head = {
      classIndices: indices,
      embeddingTransform: runtime.classifier.transform,
      baseId,
      modelJson: files.modelJson,
      weights: files.weights,
      summary: { ...model.summary },
      history: training.history,
    };
  }
  return { name: 'Glance project', classes: out, settings: { recording: camera.settings, training: training.settings }, embeddings, head };
}

/** Downloads the whole project as `<name>.glance.zip`. */
export async function saveProject(): Promise<void> {
  try {
    await runtime.queue.idle();
    const zip = writeProjectFile(await collectProject(true), APP_VERSION);
    downloadBytes(zip, 'glance-project.glance.zip', 'application/zip');
    setNotice(t('project.savedAs', { file: 'glance-project.glance.zip' }));
  } catch (err) {
    pushError(err);
  }
}

/**
 * When the saved project could not be restored: downloads every example still readable in browser storage, one folder
 * per class it was saved in (its name is lost with the damaged description), so nothing depends on choosing right.
 */
export async function downloadStoredExamples(): Promise<void> {
  try {
    const stored = await readStoredExamples();
    const classes = await Promise.all(
      stored.map(async (c, i) => ({ name: `class ${i + 1}`, samples: await Promise.all(c.jpegs.map(async (b) => new Uint8Array(await b.arrayBuffer()))) })),
    );
    const count = classes.reduce((n, c) => n + c.samples.length, 0);
    downloadBytes(writeDatasetZip(classes), 'glance-stored-examples.zip', 'application/zip');
    setNotice(t('project.storedSaved', { count, n: formatNumber(count), file: 'glance-stored-examples.zip' }));
  } catch (err) {
    pushError(err);
  }
}

/** Downloads the examples as class folders (Keras / TFDS ImageFolder layout). */
export async function exportDataset(): Promise<void> {
  try {
    const zip = writeDatasetZip((await collectProject(false)).classes);
    downloadBytes(zip, 'glance-dataset.zip', 'application/zip');
    setNotice(t('project.datasetExported', { file: 'glance-dataset.zip' }));
  } catch (err) {
    pushError(err);
  }
}
