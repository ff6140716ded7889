/** Every error the person can see has a stable `code` (for tests and logic) and a message that says what to do. */
export type GlanceErrorCode =
  | 'not-enough-data'
  | 'not-an-image'
  | 'empty-file'
  | 'image-too-large'
  | 'camera-denied'
  | 'camera-not-found'
  | 'camera-in-use'
  | 'camera-failed'
  | 'model-load-failed'
  | 'backend-failed'
  | 'training-failed'
  | 'no-model'
  | 'export-failed'
  | 'project-invalid'
  | 'project-too-large'
  | 'storage-full'
  | 'storage-failed';

/**
 * How the page words an error made here, where there is no i18n: a catalogue key and its values (src/i18n turns them
 * into the person's language; `message` stays the English text, for logs and tests).
 */
export interface Wording {
  key: string;
  params?: Record<string, string | number>;
}

export class GlanceError extends Error {
  readonly code: GlanceErrorCode;
  readonly say?: Wording;
  constructor(code: GlanceErrorCode, message: string, options?: { cause?: unknown; say?: Wording }) {
    super(message, options);
    this.name = 'GlanceError';
    this.code = code;
    this.say = options?.say;
  }
}

/** Fewer than two classes have examples: training cannot start. */
export class NotEnoughDataError extends GlanceError {
  constructor(message = 'Add examples to at least two classes before training.') {
    super('not-enough-data', message);
    this.name = 'NotEnoughDataError';
  }
}

/** A file the person gave is not something we can use as an image. */
export type ImageFileErrorCode = 'not-an-image' | 'empty-file' | 'image-too-large';

export class ImageFileError extends GlanceError {
  declare readonly code: ImageFileErrorCode;
  readonly fileName: string;
  constructor(code: ImageFileErrorCode, fileName: string, message: string) {
    super(code, message);
    this.name = 'ImageFileError';
    this.fileName = fileName;
  }
}

/** The camera could not be used; the message says how to fix it. */
export class CameraError extends GlanceError {
  constructor(code: 'camera-denied' | 'camera-not-found' | 'camera-in-use' | 'camera-failed', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'CameraError';
  }
}

/** The base model files could not be loaded or used. */
export class ModelLoadError extends GlanceError {
  constructor(message: string, options?: { cause?: unknown; say?: Wording }) {
    super('model-load-failed', message, options);
    this.name = 'ModelLoadError';
  }
}

/** Turns anything thrown into a sentence a person can act on. */
export function messageOf(err: unknown): string {
  if (err instanceof GlanceError) return err.message;
  if (err instanceof Error) return `Something went wrong: ${err.message}. Try again; if it keeps happening, reload the page.`;
  return 'Something went wrong. Try again; if it keeps happening, reload the page.';
}
