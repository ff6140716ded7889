/**
 * Checks of the training data that say what to fix: too few examples, imbalance, near-duplicates, classes that
 * overlap, examples that look like another class, validation accuracy near chance. Pure JS on the embeddings
 * (cosine on l2-normalised vectors); the neighbour table is built a chunk at a time so the page stays responsive.
 */
import { dot, l2Normalize } from './novelty';

export const CHECK_LIMITS = {
  /** Fewer examples than this in a class is "too few". */
  minPerClass: 10,
  /** The largest class more than this many times the smallest is "imbalanced". */
  maxImbalance: 3,
  /** Cosine distance below which two examples are near-duplicates. */
  duplicateDistance: 0.002,
  /** Leave-one-out nearest-neighbour confusion between two classes above this share: the classes overlap. */
  overlapShare: 0.3,
  /** Neighbours that vote on "looks like another class". */
  mislabelK: 3,
  /** Validation accuracy within this of chance (1 / classes) is "near chance". */
  chanceMargin: 0.1,
} as const;

/** One class as the checks see it: every example id, and the embedding of each one that has one. */
export interface CheckClass {
  id: string;
  name: string;
  sampleIds: readonly string[];
  embeddings: ReadonlyMap<string, Float32Array>;
}

export type DataCheckKind = 'too-few' | 'imbalance' | 'duplicates' | 'overlap' | 'mislabelled' | 'chance';

/** One finding: what is wrong, and the examples it is about (what "Show examples" selects). */
export interface DataCheck {
  id: string;
  kind: DataCheckKind;
  /** The English sentence (logs, tests); the page builds its own, in its language, from `kind` and `params`. */
  message: string;
  params: DataCheckParams;
  sampleIds: string[];
  classIds: string[];
}

/** What a finding's sentence needs: class names, counts, shares 0–1 (which of them depends on the kind). */
export interface DataCheckParams {
  count?: number;
  min?: number;
  ratio?: number;
  bigCount?: number;
  smallCount?: number;
  share?: number;
  chance?: number;
  names?: string[];
}

/** For each row, its nearest other rows (index, cosine distance), nearest first. */
export type NeighbourTable = { index: number; distance: number }[][];

/** How a long check shares the thread: yield after `sliceMs` of work, and give up once `stale()` says the data changed. */
export interface Slicing {
  pause?: () => Promise<void>;
  sliceMs?: number;
  stale?: () => boolean;
  /** The clock (tests pass their own). */
  now?: () => number;
}

/**
 * The `k` nearest neighbours of every row (rows l2-normalised here). O(n² · d), so it yields to the page after every
 * `sliceMs` of work (one row at 5,000 rows of 1,792 floats is a few ms) and returns null as soon as `stale()` is true.
 */
export async function neighbourTable(rows: readonly Float32Array[], k: number, slicing: Slicing = {}): Promise<NeighbourTable | null> {
  const { pause = async () => {}, sliceMs = 8, stale = () => false, now = () => performance.now() } = slicing;
  const unit: Float32Array[] = [];
  let sliceStart = now();
  // Normalising 2,000 rows of 1,792 floats in one go held the page for about 50 ms: it is sliced like the rest.
  for (const row of rows) {
    if (now() - sliceStart >= sliceMs) {
      await pause();
      if (stale()) return null;
      sliceStart = now();
    }
    unit.push(l2Normalize(row));
  }
  const table: NeighbourTable = [];
  for (let i = 0; i < unit.length; i++) {
    if (now() - sliceStart >= sliceMs) {
      await pause();
      if (stale()) return null;
      sliceStart = now();
    }
    const best: { index: number; distance: number }[] = [];
    for (let j = 0; j < unit.length; j++) {
      if (j === i) continue;
      const distance = 1 - dot(unit[i], unit[j]);
      if (best.length < k || distance < best[best.length - 1].distance) {
        best.push({ index: j, distance });
        best.sort((a, b) => a.distance - b.distance);
        if (best.length > k) best.pop();
      }
    }
    table.push(best);
  }
  return table;
}

