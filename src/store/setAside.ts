import { getState, setState } from './appStore';
import { samples } from './samples';
import type { SampleId } from './types';
import { t } from '../i18n';

/** What the person is told about an example that was set aside. */
function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return /decod|image|source|jpeg/i.test(message) ? t('storage.notDecoded') : message;
}

/**
 * Sets one example aside: it cannot be embedded (a damaged stored image, say). It stays in its class and in browser
 * storage, training skips it, and the page lists it (class and position) until the person deletes it. Nothing is
 * dropped silently, and nothing else stops.
 */
export function setAside(sampleId: SampleId, err: unknown): void {
  const sample = samples.get(sampleId);
  if (!sample || sample.setAside) return;
  const reason = reasonOf(err);
  samples.markSetAside(sampleId, reason);
  const cls = getState().classes.find((c) => c.id === sample.classId);
  const position = cls ? cls.sampleIds.indexOf(sampleId) + 1 : 0;
  setState((s) => ({
    ui: {
      ...s.ui,
      setAside: [...s.ui.setAside, { id: sampleId, classId: sample.classId, className: cls?.name ?? t('storage.deletedClass'), position, reason }],
    },
  }));
}
