import { afterEach, describe, expect, it, vi } from 'vitest';
import { samples } from './samples';

const jpeg = (byte: number) => new Blob([new Uint8Array([0xff, 0xd8, byte])], { type: 'image/jpeg' });
const add = (id: string, image = jpeg(1)) => samples.set({ id, classId: 'c', jpeg: image, embedding: null, baseId: null });

describe('thumbnail URLs', () => {
  afterEach(() => {
    samples.clear();
    vi.restoreAllMocks();
  });

  it('are made on first draw, once, and only for the samples drawn', () => {
    const create = vi.spyOn(URL, 'createObjectURL');
    for (let i = 0; i < 100; i++) add(`s${i}`);
    expect(create).not.toHaveBeenCalled();
    const url = samples.url('s7');
    expect(url).toMatch(/^blob:/);
    expect(samples.url('s7')).toBe(url);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('are revoked when the sample goes, when its image changes and when every sample is replaced', () => {
    const revoke = vi.spyOn(URL, 'revokeObjectURL');
    add('a');
    add('b');
    add('c');
    const [a, b, c] = ['a', 'b', 'c'].map((id) => samples.url(id));
    samples.remove(['a']);
    expect(revoke).toHaveBeenCalledWith(a);
    // Same image (a move to another class): the URL stays.
    samples.set({ ...samples.get('b')!, classId: 'other' });
    expect(samples.url('b')).toBe(b);
    add('b', jpeg(2));
    expect(revoke).toHaveBeenCalledWith(b);
    expect(samples.url('b')).not.toBe(b);
    samples.replaceAll([]);
    expect(revoke).toHaveBeenCalledWith(c);
    expect(samples.url('c')).toBe('');
  });

  it('are empty for a placeholder without an image', () => {
    add('damaged', new Blob([], { type: 'image/jpeg' }));
    expect(samples.url('damaged')).toBe('');
  });

  it('asked for while a grid draws, are made later, a few per task, and tell the cells that still wait', async () => {
    const create = vi.spyOn(URL, 'createObjectURL');
    for (let i = 0; i < 40; i++) add(`g${i}`);
    const heard: string[] = [];
    const stops = Array.from({ length: 40 }, (_, i) => samples.whenUrl(`g${i}`, () => heard.push(`g${i}`)));
    // Nothing is made while the grid renders.
    expect(create).not.toHaveBeenCalled();
    expect(samples.madeUrl('g0')).toBeUndefined();
    stops[39]();
    samples.remove(['g38']);
    await vi.waitFor(() => expect(heard.length).toBe(39), { timeout: 2000, interval: 5 });
    expect(heard).not.toContain('g39');
    expect(heard.slice(0, 3)).toEqual(['g0', 'g1', 'g2']);
    expect(samples.madeUrl('g0')).toMatch(/^blob:/);
    expect(samples.madeUrl('g38')).toBeUndefined();
    expect(samples.madeUrl('g39')).toBeUndefined();
    expect(create).toHaveBeenCalledTimes(38);
    // Once made, a cell drawn again has it at once and waits for nothing.
    const again = vi.fn();
    samples.whenUrl('g0', again)();
    expect(samples.madeUrl('g0')).toBe(samples.url('g0'));
    expect(again).not.toHaveBeenCalled();
  });

  it('made a few per task: a task stops making them after a few milliseconds and the rest come in later tasks', async () => {
    for (let i = 0; i < 30; i++) add(`t${i}`);
    // Each URL takes 1 ms to make, as under load in the browser. Calls in one task are counted together: a queued
    // microtask runs only once the task that made the call has ended.
    const perTask: number[] = [];
    let inTask = false;
    const real = URL.createObjectURL.bind(URL);
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      if (!inTask) {
        inTask = true;
        perTask.push(0);
        queueMicrotask(() => (inTask = false));
      }
      perTask[perTask.length - 1]++;
      const until = performance.now() + 1;
      while (performance.now() < until);
      return real(blob);
    });
    const made: number[] = [];
    for (let i = 0; i < 30; i++) samples.whenUrl(`t${i}`, () => made.push(i));
    await vi.waitFor(() => expect(made.length).toBe(30), { timeout: 2000, interval: 5 });
    expect(perTask.reduce((a, b) => a + b, 0)).toBe(30);
    expect(perTask.length).toBeGreaterThan(3);
    expect(Math.max(...perTask)).toBeLessThanOrEqual(4);
  });
});
