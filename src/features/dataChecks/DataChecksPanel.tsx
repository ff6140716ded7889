import { useState } from 'react';
import { useAppStore } from '../../store/appStore';
import { deleteSamples, moveSamples } from '../../store/actions/dataChecks';
import { train } from '../../store/actions/training';
import { samples } from '../../store/samples';
import type { DataCheck } from '../../store/types';

/** What is worth fixing in the training data, before and after training; each finding leads to its examples. */
export function DataChecksPanel() {
  const items = useAppStore((s) => s.ui.dataChecks.items);
  const anyData = useAppStore((s) => s.classes.some((c) => c.sampleIds.length > 0));
  return (
    <section className="card panel data-checks" aria-label="Data checks">
      <h2>Data checks</h2>
      {!anyData ? (
        <p className="muted">Add examples and the checks appear here.</p>
      ) : items.length === 0 ? (
        <p className="muted">No problems found in your examples.</p>
      ) : (
        <ul>
          {items.map((item) => (
            <CheckItem key={item.id} item={item} />
          ))}
        </ul>
      )}
    </section>
  );
}

function CheckItem({ item }: { item: DataCheck }) {
  const [open, setOpen] = useState(false);
  const classes = useAppStore((s) => s.classes);
  const present = item.sampleIds.filter((id) => samples.get(id));
  const [target, setTarget] = useState('');
  const targets = classes.filter((c) => !(item.kind === 'too-few' && item.classIds.includes(c.id)));
  return (
    <li className="check-item">
      <p>{item.message}</p>
      {item.kind === 'chance' ? (
        <button type="button" className="btn" onClick={() => void train()}>
          Train again
        </button>
      ) : (
        <button type="button" className="btn ghost" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide examples' : `Show ${present.length} ${present.length === 1 ? 'example' : 'examples'}`}
        </button>
      )}
      {open && present.length > 0 && (
        <div role="group" aria-label={`Examples concerned: ${item.message}`}>
          <div className="examples">
            {present.map((id, i) => (
              <img key={id} src={samples.get(id)!.url} alt={`Concerned example ${i + 1}`} />
            ))}
          </div>
          <button type="button" className="btn danger" onClick={() => deleteSamples(present)}>
            Delete
          </button>{' '}
          <select aria-label="Move to class" value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="">Move to …</option>
            {targets.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>{' '}
          <button type="button" className="btn" disabled={!target} onClick={() => moveSamples(present, target)}>
            Move
          </button>
        </div>
      )}
    </li>
  );
}
