import * as tf from '@tensorflow/tfjs';
import { BASES, MOBILENET_V1_025, MOBILENET_V1_025_LAYERS, type BaseDescriptor, type FeatureExtractor } from '../../src/ml/featureExtractor';
import { loadExtractors } from '../../src/ml/multiBase';
import { readModelFilesFromDir } from '../../src/test/modelFiles';
import { SHORT, baseDir, layersMacs } from './bases';
import type { Method } from './methods';

type Speed = { b1: number; b16: number };

/** MACs per image of each base; the TF-Hub v1 0.25 graph has the same architecture as the Keras v1 0.25 (v1k). */
async function macsByBase(ids: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const id of ids) {
    const base = BASES.find((b) => b.id === id)!;
    out[id] = base.format === 'layers-model' ? await layersMacs(base) : await layersMacs(MOBILENET_V1_025_LAYERS);
  }
  return out;
}

async function load(bases: BaseDescriptor[]): Promise<FeatureExtractor> {
  return loadExtractors(await Promise.all(bases.map(async (base) => ({ base, files: await readModelFilesFromDir(baseDir(base)) }))));
}

/**
 * CPU milliseconds (user + system, this process) per image of one `embedBatch`. The WASM backend runs on this one
 * thread, so CPU time is the work itself; wall time on a machine shared with other jobs is mostly waiting.
 */
async function timeOne(extractor: FeatureExtractor, batch: tf.Tensor4D): Promise<number> {
  const t0 = process.cpuUsage();
  const e = extractor.embedBatch(batch);
  try {
    await e.data();
  } finally {
    e.dispose();
  }
  const { user, system } = process.cpuUsage(t0);
  return (user + system) / 1000 / batch.shape[0];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * CPU ms per image of each extractor, one image and batches of 16, measured interleaved (every round times each
 * extractor once, so whatever else the machine does falls on all of them alike). Median over the rounds, after one
 * warm-up each.
 */
async function interleavedSpeeds(extractors: FeatureExtractor[], rounds: number): Promise<Speed[]> {
  const one = tf.randomUniform([1, 224, 224, 3], 0, 255, 'float32', 1) as tf.Tensor4D;
  const sixteen = tf.randomUniform([16, 224, 224, 3], 0, 255, 'float32', 2) as tf.Tensor4D;
  try {
    for (const e of extractors) await timeOne(e, sixteen);
    const b1: number[][] = extractors.map(() => []);
    const b16: number[][] = extractors.map(() => []);
    for (let r = 0; r < rounds; r++) {
      for (const [i, e] of extractors.entries()) {
        b1[i].push(await timeOne(e, one));
        b16[i].push(await timeOne(e, sixteen));
      }
    }
    return extractors.map((_, i) => ({ b1: median(b1[i]), b16: median(b16[i]) }));
  } finally {
    tf.dispose([one, sixteen]);
  }
}

/**
 * The cost table of `--candidate`: each base, and each row of several bases loaded as one combined extractor the
 * way the app loads them: MACs and CPU ms per image on WASM in Node (one thread), measured interleaved.
 */
export async function costTable(methods: Method[], rounds = 9): Promise<string> {
  const ids = [...new Set(methods.flatMap((m) => m.bases))];
  const macs = await macsByBase(ids);
  const byId = (id: string) => BASES.find((b) => b.id === id)!;
  const rows = [
    ...ids.map((id) => ({ name: `${id} (${SHORT[id]})${id === MOBILENET_V1_025.id ? ' ¹' : ''}`, bases: [id] })),
    ...methods.filter((m) => m.bases.length > 1).map((m) => ({ name: `**${m.name}**`, bases: m.bases })),
  ];
  const extractors: FeatureExtractor[] = [];
  try {
    for (const r of rows) extractors.push(await load(r.bases.map(byId)));
    const speeds = await interleavedSpeeds(extractors, rounds);
    const line = (r: (typeof rows)[number], s: Speed) => {
      const m = r.bases.reduce((n, id) => n + macs[id], 0);
      return `| ${r.name} | ${(m / 1e6).toFixed(0)} | ${s.b1.toFixed(1)} | ${(1000 / s.b1).toFixed(0)} | ${s.b16.toFixed(1)} |`;
    };
    return [
      `| image model | M MACs / image | CPU ms / image, 1 at a time | → predictions / s at most | CPU ms / image in batches of 16 |`,
      '|---|---:|---:|---:|---:|',
      ...rows.map((r, i) => line(r, speeds[i])),
      '',
      `¹ MACs counted on the Keras v1 0.25 (same architecture); its graph runs through @tensorflow-models/mobilenet. CPU time of this process (single-threaded WASM), median of ${rounds} interleaved rounds: wall time on a shared machine is larger.`,
    ].join('\n');
  } finally {
    extractors.forEach((e) => e.dispose());
  }
}
