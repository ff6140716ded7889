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

/** The choices the picker offers, for the UI (features read the ml layer through the store). */
export { BASE_CHOICES, baseChoice } from '../ml/multiBase';
