import { memo, useCallback, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n';
import { deleteSample } from '../../store/actions/classes';
import { useAppStore } from '../../store/appStore';
import { samples } from '../../store/samples';
import type { ClassInfo, SampleId } from '../../store/types';
import { useGridWindow } from '../../ui/useGridWindow';
import { useThumbnailUrl } from './useThumbnailUrl';

/** Fixed thumbnail size: windowing needs every row to have the same height. */
const THUMB = 56;
const GAP = 6;
const GEOMETRY = { cell: THUMB, gap: GAP, overscan: 2 };

/**
 * Thumbnails of a class's examples, newest last. One tab stop (roving tabindex): arrow keys, Home/End and
 * PageUp/PageDown move between thumbnails, Delete or Backspace removes the focused one and focus moves to its
 * neighbour. Only the visible rows are in the DOM (plus a little overscan, and the focused thumbnail's row), so a
 * class of thousands stays cheap, and adding an example re-renders no thumbnail already drawn.
 */
export const SampleGrid = memo(function SampleGrid({ cls }: { cls: ClassInfo }) {
  const { t } = useTranslation();
  const ids = cls.sampleIds;
  const win = useGridWindow(ids.length, GEOMETRY);
  const [activeId, setActiveId] = useState<SampleId | null>(null);
  const focusAfterRender = useRef(false);
  const hintId = useId();
  // One subscription per grid, not one per thumbnail: every store change ran each drawn thumbnail's selector (about a
  // thousand with 20 classes), several times per upload step.
  const setAside = useAppStore((s) => s.ui.setAside);
  const unreadable = useMemo(() => new Set(setAside.map((e) => e.id)), [setAside]);
  const found = activeId === null ? -1 : ids.indexOf(activeId);
  const active = found >= 0 ? found : 0;
  const activeRef = useRef({ ids, active });
  activeRef.current = { ids, active };

  useLayoutEffect(() => {
    if (!focusAfterRender.current) return;
    focusAfterRender.current = false;
    win.ref.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.focus({ preventScroll: true });
  });

  const moveTo = useCallback(
    (index: number) => {
      const list = activeRef.current.ids;
      if (list.length === 0) return;
      const next = Math.min(list.length - 1, Math.max(0, index));
      setActiveId(list[next]);
      focusAfterRender.current = true;
      win.reveal(next);
    },
    [win],
  );

  const remove = useCallback(
    (id: SampleId) => {
      const list = activeRef.current.ids;
      const i = list.indexOf(id);
      if (i < 0) return;
      const neighbour = list[i + 1] ?? list[i - 1] ?? null;
      if (neighbour) {
        setActiveId(neighbour);
        focusAfterRender.current = true;
      }
      deleteSample(cls.id, id);
    },
    [cls.id],
  );

  if (ids.length === 0) {
    return <p className="muted empty-hint">{t('samples.empty')}</p>;
  }

  const onKeyDown = (e: KeyboardEvent) => {
    const perPage = Math.max(1, Math.floor((win.ref.current?.clientHeight ?? THUMB) / (THUMB + GAP)));
    // Rows run right to left in a right-to-left language: the arrow keys follow what the person sees.
    const forward = getComputedStyle(e.currentTarget).direction === 'rtl' ? -1 : 1;
    const step: Record<string, number> = {
      ArrowRight: forward,
      ArrowLeft: -forward,
      ArrowDown: win.columns,
      ArrowUp: -win.columns,
      PageDown: win.columns * perPage,
      PageUp: -win.columns * perPage,
    };
    if (e.key in step) moveTo(active + step[e.key]);
    else if (e.key === 'Home') moveTo(0);
    else if (e.key === 'End') moveTo(ids.length - 1);
    else if (e.key === 'Delete' || e.key === 'Backspace') remove(ids[active]);
    else return;
    e.preventDefault();
  };

  const activeRow = Math.floor(active / win.columns);
  const drawn: number[] = [];
  for (let r = win.first; r <= win.last; r++) drawn.push(r);
  // The focused thumbnail is always in the DOM, so Tab can reach the grid wherever it was scrolled to.
  if (activeRow < win.first || activeRow > win.last) drawn.push(activeRow);

  return (
    <div className="thumbs" ref={win.ref} onScroll={win.onScroll}>
      <p id={hintId} hidden>
        {t('samples.keys')}
      </p>
      <div
        role="grid"
        aria-label={t('samples.grid', { name: cls.name })}
        aria-describedby={hintId}
        aria-rowcount={win.rows}
        aria-colcount={win.columns}
        className="thumbs-grid"
        style={{ height: win.rows * (THUMB + GAP) - GAP }}
        onKeyDown={onKeyDown}
        onFocus={(e) => {
          const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
          const id = cell?.dataset.id;
          if (id && id !== activeId) setActiveId(id);
        }}
      >
        {drawn.map((r) => (
          <div role="row" key={r} aria-rowindex={r + 1} className="thumb-row" style={{ top: r * (THUMB + GAP), height: THUMB }}>
            {ids.slice(r * win.columns, (r + 1) * win.columns).map((id, c) => {
              const index = r * win.columns + c;
              return <Thumb key={id} id={id} index={index} column={c + 1} focusable={index === active} unreadable={unreadable.has(id)} onDelete={remove} />;
            })}
          </div>
        ))}
      </div>
    </div>
  );
});

interface ThumbProps {
  id: SampleId;
  index: number;
  column: number;
  focusable: boolean;
  /** Set aside (its stored image cannot be decoded): a marker instead of a broken image, named for what it is. */
  unreadable: boolean;
  onDelete: (id: SampleId) => void;
}

/** One thumbnail cell; memoised, so adding an example re-renders none of the thumbnails already drawn. */
const Thumb = memo(function Thumb({ id, index, column, focusable, unreadable, onDelete }: ThumbProps) {
  const s = samples.get(id);
  const url = useThumbnailUrl(id, s?.jpeg);
  const { t } = useTranslation();
  const n = formatNumber(index + 1);
  return (
    <div role="gridcell" className="thumb" tabIndex={focusable ? 0 : -1} aria-colindex={column} data-index={index} data-id={id}>
      {s && unreadable && (
        <span role="img" className="thumb-unreadable" aria-label={t('samples.unreadable', { n })} title={t('samples.unreadableTitle')}>
          !
        </span>
      )}
      {s && !unreadable && <img src={url || undefined} alt={t('samples.example', { n })} width={THUMB} height={THUMB} decoding="async" draggable={false} />}
      <button type="button" className="thumb-delete" tabIndex={-1} aria-label={t('samples.delete', { n })} title={t('samples.delete', { n })} onClick={() => onDelete(id)}>
        ×
      </button>
    </div>
  );
});
