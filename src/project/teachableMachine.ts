import { strFromU8 } from 'fflate';
import type { ProjectData } from './projectTypes';
import { ProjectFileError, safeUnzip } from './zipLimits';
import { checkClassNames } from './schema';
import { t } from '../i18n';

const SAMPLE_NAME = /^(?:.*\/)?(.+)-!-(\d+)\.(jpe?g|png)$/i;

/**
 * Reads a Teachable Machine image project (`.tm`: a zip with manifest.json and samples named
 * `<class name>-!-<index>.jpg`). Classes come in the order of their first sample in the zip; samples in
 * index order. Embeddings are not in the file: the caller recomputes them with the current base.
 */
export function readTeachableMachineProject(bytes: Uint8Array, fileName = 'This file'): ProjectData {
  const files = safeUnzip(bytes, fileName);
  const manifest = files['manifest.json'];
  if (!manifest) throw new ProjectFileError(t('projectFile.tmNoManifest', { name: fileName }));
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(strFromU8(manifest));
  } catch {
    throw new ProjectFileError(t('projectFile.badManifest', { name: fileName }));
  }
  const byClass = new Map<string, { index: number; bytes: Uint8Array; path: string }[]>();
  for (const [path, data] of Object.entries(files)) {
    const match = SAMPLE_NAME.exec(path);
    if (!match) continue;
    const [, name, index] = match;
    if (!byClass.has(name)) byClass.set(name, []);
    byClass.get(name)!.push({ index: Number(index), bytes: data, path });
  }
  if (byClass.size === 0) throw new ProjectFileError(t('projectFile.tmNoSamples', { name: fileName, pattern: '<class>-!-<n>.jpg' }));
  const names = checkClassNames([...byClass.keys()]);
  if ('problem' in names) throw new ProjectFileError(t('projectFile.badNames', { name: fileName, problem: names.problem }));
  return {
    name: typeof parsed.name === 'string' ? parsed.name : fileName.replace(/\.tm$/i, ''),
    classes: [...byClass.values()].map((samples, ci) => {
      samples.sort((a, b) => a.index - b.index);
      return { name: names.names[ci], samples: samples.map((s) => s.bytes), entries: samples.map((s) => s.path) };
    }),
    settings: {},
    head: null,
    embeddings: null,
  };
}

/** True when the file looks like a TM project (by name or by its sample naming). */
export function isTeachableMachineFileName(name: string): boolean {
  return /\.tm$/i.test(name);
}
