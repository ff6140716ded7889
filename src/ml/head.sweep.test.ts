import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { useTestBackend } from '../test/backend';
import { loadExamples } from '../test/embeddings';
import { baseModelDir, readModelFilesFromDir } from '../test/modelFiles';
import { accuracy, argmax, expectedCalibrationError } from './evaluate';
import { mulberry32, shuffle } from './dataset';
import { loadExtractor } from './featureExtractor';
import { transformEmbeddings, type TrainingConfig } from './head';
import { trainHead, type TrainingExample } from './trainer';

// Opt-in measurement behind DEFAULT_TRAINING (GLANCE_SWEEP=1 npx vitest run src/ml/head.sweep.test.ts, ~2 min).
// Prints rps-webcam test accuracy (and ECE) per option for three seeds; asserts nothing.
const run = process.env.GLANCE_SWEEP === '1';

let train: TrainingExample[];
let test: TrainingExample[];

beforeAll(async () => {
  if (!run) return;
  await useTestBackend();
  const extractor = await loadExtractor(await readModelFilesFromDir(baseModelDir));
  train = await loadExamples(extractor, 'rps-webcam', 'train');
  test = await loadExamples(extractor, 'rps-webcam', 'test');
  extractor.dispose();
});

async function testScores(model: tf.LayersModel, config: TrainingConfig): Promise<{ acc: number; ece: number }> {
  const probs = tf.tidy(() => {
    const x = tf.tensor2d(test.flatMap((e) => [...e.embedding]), [test.length, test[0].embedding.length]);
    return model.predict(transformEmbeddings(x, config.embeddingTransform)) as tf.Tensor2D;
  });
  const p = await probs.array();
  probs.dispose();
  const labels = test.map((e) => e.label);
  return { acc: accuracy(labels, p.map(argmax)), ece: expectedCalibrationError(p, labels) };
}

const OPTIONS: Partial<TrainingConfig>[] = [
  { embeddingTransform: 'none', hiddenUnits: 0, learningRate: 0.001, epochs: 30 },
  { embeddingTransform: 'l2', hiddenUnits: 0, learningRate: 0.001, epochs: 30 },
  { embeddingTransform: 'l2', hiddenUnits: 0, learningRate: 0.003, epochs: 30 },
  { embeddingTransform: 'l2', hiddenUnits: 0, learningRate: 0.01, epochs: 20 },
  { embeddingTransform: 'l2', hiddenUnits: 0, learningRate: 0.01, epochs: 50 },
  { embeddingTransform: 'l2', hiddenUnits: 0, learningRate: 0.003, epochs: 30, batchSize: 32 },
  { embeddingTransform: 'l2', hiddenUnits: 64, dropout: 0.2, learningRate: 0.001, epochs: 30 },
  { embeddingTransform: 'l2', hiddenUnits: 64, dropout: 0.5, learningRate: 0.003, epochs: 30 },
  { embeddingTransform: 'l2', hiddenUnits: 100, dropout: 0.5, learningRate: 0.001, epochs: 50 },
  { embeddingTransform: 'l2', hiddenUnits: 100, dropout: 0, learningRate: 0.003, epochs: 30 },
];

describe.runIf(run)('head option sweep', () => {
  it('prints test accuracy per option', async () => {
    for (const option of OPTIONS) {
      for (const validationFraction of [0.15, 0]) {
        const accs: number[] = [];
        const t0 = performance.now();
        for (const seed of [1, 2, 3]) {
          const config = { batchSize: 16, dropout: 0, ...option, validationFraction, seed };
          const result = await trainHead({ examples: train, numClasses: 3, config });
          accs.push((await testScores(result.model, config as TrainingConfig)).acc);
          result.model.dispose();
        }
        const ms = (performance.now() - t0) / 3;
        console.log(JSON.stringify({ ...option, validationFraction }), accs.map((a) => (a * 100).toFixed(1)).join(' '), `${ms.toFixed(0)} ms/run`);
      }
    }
  });
});

const FEW_SHOT: Partial<TrainingConfig>[] = [
  { embeddingTransform: 'none', hiddenUnits: 0, learningRate: 0.001, epochs: 30 },
  { embeddingTransform: 'l2', hiddenUnits: 0, learningRate: 0.003, epochs: 30 },
  { embeddingTransform: 'l2', hiddenUnits: 0, learningRate: 0.01, epochs: 20 },
  { embeddingTransform: 'l2', hiddenUnits: 0, learningRate: 0.01, epochs: 50 },
  { embeddingTransform: 'l2', hiddenUnits: 0, learningRate: 0.03, epochs: 30 },
  { embeddingTransform: 'l2', hiddenUnits: 100, dropout: 0, learningRate: 0.003, epochs: 30 },
  { embeddingTransform: 'l2', hiddenUnits: 64, dropout: 0.5, learningRate: 0.003, epochs: 30 },
];

describe.runIf(run)('few-shot sweep', () => {
  it('prints test accuracy and ECE with n random examples per class', async () => {
    for (const n of [5, 10, 30, 140]) {
      for (const option of FEW_SHOT) {
        const rows: string[] = [];
        for (const seed of [1, 2, 3]) {
          const rng = mulberry32(100 + seed);
          const subset = [0, 1, 2].flatMap((c) => shuffle(train.filter((e) => e.label === c), rng).slice(0, n));
          const config = { batchSize: 16, dropout: 0, validationFraction: 0.15, ...option, seed };
          const result = await trainHead({ examples: subset, numClasses: 3, config });
          const s = await testScores(result.model, config as TrainingConfig);
          rows.push(`${(s.acc * 100).toFixed(1)}/${s.ece.toFixed(2)}@${result.bestEpoch}`);
          result.model.dispose();
        }
        console.log(`n=${n}`, JSON.stringify(option), rows.join('  '));
      }
    }
  });
});
