import { BASES, MOBILENET_V1_025, MOBILENET_V1_025_LAYERS, type BaseDescriptor } from '../../src/ml/featureExtractor';
import { loadExtractors } from '../../src/ml/multiBase';
import { readModelFilesFromDir } from '../../src/test/modelFiles';
import { SHORT, baseDir, layersMacs, msPerImage } from './bases';
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

/** ms per image of a combination as the app runs it (`loadExtractors`, per-base l2), 1 at a time and in 16s. */
async function speedOf(bases: BaseDescriptor[]): Promise<Speed> {
  const sources = await Promise.all(bases.map(async (base) => ({ base, files: await readModelFilesFromDir(baseDir(base)) })));
  const extractor = await loadExtractors(sources);
  try {
    // More runs than the per-base figures of the main run: the machine is shared and single images are noisy.
    return { b1: await msPerImage(extractor, 1, 15), b16: await msPerImage(extractor, 16, 5) };
  } finally {
    extractor.dispose();
  }
}

/**
 * The cost table of `--candidate`: per base and per row of the candidate set (all with several bases measured as
 * one combined extractor, the way the app loads them): MACs and ms per image on WASM in Node.
 */
export async function costTable(methods: Method[]): Promise<string> {
  const ids = [...new Set(methods.flatMap((m) => m.bases))];
  const macs = await macsByBase(ids);
  const row = (name: string, m: number, s: Speed) => `| ${name} | ${(m / 1e6).toFixed(0)} | ${s.b1.toFixed(1)} | ${(1000 / s.b1).toFixed(0)} | ${s.b16.toFixed(1)} |`;
  const byId = (id: string) => BASES.find((b) => b.id === id)!;
  const lines: string[] = [];
  for (const id of ids) lines.push(row(`${id} (${SHORT[id]})${id === MOBILENET_V1_025.id ? ' ¹' : ''}`, macs[id], await speedOf([byId(id)])));
  for (const m of methods.filter((x) => x.bases.length > 1)) {
    const s = await speedOf(m.bases.map(byId));
    lines.push(row(`**${m.name}**`, m.bases.reduce((n, id) => n + macs[id], 0), s));
  }
  return [
    '| image model | M MACs / image | ms / image, 1 at a time | → predictions / s | ms / image in batches of 16 |',
    '|---|---:|---:|---:|---:|',
    ...lines,
    '',
    '¹ MACs counted on the Keras v1 0.25 (same architecture); its graph runs through @tensorflow-models/mobilenet.',
  ].join('\n');
}
