import { zipSync, type Zippable } from 'fflate';
import type { ProjectClass } from './projectTypes';

/** A folder name that every OS and Keras accept, unique among the classes. */
function folderName(name: string, taken: Set<string>): string {
  const printable = Array.from(name, (ch) => (ch.charCodeAt(0) < 32 ? '_' : ch)).join('');
  const base = printable.replace(/[\\/:*?"<>|]/g, '_').replace(/^\.+/, '_').trim() || 'class';
  let candidate = base;
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) candidate = `${base}_${i}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/**
 * The data set as a zip of class folders (`<class>/<n>.jpg`): the layout Keras
 * `image_dataset_from_directory` and TFDS `ImageFolder` read.
 */
export function writeDatasetZip(classes: ProjectClass[]): Uint8Array {
  const files: Zippable = {};
  const taken = new Set<string>();
  for (const c of classes) {
    const dir = folderName(c.name, taken);
    c.samples.forEach((bytes, i) => {
      files[`${dir}/${i + 1}.jpg`] = [bytes, { level: 0 }];
    });
  }
  return zipSync(files);
}
