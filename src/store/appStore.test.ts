import { describe, expect, it } from 'vitest';
import { AUGMENT_BY_DEFAULT } from '../ml/head';
import { DEFAULT_TRAINING_SETTINGS, toTrainingSettings } from './appStore';

describe('toTrainingSettings', () => {
  it('reads settings saved before "Augment examples" existed with augmentation at its default (off)', () => {
    expect(AUGMENT_BY_DEFAULT).toBe(false);
    expect(toTrainingSettings({ epochs: 12, batchSize: 8, learningRate: 0.01 })).toEqual({ epochs: 12, batchSize: 8, learningRate: 0.01, augment: false });
  });

  it('keeps augmentation on when it was saved on', () => {
    expect(toTrainingSettings({ ...DEFAULT_TRAINING_SETTINGS, augment: true }).augment).toBe(true);
  });

  it('puts out-of-range numbers within bounds and anything unusable back to its default', () => {
    expect(toTrainingSettings({ epochs: 9000, batchSize: 2.6, learningRate: -1, augment: 'yes' })).toEqual({
      epochs: 500, batchSize: 3, learningRate: 1e-5, augment: false,
    });
    expect(toTrainingSettings(undefined)).toEqual(DEFAULT_TRAINING_SETTINGS);
    expect(toTrainingSettings({ epochs: Number.NaN, batchSize: 0, learningRate: '0.1' })).toEqual(DEFAULT_TRAINING_SETTINGS);
  });
});
