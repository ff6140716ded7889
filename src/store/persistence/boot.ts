import { savedBaseChoice } from '../baseChoice';
import { GlanceError } from '../../ml/errors';
import { setState } from '../appStore';
import { runtime } from '../runtime';
import type { AppState } from '../types';
import { setDbEvents } from './db';
import { pushError } from '../actions/errors';
import { startAutosave } from './autosave';
import { restoreSavedProject } from './restore';
import { t } from '../../i18n';

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

function setStorage(patch: Partial<AppState['ui']['storage']>): void {
  setState((s) => ({ ui: { ...s.ui, storage: { ...s.ui.storage, ...patch } } }));
}

/**
 * Restores the project saved in this browser, then keeps saving changes as they happen. When the saved project
 * cannot be restored at all, autosave stays off so nothing is written over it, and the page says so and offers the
 * choices (open a file, start fresh on purpose); either choice replaces the saved project deliberately.
 */
export async function bootProject(): Promise<void> {
  setDbEvents({
    onBlocked: () => setStorage({ blocked: true }),
    onUnblocked: () => setStorage({ blocked: false }),
    onVersionChange: () =>
      pushError(new GlanceError('storage-failed', t('storage.newerTab'))),
  });
  const owner = await acquireTabLock();
  runtime.storageOwner = owner;
  if (!owner) {
    setState((s) => ({ ui: { ...s.ui, storage: { ...s.ui.storage, secondaryTab: true } } }));
    pushError(
      new GlanceError(
        'storage-failed',
        t('storage.otherTab'),
      ),
    );
  }
  let restored = true;
  try {
    await restoreSavedProject(savedBaseChoice().id);
  } catch (err) {
    restored = false;
    const why = err instanceof Error ? err.message : String(err);
    setStorage({ restoreFailed: t('storage.restoreFailed', { detail: why }) });
  } finally {
    setState((s) => ({ ui: { ...s.ui, restore: null } }));
  }
  if (owner && restored) startAutosave();
}
