import { savedBaseChoice } from '../baseChoice';
import { GlanceError } from '../../ml/errors';
import { setState } from '../appStore';
import { pushError } from '../actions/errors';
import { startAutosave } from './autosave';
import { restoreSavedProject } from './restore';

const LOCK_NAME = 'glance-project-owner';
const LOCK_WAIT_MS = 3000;

/**
 * Only one tab writes the saved project: it holds a Web Lock for as long as it lives. A second tab is told
 * so and does not save, so two tabs can never overwrite each other's work.
 */
function acquireTabLock(): Promise<boolean> {
  if (!navigator.locks?.request) return Promise.resolve(true);
  return new Promise((resolve) => {
    // On a reload the page being replaced may still hold the lock for a moment: wait a little before deciding
    // another tab has it.
    navigator.locks
      .request(LOCK_NAME, { signal: AbortSignal.timeout(LOCK_WAIT_MS) }, async () => {
        resolve(true);
        await new Promise(() => undefined); // held until the tab closes
      })
      .catch(() => resolve(false));
  });
}

/** Restores the project saved in this browser, then keeps saving changes as they happen. */
export async function bootProject(): Promise<void> {
  const owner = await acquireTabLock();
  if (!owner) {
    setState((s) => ({ ui: { ...s.ui, storage: { ...s.ui.storage, secondaryTab: true } } }));
    pushError(
      new GlanceError(
        'storage-failed',
        'Glance is already open in another tab, so this tab will not save changes to browser storage (that would overwrite the other tab). Use the other tab, or close it and reload this one.',
      ),
    );
  }
  try {
    await restoreSavedProject(savedBaseChoice().id);
  } catch (err) {
    pushError(new GlanceError('storage-failed', `Your saved project could not be restored from browser storage (${(err as Error)?.message ?? err}). You can open a saved project file instead.`));
  } finally {
    setState((s) => ({ ui: { ...s.ui, restore: null } }));
  }
  if (owner) startAutosave();
}
