import type { FeatureExtractor } from '../ml/featureExtractor';
import type { Classifier } from '../ml/classifier';
import { EmbeddingQueue } from './embeddingQueue';
import { setState } from './appStore';
import { pushError } from './actions/errors';

/**
 * Long-lived non-serialisable objects the actions share. Kept out of the store: tensors and models are
 * not state, and React must never re-render because one changed.
 */
export const runtime = {
  extractor: null as FeatureExtractor | null,
  classifier: null as Classifier | null,
  trainingAbort: null as AbortController | null,
  queue: new EmbeddingQueue(
    (pending) => setState((s) => ({ ui: { ...s.ui, pendingEmbeddings: pending } })),
    (err) => pushError(err),
  ),
};
