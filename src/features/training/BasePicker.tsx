import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n';
import { BASE_CHOICES } from '../../store/baseChoice';
import { useAppStore } from '../../store/appStore';
import { switchBases } from '../../store/actions/engine';

/**
 * Which frozen image model(s) turn examples into embeddings. Changing it re-embeds every example (its image is
 * kept) and drops the trained model, so the choice is disabled while training or while a model is loading.
 */
export function BasePicker() {
  const { t } = useTranslation();
  const engine = useAppStore((s) => s.ui.engine);
  const training = useAppStore((s) => s.training.phase === 'training');
  const pending = useAppStore((s) => s.ui.pendingEmbeddings);
  const busy = engine.status !== 'ready' || training;
  return (
    <fieldset className="advanced base-picker" disabled={busy}>
      <legend>{t('base.legend')}</legend>
      {BASE_CHOICES.map((c) => (
        <label key={c.id} className="choice">
          <input type="radio" name="base-choice" value={c.id} checked={engine.bases === c.id} onChange={() => void switchBases(c.id)} />
          <span>
            {t(`base.${c.key}.label`, { mb: formatNumber(c.downloadMb ?? 0, 1) })}
            <span className="muted hint">{t(`base.${c.key}.hint`)}</span>
          </span>
        </label>
      ))}
      <p className="muted small" role="status">
        {engine.status === 'loading'
          ? t('engine.loading')
          : pending > 0
            ? t('base.computing', { count: pending, n: formatNumber(pending) })
            : t('base.hint')}
      </p>
    </fieldset>
  );
}
