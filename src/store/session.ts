/**
 * Who owns the project's lifetime. Every long action (train, open, new, restore, switch image model, record,
 * embed, test an image) takes a token when it starts and asks it, after every `await`, whether the world it started
 * in still exists. Starting a new project, opening one or restoring one ends the project; switching the image model
 * (or losing WebGL, which reloads it) ends the model. A late result is dropped, never installed into the wrong
 * project or paired with the wrong extractor.
 */
export interface RunToken {
  /** False once the project (or, for model-bound work, the image model) this run started from has been replaced. */
  readonly current: boolean;
  /** The project generation the run started in (diagnostics and tests). */
  readonly project: number;
}

/** Thrown (and swallowed by the action) when a run finds its token stale after an await. */
export class StaleRunError extends Error {
  constructor(what: string) {
    super(`${what} was overtaken by a newer project or image model; its result was dropped.`);
    this.name = 'StaleRunError';
  }
}

export class ProjectSession {
  private projectGen = 0;
  private modelGen = 0;

  /** A token that stays current while this project is open (uploads, recording, opening a file). */
  forProject(): RunToken {
    const project = this.projectGen;
    const isCurrent = () => this.projectGen === project;
    return {
      project,
      get current() {
        return isCurrent();
      },
    };
  }

  /** A token bound to this project and this image model (training, embedding, predicting). */
  forModel(): RunToken {
    const project = this.projectGen;
    const model = this.modelGen;
    const isCurrent = () => this.projectGen === project && this.modelGen === model;
    return {
      project,
      get current() {
        return isCurrent();
      },
    };
  }

  /** The project is being replaced (new, open, restore): every run started before is stale from now on. */
  endProject(): void {
    this.projectGen++;
    this.modelGen++;
  }

  /** The image model is being replaced: runs bound to the old extractor are stale from now on. */
  endModel(): void {
    this.modelGen++;
  }
}

/** The one session of this page. */
export const session = new ProjectSession();

/** Throws StaleRunError when `token` is no longer current (call after each await of a long action). */
export function ensureCurrent(token: RunToken, what: string): void {
  if (!token.current) throw new StaleRunError(what);
}