const quote = (name: string) => `"${name}"`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The checks that need no embeddings: too few examples in a class, one class much larger than another. */
export function countChecks(classes: readonly CheckClass[]): DataCheck[] {
  const out: DataCheck[] = [];
  const withData = classes.filter((c) => c.sampleIds.length > 0);
  for (const c of withData) {
    if (c.sampleIds.length < CHECK_LIMITS.minPerClass) {
      out.push({
        id: `too-few:${c.id}`, kind: 'too-few', classIds: [c.id], sampleIds: [...c.sampleIds],
        params: { names: [c.name], count: c.sampleIds.length, min: CHECK_LIMITS.minPerClass },
        message: `${quote(c.name)} has only ${plural(c.sampleIds.length, 'example')}. Add at least ${CHECK_LIMITS.minPerClass}, from different angles and backgrounds.`,
      });
    }
  }
  if (withData.length >= 2) {
    const big = withData.reduce((a, b) => (b.sampleIds.length > a.sampleIds.length ? b : a));
    const small = withData.reduce((a, b) => (b.sampleIds.length < a.sampleIds.length ? b : a));
    const ratio = big.sampleIds.length / small.sampleIds.length;
    if (ratio > CHECK_LIMITS.maxImbalance) {
      out.push({
        id: `imbalance:${big.id}:${small.id}`, kind: 'imbalance', classIds: [big.id, small.id], sampleIds: [...big.sampleIds],
        params: { names: [big.name, small.name], ratio, bigCount: big.sampleIds.length, smallCount: small.sampleIds.length },
        message: `${quote(big.name)} has ${ratio.toFixed(1)}× as many examples as ${quote(small.name)} (${big.sampleIds.length} vs ${small.sampleIds.length}): the model will lean towards it. Add examples to ${quote(small.name)} or remove some from ${quote(big.name)}.`,
      });
    }
  }
  return out;
}

/**
 * The neighbour checks compare every pair, O(n²): past this many examples they look at an even spread of each class
 * (5,000 examples of 1,792 floats would be ~45 GFLOP of JavaScript, a minute of a phone's main thread).
 */
export const MAX_NEIGHBOUR_ROWS = 2000;

/** The examples in one flat list (at most `maxRows`, spread evenly over each class), with their class index. */
export function flatten(classes: readonly CheckClass[], maxRows = MAX_NEIGHBOUR_ROWS): { ids: string[]; classOf: number[]; rows: Float32Array[] } {
  const ids: string[] = [];
  const classOf: number[] = [];
  const rows: Float32Array[] = [];
  const embedded = classes.map((c) => c.sampleIds.filter((id) => c.embeddings.has(id)));
  const total = embedded.reduce((n, e) => n + e.length, 0);
  const keep = Math.min(1, maxRows / Math.max(1, total));
  classes.forEach((c, ci) => {
    const list = embedded[ci];
    const n = Math.max(1, Math.floor(list.length * keep));
    for (let i = 0; i < Math.min(n, list.length); i++) {
      const id = list[Math.floor((i * list.length) / n)];
      ids.push(id);
      classOf.push(ci);
      rows.push(c.embeddings.get(id)!);
    }
  });
  return { ids, classOf, rows };
}

