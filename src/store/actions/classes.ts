import { checkClassName, MAX_CLASS_NAME } from '../../project/schema';
import { getState, newId, setState } from '../appStore';
import { samples } from '../samples';
import type { ClassId, SampleId } from '../types';
import { closeWebcam } from './camera';

/** Adds "Class N" at the end. */
export function addClass(): ClassId {
  const id = newId('class');
  setState((s) => {
    let n = s.nextClassNumber;
    const taken = new Set(s.classes.map((c) => c.name.toLowerCase()));
    while (taken.has(`class ${n}`)) n++;
    return {
      classes: [...s.classes, { id, name: `Class ${n}`, sampleIds: [] }],
      nextClassNumber: n + 1,
      dataVersion: s.dataVersion + 1,
    };
  });
  return id;
}

/**
 * Renames a class. Returns the reason when the name is refused (the old name is kept), else null.
 * Renaming never makes the model stale: the model follows class ids, the meters follow names.
 */
export function renameClass(id: ClassId, rawName: string): string | null {
  const checked = checkClassName(rawName);
  if ('problem' in checked) {
    return checked.problem.includes('empty') ? 'A class needs a name. Type one, or press Escape to keep the old name.' : `Keep the name to ${MAX_CLASS_NAME} characters or fewer.`;
  }
  const { name } = checked;
  const clash = getState().classes.find((c) => c.id !== id && c.name.toLowerCase() === name.toLowerCase());
  if (clash) return `"${clash.name}" is already used by another class. Choose a different name.`;
  setState((s) => ({ classes: s.classes.map((c) => (c.id === id ? { ...c, name } : c)) }));
  return null;
}

/** Deletes a class and all its examples (the UI asks first). */
export function deleteClass(id: ClassId): void {
  const cls = getState().classes.find((c) => c.id === id);
  if (!cls) return;
  if (getState().camera.classId === id) closeWebcam();
  samples.remove(cls.sampleIds);
  setState((s) => ({
    classes: s.classes.filter((c) => c.id !== id),
    dataVersion: s.dataVersion + 1,
    ui: s.ui.setAside.some((e) => e.classId === id) ? { ...s.ui, setAside: s.ui.setAside.filter((e) => e.classId !== id) } : s.ui,
  }));
}

/** Deletes one example from a class. */
export function deleteSample(classId: ClassId, sampleId: SampleId): void {
  samples.remove([sampleId]);
  setState((s) => ({
    classes: s.classes.map((c) => (c.id === classId ? { ...c, sampleIds: c.sampleIds.filter((x) => x !== sampleId) } : c)),
    dataVersion: s.dataVersion + 1,
    ui: s.ui.setAside.some((e) => e.id === sampleId) ? { ...s.ui, setAside: s.ui.setAside.filter((e) => e.id !== sampleId) } : s.ui,
  }));
}


/** The longest class name (the same limit for the field, renames and opened files). */
export { MAX_CLASS_NAME } from '../../project/schema';

/** Deletes every example that was set aside (the person chose to; until then they stay stored). */
export function deleteSetAside(): void {
  const ids = new Set(getState().ui.setAside.map((e) => e.id));
  if (ids.size === 0) return;
  samples.remove(ids);
  setState((s) => ({
    classes: s.classes.map((c) => (c.sampleIds.some((id) => ids.has(id)) ? { ...c, sampleIds: c.sampleIds.filter((id) => !ids.has(id)) } : c)),
    dataVersion: s.dataVersion + 1,
    ui: { ...s.ui, setAside: [] },
  }));
}
