import { useCallback, useSyncExternalStore } from 'react';
import { samples } from '../../store/samples';
import type { SampleId } from '../../store/types';

/**
 * A sample's thumbnail URL (of `image`, its current JPEG) once it is made: a newly drawn cell asks for it and shows
 * its image a moment later (made between tasks, a few at a time, by `samples.whenUrl`), instead of making it while
 * the grid renders. Meanwhile the cell's `<img>` is there with its name and no `src`, so focus and screen readers
 * find the example at once.
 */
export function useThumbnailUrl(id: SampleId, image: Blob | undefined): string | undefined {
  // Asked for again when the sample's image changed (its old URL was revoked with it).
  const subscribe = useCallback((ready: () => void) => (image ? samples.whenUrl(id, ready) : () => {}), [id, image]);
  return useSyncExternalStore(subscribe, () => samples.madeUrl(id));
}
