import type { BackendName } from '../ml/backend';
import { baseChoice, type BaseChoice } from '../ml/multiBase';

/**
 * Which frozen bases this browser uses is a device preference, like the backend: it decides how much work each
 * image costs on this machine. It is remembered in localStorage (not in the project) so the engine can load the
 * right bases before any saved project is read; a project or model made with other bases is re-embedded
 * (examples) or retrained (model) after it opens.
 */
const KEY = 'glance.bases';

export function savedBaseChoice(): BaseChoice {
  try {
    return baseChoice(globalThis.localStorage?.getItem(KEY));
  } catch {
    return baseChoice(null); // storage blocked (privacy settings): the default
  }
}

export function rememberBaseChoice(id: string): void {
  try {
    globalThis.localStorage?.setItem(KEY, id);
  } catch {
    // Not remembered across reloads; the choice still applies now.
  }
}

const BACKEND_KEY = 'glance.backend';
const BACKENDS: readonly BackendName[] = ['webgl', 'wasm', 'cpu'];

/**
 * The backend the start-up timing chose last time on this device, so a reload starts on it straight away instead of
 * timing every backend again (on a machine that emulates WebGL in software, timing it costs seconds). Only a
 * preference: if it fails, the engine times them all again (actions/engine.ts).
 */
export function savedBackend(): BackendName | null {
  try {
    const value = globalThis.localStorage?.getItem(BACKEND_KEY);
    return BACKENDS.find((b) => b === value) ?? null;
  } catch {
    return null;
  }
}

export function rememberBackend(backend: BackendName | null): void {
  try {
    if (backend) globalThis.localStorage?.setItem(BACKEND_KEY, backend);
    else globalThis.localStorage?.removeItem(BACKEND_KEY);
  } catch {
    // Timed again on the next start.
  }
}

/** The choices the picker offers, for the UI (features read the ml layer through the store). */
export { BASE_CHOICES, baseChoice } from '../ml/multiBase';
