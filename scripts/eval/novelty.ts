/**
 * "None of these" flag rates (src/ml/novelty.ts) with the app's default extractor: trained on k examples a class of
 * one rps set, how many of its own test images are flagged (should be few) and how many far-away images are (video
 * frames of unrelated scenes, synthetic noise; should be most). The other rps set is reported too (same classes,
 * another domain: near, not far, out of distribution).
 */
import * as tf from '@tensorflow/tfjs';
import { fitNovelty, isNovel } from '../../src/ml/novelty';
import { embedFiles, spread } from '../../src/test/embeddings';
import { RPS_CLASSES, listImages, type DatasetName } from '../../src/test/modelFiles';
import { noiseImages, videoFrames } from '../../src/test/oodImages';
import { loadDefault } from './defaultPath';

interface Labelled {
  rows: Float32Array[];
  labels: number[];
}

async function split(ex: Awaited<ReturnType<typeof loadDefault>>, ds: DatasetName, which: 'train' | 'test', perClass: number): Promise<Labelled> {
  const out: Labelled = { rows: [], labels: [] };
  for (const [label, cls] of RPS_CLASSES.entries()) {
    const rows = await embedFiles(ex, spread(await listImages(ds, which, cls), perClass));
    out.rows.push(...rows);
    out.labels.push(...rows.map(() => label));
  }
  return out;
}

/** Markdown table of flag rates (%) per training set and k. */
export async function noveltyReport(quick: boolean, log: (m: string) => void): Promise<string> {
  const ex = await loadDefault();
  try {
    // --quick (CI smoke): both sets still (one is the other's near-OOD), but 10 training and 20 test images a class.
    const sets: DatasetName[] = ['rps-webcam', 'rps-cgi'];
    const perTest = quick ? 20 : Infinity;
    const data = new Map<DatasetName, { train: Labelled; test: Labelled }>();
    for (const ds of sets) data.set(ds, { train: await split(ex, ds, 'train', quick ? 10 : Infinity), test: await split(ex, ds, 'test', perTest) });
    const video = await embedFiles(ex, videoFrames(quick ? 1 : 2));
    const noiseT = noiseImages(quick ? 8 : 40);
    const noise = await ex.embed(noiseT);
    tf.dispose(noiseT);
    log(`novelty: ${video.length} video frames, ${noise.length} noise images`);
    const ks = quick ? [10] : [5, 10, 25, Infinity];
    const lines = ['| trained on | k / class | in-distribution test flagged | far-OOD video flagged | far-OOD noise flagged | other rps set flagged |', '|---|---:|---:|---:|---:|---:|'];
    for (const ds of sets) {
      const { train, test } = data.get(ds)!;
      const other = data.get(sets.find((s) => s !== ds)!)!.test;
      for (const k of ks) {
        const pick = RPS_CLASSES.flatMap((_, c) => spread(train.labels.flatMap((l, i) => (l === c ? [i] : [])), k));
        const model = fitNovelty(pick.map((i) => train.rows[i]), pick.map((i) => train.labels[i]));
        const pct = (rows: Float32Array[]) => `${((100 * rows.filter((e) => isNovel(model, e)).length) / rows.length).toFixed(1)} %`;
        lines.push(`| ${ds} | ${Number.isFinite(k) ? k : 'all'} | ${pct(test.rows)} (${test.rows.length}) | ${pct(video)} (${video.length}) | ${pct(noise)} (${noise.length}) | ${pct(other.rows)} (${other.rows.length}) |`);
      }
    }
    return lines.join('\n');
  } finally {
    ex.dispose();
  }
}
