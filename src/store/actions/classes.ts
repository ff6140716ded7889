import { checkClassName, MAX_CLASS_NAME } from '../../project/schema';
import { getState, newId, setState } from '../appStore';
import { samples, type Sample } from '../samples';
import type { AppState, ClassId, ClassInfo, SampleId } from '../types';
import { closeWebcam } from './camera';
import { offerUndo, reviveSamples } from './undo';
import { formatNumber, t } from '../../i18n';

/** Adds "Class N" at the end. */
export function addClass(): ClassId {
  const id = newId('class');
  setState((s) => {
    let n = s.nextClassNumber;
    const taken = new Set(s.classes.map((c) => c.name.toLowerCase()));
    while (taken.has(defaultClassName(n).toLowerCase())) n++;
    return {
      classes: [...s.classes, { id, name: defaultClassName(n), sampleIds: [] }],
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
    return checked.problem === t('schema.emptyName') ? t('classes.nameEmpty') : t('classes.nameTooLong', { n: formatNumber(MAX_CLASS_NAME) });
  }
  const { name } = checked;
  const clash = getState().classes.find((c) => c.id !== id && c.name.toLowerCase() === name.toLowerCase());
  if (clash) return t('classes.nameTaken', { name: clash.name });
  setState((s) => ({ classes: s.classes.map((c) => (c.id === id ? { ...c, name } : c)) }));
  return null;
}

/** Deletes a class and all its examples; "Undo" puts it back exactly (name, position, examples in order). */
export function deleteClass(id: ClassId): void {
  const before = getState();
  const index = before.classes.findIndex((c) => c.id === id);
  if (index < 0) return;
  const cls = before.classes[index];
  const taken = cls.sampleIds.map((x) => samples.get(x)).filter((x): x is Sample => x !== undefined);
  const setAside = before.ui.setAside.filter((e) => e.classId === id);
  if (before.camera.classId === id) closeWebcam();
  samples.remove(cls.sampleIds);
  setState((s) => ({
    classes: s.classes.filter((c) => c.id !== id),
    dataVersion: s.dataVersion + 1,
    ui: setAside.length ? { ...s.ui, setAside: s.ui.setAside.filter((e) => e.classId !== id) } : s.ui,
  }));
  const after = snapshotVersion(before.dataVersion);
  offerUndo(t('undo.deletedClass', { name: cls.name, count: taken.length, n: formatNumber(taken.length) }), () => {
    reviveSamples(taken);
    setState((s) => {
      const classes = [...s.classes];
      classes.splice(Math.min(index, classes.length), 0, { id: cls.id, name: freeName(cls.name, s.classes), sampleIds: taken.map((x) => x.id) });
      return { classes, dataVersion: after.restore(s), ui: setAside.length ? { ...s.ui, setAside: [...s.ui.setAside, ...setAside] } : s.ui };
    });
    return cls.id;
  });
}

/** Deletes one example from a class; "Undo" puts it back in its place. */
export function deleteSample(classId: ClassId, sampleId: SampleId): void {
  const before = getState();
  const cls = before.classes.find((c) => c.id === classId);
  const sample = samples.get(sampleId);
  if (!cls || !sample) return;
  const index = cls.sampleIds.indexOf(sampleId);
  const setAside = before.ui.setAside.filter((e) => e.id === sampleId);
  samples.remove([sampleId]);
  setState((s) => ({
    classes: s.classes.map((c) => (c.id === classId ? { ...c, sampleIds: c.sampleIds.filter((x) => x !== sampleId) } : c)),
    dataVersion: s.dataVersion + 1,
    ui: setAside.length ? { ...s.ui, setAside: s.ui.setAside.filter((e) => e.id !== sampleId) } : s.ui,
  }));
  const after = snapshotVersion(before.dataVersion);
  offerUndo(t('undo.deletedExample', { n: formatNumber(index + 1), name: cls.name }), () => {
    // The class itself was deleted later and is not coming back: nothing to put the example into.
    if (!getState().classes.some((c) => c.id === classId)) return null;
    reviveSamples([sample]);
    setState((s) => ({
      classes: s.classes.map((c) => {
        if (c.id !== classId) return c;
        const ids = [...c.sampleIds];
        ids.splice(Math.min(index, ids.length), 0, sampleId);
        return { ...c, sampleIds: ids };
      }),
      dataVersion: after.restore(s),
      ui: setAside.length ? { ...s.ui, setAside: [...s.ui.setAside, ...setAside] } : s.ui,
    }));
    return classId;
  });
}

/**
 * The data version to go back to on undo: the one before the deletion when nothing else changed since (so a model
 * trained before the deletion is up to date again), else a new one.
 */
function snapshotVersion(versionBefore: number) {
  const { dataVersion, training } = getState();
  const model = training.model;
  return {
    restore: (s: AppState) =>
      s.dataVersion === dataVersion && s.training.model === model && s.training.phase === 'idle' ? versionBefore : s.dataVersion + 1,
  };
}

/** The class's old name, or "name (2)" when another class took it meanwhile. */
function freeName(name: string, classes: readonly ClassInfo[]): string {
  const taken = new Set(classes.map((c) => c.name.toLowerCase()));
  let candidate = name;
  for (let k = 2; taken.has(candidate.toLowerCase()); k++) candidate = `${name.slice(0, MAX_CLASS_NAME - 5)} (${k})`;
  return candidate;
}

/** "Class 3" in the page's language (a plain number: it becomes the class's name, which is data). */
export function defaultClassName(n: number): string {
  return t('classes.defaultName', { n });
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
