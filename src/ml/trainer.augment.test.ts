import { beforeAll, describe, expect, it } from 'vitest';
import { tensorsLeftBy, useTestBackend } from '../test/backend';
import { loadExamples } from '../test/embeddings';
import { baseModelDir, readModelFilesFromDir } from '../test/modelFiles';
import { loadExtractor } from './featureExtractor';
import { trainHead, type TrainingExample } from './trainer';

let examples: TrainingExample[];

beforeAll(async () => {
  await useTestBackend();
  const extractor = await loadExtractor(await readModelFilesFromDir(baseModelDir));
  try {
    examples = await loadExamples(extractor, 'fixtures', 'train', 10);
  } finally {
    extractor.dispose();
  }
});

/** Each example with `n` slightly shifted copies standing in for augmented embeddings. */
const withCopies = (n: number) => examples.map((e) => ({ ...e, augmented: Array.from({ length: n }, (_, j) => e.embedding.map((x) => x * (1 + 0.01 * (j + 1)))) }));

async function batchesPerEpoch(ex: TrainingExample[], config: Record<string, unknown>): Promise<number> {
  let batches = 0;
  const r = await trainHead({ examples: ex, numClasses: 3, config: { epochs: 1, batchSize: 1, ...config }, onBatch: (_, perEpoch) => (batches = perEpoch) });
  r.model.dispose();
  return batches;
}

describe('trainHead with augmented embeddings, weight decay and label smoothing', () => {
  it('trains on the augmented copies of training examples only, unless useAugmented is false', async () => {
    const plain = await batchesPerEpoch(examples, {});
    expect(await batchesPerEpoch(withCopies(2), {})).toBe(plain * 3);
    expect(await batchesPerEpoch(withCopies(2), { useAugmented: false })).toBe(plain);
  });

  it('keeps validation on real images: the same held-out indices and count', async () => {
    const a = await trainHead({ examples, numClasses: 3, config: { epochs: 2 } });
    const b = await trainHead({ examples: withCopies(3), numClasses: 3, config: { epochs: 2 } });
    expect(b.validation.indices).toEqual(a.validation.indices);
    expect(b.validation.probabilities.length).toBe(a.validation.probabilities.length);
    a.model.dispose();
    b.model.dispose();
  });

  it('trains with weight decay and label smoothing, and leaves no tensors behind', async () => {
    const config = { epochs: 3, weightDecay: 1e-3, labelSmoothing: 0.1 };
    const warm = await trainHead({ examples: withCopies(1), numClasses: 3, config });
    warm.model.dispose();
    expect(await tensorsLeftBy(async () => {
      const r = await trainHead({ examples: withCopies(1), numClasses: 3, config });
      expect(r.history.every((h) => Number.isFinite(h.loss))).toBe(true);
      r.model.dispose();
    })).toBe(0);
  });
});
