import { memo } from 'react';
import { deleteSample } from '../../store/actions/classes';
import { samples } from '../../store/samples';
import type { ClassInfo } from '../../store/types';

/** Thumbnails of a class's examples, newest last, each with its own delete button. */
export const SampleGrid = memo(function SampleGrid({ cls }: { cls: ClassInfo }) {
  if (cls.sampleIds.length === 0) {
    return <p className="muted empty-hint">No examples yet. Record with the webcam, or upload or drop images here.</p>;
  }
  return (
    <ul className="thumbs" aria-label={`Examples of ${cls.name}`}>
      {cls.sampleIds.map((id, i) => {
        const s = samples.get(id);
        if (!s) return null;
        const n = i + 1;
        return (
          <li key={id} className="thumb">
            <img src={s.url} alt={`Example ${n}`} width={56} height={56} decoding="async" />
            <button
              type="button"
              className="thumb-delete"
              aria-label={`Delete example ${n}`}
              title={`Delete example ${n}`}
              onClick={() => deleteSample(cls.id, id)}
            >
              ×
            </button>
          </li>
        );
      })}
    </ul>
  );
});
