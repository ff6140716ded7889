import { afterEach, describe, expect, it, vi } from 'vitest';
import { getState, initialState, setState } from '../appStore';
import { samples } from '../samples';
import { session } from '../session';
import { addClass, deleteClass, deleteSample } from './classes';
import { appendSamples } from './classList';
import { undo, UNDO_MS } from './undo';

function addExamples(classId: string, n: number): string[] {
  const ids = Array.from({ length: n }, (_, i) => `${classId}-s${i}`);
  ids.forEach((id, i) =>
    samples.set({ id, classId, jpeg: new Blob([new Uint8Array([i])]), embedding: new Float32Array([i, 1]), baseId: 'fake' }),
  );
  appendSamples(classId, ids);
  return ids;
}

function fresh() {
  samples.replaceAll([]);
  setState(initialState());
  const [a, b] = getState().classes.map((c) => c.id);
  const c = addClass();
  return { a, b, c };
}

afterEach(() => vi.useRealTimers());

describe('undo', () => {
  it('puts a deleted class back in its place with its name and its examples in order, embeddings kept', () => {
    const { a, b, c } = fresh();
    const ids = addExamples(b, 20);
    const version = getState().dataVersion;
    deleteClass(b);
    expect(getState().classes.map((x) => x.id)).toEqual([a, c]);
    expect(samples.get(ids[0])).toBeUndefined();
    expect(getState().ui.undo?.message).toBe('Deleted "Class 2" and its 20 examples.');

    expect(undo()).toBe(b);
    expect(getState().classes.map((x) => x.id)).toEqual([a, b, c]);
    expect(getState().classes[1]).toMatchObject({ name: 'Class 2', sampleIds: ids });
    expect(Array.from(samples.get(ids[7])!.embedding!)).toEqual([7, 1]);
    expect(getState().dataVersion, 'nothing else changed: the data is as it was').toBe(version);
    expect(getState().ui.undo).toBeNull();
  });

  it('puts back several deleted examples, newest first, each in its old position', () => {
    const { a } = fresh();
    const ids = addExamples(a, 5);
    deleteSample(a, ids[1]);
    deleteSample(a, ids[3]);
    deleteSample(a, ids[0]);
    expect(getState().classes[0].sampleIds).toEqual([ids[2], ids[4]]);
    undo();
    expect(getState().classes[0].sampleIds).toEqual(ids);
  });

  it('does nothing once the project was replaced (New or Open project)', () => {
    const { a, b } = fresh();
    addExamples(b, 3);
    deleteClass(b);
    session.endProject();
    expect(undo()).toBeNull();
    expect(getState().classes.map((x) => x.id)).not.toContain(b);
    expect(getState().classes[0].id).toBe(a);
  });

  it(`is offered for ${UNDO_MS / 1000} seconds`, () => {
    vi.useFakeTimers();
    const { a } = fresh();
    const [id] = addExamples(a, 1);
    deleteSample(a, id);
    vi.advanceTimersByTime(UNDO_MS - 100);
    expect(getState().ui.undo).not.toBeNull();
    vi.advanceTimersByTime(200);
    expect(getState().ui.undo).toBeNull();
    expect(undo()).toBeNull();
    expect(getState().classes[0].sampleIds).toEqual([]);
  });
});
