import { readProjectFile } from './projectFile';
import type { ProjectData } from './projectTypes';
import { isTeachableMachineFileName, readTeachableMachineProject } from './teachableMachine';
import { ProjectFileError } from './zipLimits';
import { currentLanguage, t } from '../i18n';

/** Reads a Glance project or a Teachable Machine `.tm` file (by its name), fully validated. Throws ProjectFileError. */
export function readAnyProject(bytes: Uint8Array, fileName: string): ProjectData {
  const label = `"${fileName}"`;
  return isTeachableMachineFileName(fileName) ? readTeachableMachineProject(bytes, label) : readProjectFile(bytes, label);
}

type Reply = { ok: true; data: ProjectData } | { ok: false; message: string; code: 'project-invalid' | 'project-too-large' | null };

/** The worker side (readWorker.ts): one request, one reply. */
export function answerRead(bytes: Uint8Array, fileName: string): Reply {
  try {
    return { ok: true, data: readAnyProject(bytes, fileName) };
  } catch (err) {
    const code = err instanceof ProjectFileError ? (err.code as 'project-invalid' | 'project-too-large') : null;
    return { ok: false, message: err instanceof Error ? err.message : String(err), code };
  }
}

/**
 * Unzips and validates a project file in a Web Worker, so a big file (or a hostile one) never freezes the page; the
 * main thread gets the checked data or the error. Falls back to reading here when workers are unavailable.
 */
export async function readProjectOffThread(bytes: Uint8Array, fileName: string): Promise<ProjectData> {
  if (typeof Worker === 'undefined') return readAnyProject(bytes, fileName);
  let worker: Worker;
  try {
    worker = new Worker(new URL('./readWorker.ts', import.meta.url), { type: 'module' });
  } catch {
    return readAnyProject(bytes, fileName);
  }
  try {
    const reply = await new Promise<Reply | null>((resolve) => {
      worker.onmessage = (e: MessageEvent<Reply>) => resolve(e.data);
      // The worker could not start or its answer could not be read: read the file here instead.
      worker.onerror = () => resolve(null);
      worker.onmessageerror = () => resolve(null);
      // The worker's own i18n instance cannot see the page's choice (no localStorage there): it is told.
      worker.postMessage({ bytes, fileName, language: currentLanguage() });
    });
    if (!reply) return readAnyProject(bytes, fileName);
    if (!reply.ok) {
      if (reply.code) throw new ProjectFileError(reply.message, reply.code);
      throw new ProjectFileError(t('projectFile.unreadable', { name: fileName, detail: reply.message }));
    }
    return reply.data;
  } finally {
    worker.terminate();
  }
}
