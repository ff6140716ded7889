import { jpegToCrop } from '../../capture/frames';
import { getState, setState } from '../appStore';
import { runtime } from '../runtime';
import { samples, type Sample } from '../samples';
import { session } from '../session';
import type { ClassId } from '../types';

/** How long "Undo" is offered after a deletion. */
export const UNDO_MS = 10_000;

/** Puts back what one deletion took away; returns the class it went back into (null when it could not). */
export type UndoStep = () => ClassId | null;

let nextUndoId = 1;

/**
 * Offers "Undo" for a deletion that just happened. Deletions made while an offer stands join it: Undo then puts back
 * all of them, newest first, so every index each step recorded is valid again when that step runs. The offer belongs
 * to this project: after New or Open project it is gone and a late call does nothing.
 */
export function offerUndo(message: string, step: UndoStep): void {
  const prev = runtime.undo;
  if (prev) clearTimeout(prev.timer);
  const steps = prev && prev.token.current ? [...prev.steps, step] : [step];
  const timer = setTimeout(dropUndo, UNDO_MS);
  runtime.undo = { token: session.forProject(), steps, timer };
  const text = steps.length > 1 ? `${message} Undo puts back the last ${steps.length} deletions.` : message;
  setState((s) => ({ ui: { ...s.ui, undo: { id: nextUndoId++, message: text } } }));
}

/** Withdraws the offer (it timed out, was used, or the project was replaced). */
export function dropUndo(): void {
  if (runtime.undo) clearTimeout(runtime.undo.timer);
  runtime.undo = null;
  if (getState().ui.undo) setState((s) => ({ ui: { ...s.ui, undo: null } }));
}

/**
 * Puts back everything the standing offer covers. Returns the class the earliest deletion went back into (where focus
 * can go), or null when there was nothing to undo (or the offer belonged to a project that was replaced).
 */
export function undo(): ClassId | null {
  const pending = runtime.undo;
  dropUndo();
  if (!pending || !pending.token.current) return null;
  let target: ClassId | null = null;
  for (const step of [...pending.steps].reverse()) target = step() ?? target;
  return target;
}

/**
 * Returns removed samples to the registry (autosave writes them back). A sample whose
 * embedding was not ready when it was deleted, or came from another image model, is embedded again from its image.
 */
export function reviveSamples(list: readonly Sample[]): void {
  const base = runtime.extractor?.base.id;
  for (const s of list) {
    const stale = !s.setAside && (!s.embedding || (base !== undefined && s.baseId !== base));
    if (stale) {
      s.embedding = null;
      s.baseId = null;
    }
    samples.set(s);
    if (stale) runtime.queue.enqueue(s.id, () => jpegToCrop(s.jpeg));
  }
}
