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
});
