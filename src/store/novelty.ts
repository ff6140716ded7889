import { fitNovelty, type NoveltyModel } from '../ml/novelty';
import { getState } from './appStore';
import { runtime } from './runtime';
import { samples } from './samples';
import type { ClassId } from './types';

/**
 * Fits the "None of these" rule (src/ml/novelty.ts) on the stored embeddings of the trained classes, in the model's
 * class order. Cheap enough to recompute after training, on restore and after opening a file, so it is not saved.
 * Null when fewer than two usable examples exist (nothing to calibrate on).
 */
export function noveltyFor(classIds: readonly ClassId[], classSamples: (id: ClassId) => readonly string[]): NoveltyModel | null {
  const embeddings: Float32Array[] = [];
  const labels: number[] = [];
  classIds.forEach((cid, label) => {
    for (const id of classSamples(cid)) {
      const s = samples.get(id);
      if (!s?.embedding || s.setAside) continue;
      embeddings.push(s.embedding);
      labels.push(label);
    }
  });
  if (embeddings.length < 2) return null;
  return fitNovelty(embeddings, labels);
}

const fitted = new WeakMap<object, NoveltyModel | null>();

/** Records the rule fitted for a model right after training (from the embeddings it was trained on). */
export function setNovelty(model: object, rule: NoveltyModel | null): void {
  fitted.set(model, rule);
}

/**
 * The rule of a model in use, fitted on first need from the current examples of its classes when it was not trained
 * in this page (restored, opened from a file, rebuilt after a lost WebGL context). Memoised per model.
 */
export function noveltyOf(model: object, classIds: readonly ClassId[], classSamples: (id: ClassId) => readonly string[]): NoveltyModel | null {
  if (!fitted.has(model)) fitted.set(model, noveltyFor(classIds, classSamples));
  return fitted.get(model) ?? null;
}

/** The rule of the model in use (see `noveltyOf`), or null without a model. */
export function currentNovelty(): NoveltyModel | null {
  const classifier = runtime.classifier;
  const model = getState().training.model;
  if (!classifier || !model) return null;
  const byId = new Map(getState().classes.map((c) => [c.id, c.sampleIds]));
  return noveltyOf(classifier, model.classIds, (id) => byId.get(id) ?? []);
}
