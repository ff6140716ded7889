import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage, formatNumber, formatPercent, t } from '../../i18n';
import { useAppStore } from '../../store/appStore';
import { deleteSamples, moveSamples } from '../../store/actions/dataChecks';
import { train } from '../../store/actions/training';
import { samples } from '../../store/samples';
import type { DataCheck } from '../../store/types';

/** What is worth fixing in the training data, before and after training; each finding leads to its examples. */
export function DataChecksPanel() {
  const { t } = useTranslation();
  const { items, waiting, compared, embedded } = useAppStore((s) => s.ui.dataChecks);
  const anyData = useAppStore((s) => s.classes.some((c) => c.sampleIds.length > 0));
  return (
    <section className="card panel data-checks" aria-label={t('dataChecks.title')}>
      <h2>{t('dataChecks.title')}</h2>
      {!anyData ? (
        <p className="muted">{t('dataChecks.noData')}</p>
      ) : items.length === 0 ? (
        waiting === 0 && <p className="muted">{t('dataChecks.none')}</p>
      ) : (
        <ul>
          {items.map((item) => (
            <CheckItem key={item.id} item={item} />
          ))}
        </ul>
      )}
      {anyData && waiting > 0 && <p className="muted">{t('dataChecks.waiting', { n: formatNumber(waiting) })}</p>}
      {anyData && waiting === 0 && compared < embedded && (
        <p className="muted">{t('dataChecks.sampled', { compared: formatNumber(compared), total: formatNumber(embedded) })}</p>
      )}
    </section>
  );
}

/** The finding's sentence in the page's language, from its kind and numbers (the ml layer knows no languages). */
function describeCheck({ kind, params: p }: DataCheck): string {
  const q = (name: string | undefined) => t('dataChecks.quoted', { name: name ?? '' });
  const [a, b] = p.names ?? [];
  const count = p.count ?? 0;
  const n = formatNumber(count);
  switch (kind) {
    case 'too-few':
      return t('dataChecks.tooFew', { name: q(a), count, n, min: formatNumber(p.min ?? 0) });
    case 'imbalance':
      return t('dataChecks.imbalance', { big: q(a), small: q(b), ratio: formatNumber(p.ratio ?? 0, 1), bigCount: formatNumber(p.bigCount ?? 0), smallCount: formatNumber(p.smallCount ?? 0) });
    case 'duplicates':
      return t('dataChecks.duplicates', { count, n, names: new Intl.ListFormat(currentLanguage()).format((p.names ?? []).map(q)) });
    case 'overlap':
      return t('dataChecks.overlap', { a: q(a), b: q(b), share: formatPercent(p.share ?? 0, 0) });
    case 'mislabelled':
      return t('dataChecks.mislabelled', { count, n, from: q(a), to: q(b) });
    case 'chance':
      return t('dataChecks.chance', { accuracy: formatPercent(p.share ?? 0, 0), chance: formatPercent(p.chance ?? 0, 0) });
  }
}

function CheckItem({ item }: { item: DataCheck }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const classes = useAppStore((s) => s.classes);
  const present = item.sampleIds.filter((id) => samples.get(id));
  const [target, setTarget] = useState('');
  const message = describeCheck(item);
  const targets = classes.filter((c) => !(item.kind === 'too-few' && item.classIds.includes(c.id)));
  return (
    <li className="check-item">
      <p>{message}</p>
      {item.kind === 'chance' ? (
        <button type="button" className="btn" onClick={() => void train()}>
          {t('dataChecks.trainAgain')}
        </button>
      ) : (
        <button type="button" className="btn ghost" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? t('dataChecks.hide') : t('dataChecks.show', { count: present.length, n: formatNumber(present.length) })}
        </button>
      )}
      {open && present.length > 0 && (
        <div role="group" aria-label={t('dataChecks.concerned', { message })}>
          <div className="examples">
            {present.map((id, i) => (
              <img key={id} src={samples.url(id)} alt={t('dataChecks.concernedExample', { n: formatNumber(i + 1) })} />
            ))}
          </div>
          <button type="button" className="btn danger" onClick={() => deleteSamples(present)}>
            {t('dataChecks.delete')}
          </button>{' '}
          <select aria-label={t('dataChecks.moveTo')} value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="">{t('dataChecks.moveToOption')}</option>
            {targets.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>{' '}
          <button type="button" className="btn" disabled={!target} onClick={() => moveSamples(present, target)}>
            {t('dataChecks.move')}
          </button>
        </div>
      )}
    </li>
  );
}
