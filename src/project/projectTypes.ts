/** What a project is, independent of the store and of the file format. */
export interface ProjectClass {
  name: string;
  /** JPEG bytes of each 224×224 sample, in order. */
  samples: Uint8Array[];
  /** Where each sample came from in the file (zip entry names), for messages that name a bad one. */
  entries?: string[];
}

/** A trained head in portable form (the LayersModel's own JSON and weights). */
export interface SavedHead {
  /** Indices into `classes` of the classes the head was trained on, in output order. */
  classIndices: number[];
  embeddingTransform: 'none' | 'l2';
  baseId: string;
  modelJson: unknown;
  weights: Uint8Array;
  /** Free-form training facts shown in the UI (accuracy, epochs…). */
  summary: Record<string, unknown>;
  history: unknown[];
}

/** Cached embeddings, so opening a project does not recompute them: [class][sample] → vector. */
export interface SavedEmbeddings {
  baseId: string;
  size: number;
  perClass: Float32Array[][];
}

export interface ProjectData {
  name: string;
  classes: ProjectClass[];
  settings: Record<string, unknown>;
  head: SavedHead | null;
  embeddings: SavedEmbeddings | null;
}
