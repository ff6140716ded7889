import { Classifier } from '../../ml/classifier';
import { loadHead, saveHead, type HeadArtifacts } from '../../ml/headIO';
import { writeDatasetZip } from '../../project/datasetExport';
import { readProjectFile, writeProjectFile } from '../../project/projectFile';
import type { ProjectData, SavedEmbeddings, SavedHead } from '../../project/projectTypes';
import { isTeachableMachineFileName, readTeachableMachineProject } from '../../project/teachableMachine';
import { MAX_PROJECT_BYTES, ProjectFileError } from '../../project/zipLimits';
import { DEFAULT_RECORDING, getState, newId, setState, toTrainingSettings } from '../appStore';
import { markAllDirty } from '../persistence/autosave';
import { reviveSample } from '../persistence/restore';
import { installClassifier, runtime } from '../runtime';
import { samples } from '../samples';
import type { ClassInfo, RecordingSettings } from '../types';
import { closeWebcam } from './camera';
import { APP_VERSION, downloadBytes } from './exportModel';
import { pushError, setNotice } from './errors';
import { stopTraining } from './training';

/** A validated project waiting for the person to confirm "Replace". */
let pendingOpen: ProjectData | null = null;

function setConfirm(confirm: 'open' | 'new' | null, fileName = ''): void {
  setState((s) => ({ ui: { ...s.ui, confirm: confirm ? { kind: confirm, fileName } : null } }));
}

/** Reads and validates a chosen project or .tm file; only then asks to replace the current project. */
export async function chooseProjectFile(file: File): Promise<void> {
  try {
    if (file.size > MAX_PROJECT_BYTES) {
      throw new ProjectFileError(`"${file.name}" is larger than 1 GB, so it was not opened.`, 'project-too-large');
    }
    if (file.size === 0) throw new ProjectFileError(`"${file.name}" is empty, so it was not opened.`);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const label = `"${file.name}"`;
    pendingOpen = isTeachableMachineFileName(file.name) ? readTeachableMachineProject(bytes, label) : readProjectFile(bytes, label);
    setConfirm('open', file.name);
  } catch (err) {
    pendingOpen = null;
    pushError(err);
  }
}

export function askNewProject(): void {
  setConfirm('new');
}

export function cancelConfirm(): void {
  pendingOpen = null;
  setConfirm(null);
}

/** The person confirmed: replace the current project (opened file, or a fresh one). */
export async function confirmReplace(): Promise<void> {
  const kind = getState().ui.confirm?.kind;
  const data = kind === 'open' ? pendingOpen : freshProject();
  const fileName = getState().ui.confirm?.fileName;
  pendingOpen = null;
  setConfirm(null);
  if (!data) return;
  try {
    await replaceProject(data);
    setNotice(kind === 'open' ? `Opened ${fileName}` : 'Started a new project');
  } catch (err) {
    pushError(err);
  }
}

function freshProject(): ProjectData {
  return { name: 'Glance project', classes: [{ name: 'Class 1', samples: [] }, { name: 'Class 2', samples: [] }], settings: {}, head: null, embeddings: null };
}

/** Swaps the whole project for `data` and saves it in the browser. */
async function replaceProject(data: ProjectData): Promise<void> {
  stopTraining();
  closeWebcam();
  runtime.queue.clear();
  samples.clear();
  installClassifier(null, null);
  const baseId = runtime.extractor?.base.id ?? null;
  const emb = data.embeddings && data.embeddings.baseId === baseId ? data.embeddings : null;
  const classes: ClassInfo[] = [];
  for (const [ci, c] of data.classes.entries()) {
    const info: ClassInfo = { id: newId('class'), name: c.name, sampleIds: [] };
    for (const [si, bytes] of c.samples.entries()) {
      const id = newId('sample');
      const embedding = emb?.perClass[ci]?.[si] ?? null;
      await reviveSample({ id, classId: info.id, jpeg: new Blob([bytes as BlobPart], { type: 'image/jpeg' }), embedding, baseId: embedding ? baseId : null });
      info.sampleIds.push(id);
    }
    classes.push(info);
  }
  const recording = (data.settings.recording as RecordingSettings | undefined) ?? { ...DEFAULT_RECORDING };
  setState((s) => ({
    classes,
    nextClassNumber: classes.length + 1,
    dataVersion: s.dataVersion + 1,
    camera: { ...s.camera, settings: recording },
    training: { ...s.training, model: null, history: [], last: null, settings: toTrainingSettings(data.settings.training) },
    prediction: { mode: 'webcam', testImage: null, confidences: null },
  }));
  if (data.head) await reviveHead(data.head, classes);
  markAllDirty({ clearFirst: true });
}

async function reviveHead(head: SavedHead, classes: ClassInfo[]): Promise<void> {
  if (!runtime.extractor || head.baseId !== runtime.extractor.base.id) return;
  const artifacts = { modelJson: head.modelJson as HeadArtifacts['modelJson'], weights: head.weights };
  const layers = await loadHead(artifacts);
  const trained = head.classIndices.map((i) => classes[i]);
  installClassifier(new Classifier(runtime.extractor, layers, head.embeddingTransform, trained.map((c) => c.name)), artifacts);
  setState((s) => ({
    training: {
      ...s.training,
      history: (head.history ?? []) as never,
      model: { classIds: trained.map((c) => c.id), dataVersion: s.dataVersion, summary: head.summary as never },
    },
  }));
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
      const bytes = await Promise.all(
        c.sampleIds.map(async (id) => {
          const s = samples.get(id)!;
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
  if (withModel && model && runtime.classifier && indices.every((i) => i >= 0)) {
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
    setNotice('Project saved as glance-project.glance.zip');
  } catch (err) {
    pushError(err);
  }
}

/** Downloads the examples as class folders (Keras / TFDS ImageFolder layout). */
export async function exportDataset(): Promise<void> {
  try {
    const zip = writeDatasetZip((await collectProject(false)).classes);
    downloadBytes(zip, 'glance-dataset.zip', 'application/zip');
    setNotice('Dataset exported as glance-dataset.zip');
  } catch (err) {
    pushError(err);
  }
}
