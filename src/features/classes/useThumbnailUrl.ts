import { useCallback, useSyncExternalStore } from 'react';
import { samples } from '../../store/samples';
import type { SampleId } from '../../store/types';

/**
 * A sample's thumbnail URL once it is made: a newly drawn cell asks for it and shows its image a moment later (made
 * between tasks, a few at a time, by `samples.whenUrl`), instead of making it while the grid renders.
 */
export function useThumbnailUrl(id: SampleId): string | undefined {
  const subscribe = useCallback((ready: () => void) => samples.whenUrl(id, ready), [id]);
  return useSyncExternalStore(subscribe, () => samples.madeUrl(id));
}
