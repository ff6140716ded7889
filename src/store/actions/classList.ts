import { getState, setState } from '../appStore';
import type { ClassId, ClassInfo, SampleId } from '../types';

/*
 * The class list's smallest steps, which recording and uploads share. They import no other action, so the actions
 * above them (classes, camera, recording, addSamples) never form a cycle.
 */

/** Appends samples to a class (already in the registry). */
export function appendSamples(classId: ClassId, ids: SampleId[]): void {
  if (ids.length === 0) return;
  setState((s) => ({
    classes: s.classes.map((c) => (c.id === classId ? { ...c, sampleIds: [...c.sampleIds, ...ids] } : c)),
    dataVersion: s.dataVersion + 1,
  }));
}

export function findClass(id: ClassId): ClassInfo | undefined {
  return getState().classes.find((c) => c.id === id);
}