function neighbourChecks(classes: readonly CheckClass[], flat: ReturnType<typeof flatten>, table: NeighbourTable): DataCheck[] {
  const out: DataCheck[] = [];
  const { ids, classOf } = flat;
  // Near-duplicates: the later of each close pair is the one to delete.
  const dupes = new Set<number>();
  table.forEach((nb, i) => nb.forEach((n) => n.distance < CHECK_LIMITS.duplicateDistance && n.index < i && dupes.add(i)));
  if (dupes.size > 0) {
    const idx = [...dupes].sort((a, b) => a - b);
    const classNames = [...new Set(idx.map((i) => classes[classOf[i]].name))];
    const names = classNames.map(quote).join(', ');
    out.push({
      id: 'duplicates', kind: 'duplicates', classIds: [...new Set(idx.map((i) => classes[classOf[i]].id))], sampleIds: idx.map((i) => ids[i]),
      params: { names: classNames, count: idx.length },
      message: `${plural(idx.length, 'example')} in ${names} ${idx.length === 1 ? 'is a near-duplicate' : 'are near-duplicates'} of another example: they add nothing new. Delete them, or record more varied examples.`,
    });
  }
  // Overlap: how often a class's examples have their nearest neighbour in the other class.
  const n = classes.length;
  const confusion = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const sizes = new Array<number>(n).fill(0);
  table.forEach((nb, i) => {
    sizes[classOf[i]]++;
    if (nb[0]) confusion[classOf[i]][classOf[nb[0].index]]++;
  });
  const overlapping = new Set<string>();
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const total = sizes[a] + sizes[b];
      const share = total ? (confusion[a][b] + confusion[b][a]) / total : 0;
      if (share <= CHECK_LIMITS.overlapShare) continue;
      overlapping.add(`${a}:${b}`);
      const concerned = ids.filter((_, i) => (classOf[i] === a && classOf[table[i][0]?.index] === b) || (classOf[i] === b && classOf[table[i][0]?.index] === a));
      out.push({
        id: `overlap:${classes[a].id}:${classes[b].id}`, kind: 'overlap', classIds: [classes[a].id, classes[b].id], sampleIds: concerned,
        params: { names: [classes[a].name, classes[b].name], share },
        message: `${quote(classes[a].name)} and ${quote(classes[b].name)} overlap: ${Math.round(100 * share)} % of their examples look most like an example of the other class. Make the classes more different, or merge them.`,
      });
    }
  }
  // Likely mislabelled: every one of the nearest neighbours is in one other class (pairs that overlap are said above).
  const byTarget = new Map<string, number[]>();
  table.forEach((nb, i) => {
    const votes = nb.slice(0, CHECK_LIMITS.mislabelK);
    if (votes.length < CHECK_LIMITS.mislabelK) return;
    const other = classOf[votes[0].index];
    if (other === classOf[i] || !votes.every((v) => classOf[v.index] === other)) return;
    const pair = [Math.min(other, classOf[i]), Math.max(other, classOf[i])].join(':');
    if (overlapping.has(pair)) return;
    const key = `${classOf[i]}:${other}`;
    byTarget.set(key, [...(byTarget.get(key) ?? []), i]);
  });
  for (const [key, idx] of byTarget) {
    const [from, to] = key.split(':').map(Number);
    out.push({
      id: `mislabelled:${classes[from].id}:${classes[to].id}`, kind: 'mislabelled', classIds: [classes[from].id, classes[to].id], sampleIds: idx.map((i) => ids[i]),
      params: { names: [classes[from].name, classes[to].name], count: idx.length },
      message: `${plural(idx.length, 'example')} in ${quote(classes[from].name)} ${idx.length === 1 ? 'looks' : 'look'} like ${quote(classes[to].name)}: maybe in the wrong class. Check, then move or delete ${idx.length === 1 ? 'it' : 'them'}.`,
    });
  }
  return out;
}

/** A check on the trained model's validation accuracy (null when there was no validation split). */
export function chanceCheck(valAccuracy: number | null | undefined, classCount: number): DataCheck[] {
  if (valAccuracy == null || classCount < 2) return [];
  const chance = 1 / classCount;
  if (valAccuracy > chance + CHECK_LIMITS.chanceMargin) return [];
  return [{
    id: 'chance', kind: 'chance', classIds: [], sampleIds: [],
    params: { share: valAccuracy, chance },
    message: `Validation accuracy is ${Math.round(100 * valAccuracy)} %, near chance (${Math.round(100 * chance)} %): the model cannot tell the classes apart yet. Add more, clearer examples of each class and train again.`,
  }];
}

/**
 * Every check of the data: counts need no embeddings; the rest use the neighbour table of the embedded examples (at
 * most MAX_NEIGHBOUR_ROWS of them, spread evenly over each class; `onCompared` hears how many). Null when
 * `slicing.stale()` stopped it.
 */
export async function runDataChecks(classes: readonly CheckClass[], slicing?: Slicing, onCompared?: (examples: number) => void): Promise<DataCheck[] | null> {
  const flat = flatten(classes);
  onCompared?.(flat.ids.length);
  const table = await neighbourTable(flat.rows, CHECK_LIMITS.mislabelK, slicing);
  return table && [...countChecks(classes), ...neighbourChecks(classes, flat, table)];
}
