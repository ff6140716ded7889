import type { FeatureExtractor } from '../ml/featureExtractor';
import type { ModelFiles } from '../ml/modelFiles';
import type { Classifier } from '../ml/classifier';
import type { HeadArtifacts } from '../ml/headIO';
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
  /** The head in use as plain bytes: it survives a lost WebGL context, which takes GPU weights with it. */
  headArtifacts: null as HeadArtifacts | null,
  trainingAbort: null as AbortController | null,
  /** Where the base models' folders are served (`<BASE_URL>models/`). */
  modelRoot: '',
  /** Each base's files once downloaded, by base id: switching back and forth downloads nothing twice. */
  baseFiles: new Map<string, ModelFiles>(),
  /** The .wasm file URLs the page serves, for the training worker (it cannot see Vite's asset URLs). */
  wasmPaths: undefined as Record<string, string> | undefined,
  queue: new EmbeddingQueue(
    (pending) => setState((s) => ({ ui: { ...s.ui, pendingEmbeddings: pending } })),
    (err) => pushError(err),
  ),
};

/** Puts a new model in use (disposing the old one) and keeps its bytes for recovery and saving. */
export function installClassifier(classifier: Classifier | null, artifacts: HeadArtifacts | null): void {
  if (runtime.classifier !== classifier) runtime.classifier?.dispose();
  runtime.classifier = classifier;
  runtime.headArtifacts = artifacts;
}
