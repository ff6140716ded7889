import { describe, expect, it } from 'vitest';
import { chanceCheck, flatten, neighbourTable, runDataChecks, type CheckClass } from './dataChecks';

/** A seeded random unit-ish vector around `centre` (spread `s`). */
function around(centre: number[], s: number, seed: number): Float32Array {
  let x = seed * 9301 + 49297;
  const rnd = () => ((x = (x * 9301 + 49297) % 233280) / 233280) - 0.5;
  return Float32Array.from(centre, (c) => c + s * rnd());
}

const axis = (i: number, dim = 16) => Array.from({ length: dim }, (_, j) => (j === i ? 1 : 0));

function cls(id: string, rows: Float32Array[]): CheckClass {
  const ids = rows.map((_, i) => `${id}-${i}`);
  return { id, name: id, sampleIds: ids, embeddings: new Map(ids.map((sid, i) => [sid, rows[i]])) };
}

const spreadOut = (i: number, n: number, seed = 0) => Array.from({ length: n }, (_, j) => around(axis(i), 0.6, seed + j + 1));

/** The checks of data that does not change meanwhile (never stopped, so never null). */
const checksOf = async (classes: CheckClass[]) => (await runDataChecks(classes))!;

describe('runDataChecks', () => {
  it('finds nothing in well-separated, balanced classes of 12', async () => {
    expect(await checksOf([cls('a', spreadOut(0, 12)), cls('b', spreadOut(1, 12, 100))])).toEqual([]);
  });

  it('says a class has too few examples, and which ones', async () => {
    const checks = await checksOf([cls('a', spreadOut(0, 12)), cls('b', spreadOut(1, 3, 100))]);
    const few = checks.find((c) => c.kind === 'too-few')!;
    expect(few.classIds).toEqual(['b']);
    expect(few.sampleIds).toEqual(['b-0', 'b-1', 'b-2']);
    expect(few.message).toContain('"b" has only 3 examples');
  });

  it('says the classes are imbalanced beyond 3×, not at 3×', async () => {
    const at3 = await checksOf([cls('a', spreadOut(0, 36)), cls('b', spreadOut(1, 12, 100))]);
    expect(at3.some((c) => c.kind === 'imbalance')).toBe(false);
    const over = await checksOf([cls('a', spreadOut(0, 40)), cls('b', spreadOut(1, 12, 100))]);
    expect(over.find((c) => c.kind === 'imbalance')?.classIds).toEqual(['a', 'b']);
  });

  it('finds near-duplicates (the later copy) and classes that are copies of each other overlap', async () => {
    const rows = spreadOut(0, 12);
    const checks = await checksOf([cls('a', rows), cls('b', rows.map((r) => r.slice())), cls('c', spreadOut(2, 12, 50))]);
    const dupes = checks.find((c) => c.kind === 'duplicates')!;
    expect(dupes.sampleIds).toHaveLength(12);
    expect(dupes.sampleIds.every((id) => id.startsWith('b-'))).toBe(true);
    const overlap = checks.filter((c) => c.kind === 'overlap');
    expect(overlap.map((c) => c.classIds)).toEqual([['a', 'b']]);
    // Said once, as an overlap, not as 24 "mislabelled" examples.
    expect(checks.some((c) => c.kind === 'mislabelled')).toBe(false);
  });

  it('finds an example that looks like another class', async () => {
    const a = spreadOut(0, 12);
    const b = [...spreadOut(1, 11, 100), around(axis(0), 0.3, 999)];
    const checks = await checksOf([cls('a', a), cls('b', b)]);
    const wrong = checks.find((c) => c.kind === 'mislabelled')!;
    expect(wrong.sampleIds).toEqual(['b-11']);
    expect(wrong.classIds).toEqual(['b', 'a']);
    expect(checks.some((c) => c.kind === 'overlap')).toBe(false);
  });

  it('skips examples without an embedding but still counts them', async () => {
    const a = cls('a', spreadOut(0, 12));
    const b = { ...cls('b', spreadOut(1, 12, 100)), sampleIds: [...cls('b', spreadOut(1, 12, 100)).sampleIds, 'pending'] };
    expect(await checksOf([a, b])).toEqual([]);
  });
});

describe('chanceCheck and neighbourTable', () => {
  it('flags validation accuracy near chance only', () => {
    expect(chanceCheck(0.55, 2)).toHaveLength(1);
    expect(chanceCheck(0.61, 2)).toHaveLength(0);
    expect(chanceCheck(0.4, 3)).toHaveLength(1);
    expect(chanceCheck(null, 3)).toHaveLength(0);
  });

  it('lists the nearest other rows first and yields after each slice of work', async () => {
    let pauses = 0;
    let clock = 0;
    const rows = Array.from({ length: 10 }, (_, i) => Float32Array.from([1, i / 10]));
    // The clock moves 1 per reading (one a row in each pass, normalising then comparing; one after each pause): a 4 ms
    // slice is four rows, so 20 row steps make 5 pauses.
    const table = (await neighbourTable(rows, 2, { pause: async () => void pauses++, sliceMs: 4, now: () => clock++ }))!;
    expect(table[0].map((n) => n.index)).toEqual([1, 2]);
    expect(table[5].map((n) => n.index).sort()).toEqual([4, 6]);
    expect(pauses).toBe(5);
  });

  it('stops once the data changed', async () => {
    let pauses = 0;
    let clock = 0;
    const rows = Array.from({ length: 10 }, (_, i) => Float32Array.from([1, i / 10]));
    const table = await neighbourTable(rows, 2, { pause: async () => void pauses++, sliceMs: 2, now: () => clock++, stale: () => pauses >= 2 });
    expect(table).toBeNull();
    expect(pauses).toBe(2);
  });

  it('looks at an even spread of each class past the limit, and at every example below it', () => {
    const cls = (id: string, n: number): CheckClass => {
      const sampleIds = Array.from({ length: n }, (_, i) => `${id}${i}`);
      return { id, name: id, sampleIds, embeddings: new Map(sampleIds.map((s) => [s, new Float32Array(2)])) };
    };
    expect(flatten([cls('a', 30), cls('b', 10)], 100).ids).toHaveLength(40);
    const capped = flatten([cls('a', 300), cls('b', 100)], 100);
    expect(capped.ids.filter((i) => i.startsWith('a'))).toHaveLength(75);
    expect(capped.ids.filter((i) => i.startsWith('b'))).toHaveLength(25);
    expect(capped.ids).toContain('a0');
    expect(capped.ids).toContain('a296');
  });
});
