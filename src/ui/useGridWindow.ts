import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** Geometry of a grid of fixed-size square cells. */
export interface GridGeometry {
  /** Cell side in px. */
  cell: number;
  /** Gap between cells and rows in px. */
  gap: number;
  /** Rows drawn beyond the visible ones, above and below. */
  overscan: number;
}

export interface GridWindow {
  ref: RefObject<HTMLDivElement | null>;
  columns: number;
  rows: number;
  /** First and last row (inclusive) to draw; `last < first` when there is nothing to draw. */
  first: number;
  last: number;
  onScroll: () => void;
  /** Scrolls the scroll container just enough for item `index` to be fully visible. */
  reveal: (index: number) => void;
}

/**
 * Hand-written windowing for one scroll container of fixed-size cells: only the visible rows (plus `overscan`) are
 * drawn, so a grid of thousands costs the DOM a few dozen cells. Columns follow the container's width.
 */
export function useGridWindow(count: number, { cell, gap, overscan }: GridGeometry): GridWindow {
  const ref = useRef<HTMLDivElement>(null);
  const [box, setBox] = useState({ width: 0, height: 0, top: 0 });
  const pitch = cell + gap;
  const hasItems = count > 0;
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setBox((b) => (b.width === el.clientWidth && b.height === el.clientHeight ? b : { ...b, width: el.clientWidth, height: el.clientHeight }));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
    // The container only exists while there is something to show: measure again when it appears.
  }, [hasItems]);
  const columns = Math.max(1, Math.floor((box.width + gap) / pitch));
  const rows = Math.ceil(count / columns);
  // Before the first measurement draw a screenful so the grid is never empty for a frame.
  const height = box.height || 4 * pitch;
  const first = Math.max(0, Math.floor(box.top / pitch) - overscan);
  const last = Math.min(rows - 1, Math.ceil((box.top + height) / pitch) + overscan);
  const onScroll = useCallback(() => {
    const el = ref.current;
    if (el) setBox((b) => (b.top === el.scrollTop ? b : { ...b, top: el.scrollTop }));
  }, []);
  const reveal = useCallback(
    (index: number) => {
      const el = ref.current;
      if (!el) return;
      const top = Math.floor(index / columns) * pitch;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + cell > el.scrollTop + el.clientHeight) el.scrollTop = top + cell - el.clientHeight;
      setBox((b) => (b.top === el.scrollTop ? b : { ...b, top: el.scrollTop }));
    },
    [columns, pitch, cell],
  );
  return { ref, columns, rows, first, last, onScroll, reveal };
}
