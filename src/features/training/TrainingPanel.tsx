import { useTranslation } from 'react-i18next';
import { formatNumber, t } from '../../i18n';
import { pct } from '../../ui/format';
import { ProgressBar } from '../../ui/ProgressBar';
import { isModelStale, useAppStore } from '../../store/appStore';
import { stopTraining, train } from '../../store/actions/training';
import type { AppState } from '../../store/types';
import { ExportButton } from '../export/ExportButton';

/** Train / stop, live progress, and what the model in use is. */
export function TrainingPanel() {
  const { t } = useTranslation();
  const training = useAppStore((s) => s.training);
  const stale = useAppStore(isModelStale);
  const pending = useAppStore((s) => s.ui.pendingEmbeddings);
  // Switching the image model: a head trained now would belong to neither the old bases nor the new ones.
  const switching = useAppStore((s) => s.ui.engine.status === 'loading' && s.ui.engine.backend !== null);
  const busy = training.phase === 'training';
  const summary = training.model?.summary;
  return (
    <section className="card panel" aria-label={t('training.title')}>
      <h2>{t('training.title')}</h2>
      <button type="button" className="btn primary wide" disabled={switching} onClick={() => void train()}>
        {t('training.train')}
      </button>
      {switching && <p className="muted">{t('training.switching')}</p>}
      {busy && <TrainingProgress />}
      {busy && pending > 0 && <p className="muted">{t('training.preparing', { count: pending, n: formatNumber(pending) })}</p>}
      {!busy && summary && !stale && (
        <p role="status" className="status good">
          {t(summary.valAccuracy != null ? 'training.trainedVal' : 'training.trainedTrain', { accuracy: pct(summary.valAccuracy ?? summary.trainAccuracy) })}
          {summary.stopped ? t('training.stoppedAfter', { count: summary.epochsRun, n: formatNumber(summary.epochsRun) }) : ''}{' '}
          {summary.augmentedCopies
            ? t('training.examplesAugmented', { examples: formatNumber(summary.examples), count: summary.augmentedCopies, copies: formatNumber(summary.augmentedCopies) })
            : t('training.examples', { count: summary.examples, n: formatNumber(summary.examples) })}
        </p>
      )}
      {summary && stale && (
        <p role="status" className="status warn">
          {t('training.stale')}
        </p>
      )}
      {!summary && !busy && <p className="muted">{t('training.hint')}</p>}
      <ExportButton />
    </section>
  );
}

/** What the one "Training progress" bar shows: augmented copies being made, then epochs. */
function progressOf({ epoch, epochs, last, augmenting }: AppState['training']): { value: number; max: number; text: string; count?: string } {
  if (augmenting && !last) {
    const count = t('training.augmentingCount', { count: augmenting.total, done: formatNumber(augmenting.done), total: formatNumber(augmenting.total) });
    return { value: augmenting.done, max: augmenting.total, text: t('training.augmenting'), count };
  }
  if (!last) return { value: 0, max: 0, text: t('training.preparingExamples') };
  const text = t('training.epochLine', { epoch: formatNumber(epoch), epochs: formatNumber(epochs), loss: formatNumber(last.loss, 3), accuracy: pct(last.acc), validation: pct(last.valAcc) });
  return { value: epoch, max: epochs, text };
}

/**
 * What screen readers hear while training: a change only at each quarter of the epochs (not every epoch, which would
 * be a flood of speech), so at most five announcements per run.
 */
function announcement({ epoch, epochs, last }: AppState['training']): string {
  if (!last || epochs === 0) return t('training.started');
  const quarter = Math.floor((epoch / epochs) * 4);
  return quarter === 0 ? t('training.started') : t('training.done', { share: pct(quarter / 4, 0) });
}

function TrainingProgress() {
  const { t } = useTranslation();
  const training = useAppStore((s) => s.training);
  const { value, max, text, count } = progressOf(training);
  const valueText = training.last ? t('training.epochOf', { epoch: formatNumber(training.epoch), epochs: formatNumber(training.epochs) }) : count ? `${text} ${count}` : text;
  return (
    <div className="training-progress">
      <ProgressBar label={t('training.progress')} value={value} max={max} valueText={valueText} />
      <p role="status" className="visually-hidden">
        {announcement(training)}
      </p>
      <p className="muted">
        {text} {count && <span className="nowrap">{count}</span>}
      </p>
      <button type="button" className="btn" onClick={stopTraining}>
        {t('training.stop')}
      </button>
    </div>
  );
}
