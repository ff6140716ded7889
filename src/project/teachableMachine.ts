import { strFromU8 } from 'fflate';
import type { ProjectData } from './projectTypes';
import { ProjectFileError, safeUnzip } from './zipLimits';
import { checkClassNames } from './schema';

const SAMPLE_NAME = /^(?:.*\/)?(.+)-!-(\d+)\.(jpe?g|png)$/i;

/**
 * Reads a Teachable Machine image project (`.tm`: a zip with manifest.json and samples named
 * `<class name>-!-<index>.jpg`). Classes come in the order of their first sample in the zip; samples in
 * index order. Embeddings are not in the file: the caller recomputes them with the current base.
 */
export function readTeachableMachineProject(bytes: Uint8Array, fileName = 'This file'): ProjectData {
  const files = safeUnzip(bytes, fileName);
  const manifest = files['manifest.json'];
  if (!manifest) throw new ProjectFileError(`${fileName} has no manifest.json, so it is not a Teachable Machine project.`);
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(strFromU8(manifest));
  } catch {
    throw new ProjectFileError(`${fileName} has a damaged manifest.json and could not be opened.`);
  }
  const byClass = new Map<string, { index: number; bytes: Uint8Array; path: string }[]>();
  for (const [path, data] of Object.entries(files)) {
    const match = SAMPLE_NAME.exec(path);
    if (!match) continue;
    const [, name, index] = match;
    if (!byClass.has(name)) byClass.set(name, []);
    byClass.get(name)!.push({ index: Number(index), bytes: data, path });
  }
  if (byClass.size === 0) throw new ProjectFileError(`${fileName} has no samples named "<class>-!-<n>.jpg", so it is not a Teachable Machine image project.`);
  const names = checkClassNames([...byClass.keys()]);
  if ('problem' in names) throw new ProjectFileError(`${fileName} could not be opened: ${names.problem}. Nothing was changed.`);
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
