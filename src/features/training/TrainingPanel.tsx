import { pct } from '../../ui/format';
import { ProgressBar } from '../../ui/ProgressBar';
import { isModelStale, useAppStore } from '../../store/appStore';
import { stopTraining, train } from '../../store/actions/training';
import type { AppState } from '../../store/types';
import { ExportButton } from '../export/ExportButton';

/** Train / stop, live progress, and what the model in use is. */
export function TrainingPanel() {
  const training = useAppStore((s) => s.training);
  const stale = useAppStore(isModelStale);
  const pending = useAppStore((s) => s.ui.pendingEmbeddings);
  // Switching the image model: a head trained now would belong to neither the old bases nor the new ones.
  const switching = useAppStore((s) => s.ui.engine.status === 'loading' && s.ui.engine.backend !== null);
  const busy = training.phase === 'training';
  const summary = training.model?.summary;
  return (
    <section className="card panel" aria-label="Training">
      <h2>Training</h2>
      <button type="button" className="btn primary wide" disabled={switching} onClick={() => void train()}>
        Train model
      </button>
      {switching && <p className="muted">The image model is changing; you can train once it has loaded.</p>}
      {busy && <TrainingProgress />}
      {busy && pending > 0 && <p className="muted">Preparing {pending} examples…</p>}
      {!busy && summary && !stale && (
        <p role="status" className="status good">
          Model trained: {pct(summary.valAccuracy ?? summary.trainAccuracy)} {summary.valAccuracy != null ? 'validation' : 'training'} accuracy
          {summary.stopped ? `, stopped after ${summary.epochsRun} epochs` : ''} ({summary.examples} examples
          {summary.augmentedCopies ? ` + ${summary.augmentedCopies} augmented copies` : ''}).
        </p>
      )}
      {summary && stale && (
        <p role="status" className="status warn">
          Model is out of date: the examples changed since it was trained. It keeps predicting; train again to update it.
        </p>
      )}
      {!summary && !busy && <p className="muted">Add examples to at least two classes, then train.</p>}
      <ExportButton />
    </section>
  );
}

/** What the one "Training progress" bar shows: augmented copies being made, then epochs. */
function progressOf({ epoch, epochs, last, augmenting }: AppState['training']): { value: number; max: number; text: string; count?: string } {
  if (augmenting && !last) {
    const count = `${augmenting.done} / ${augmenting.total} examples`;
    return { value: augmenting.done, max: augmenting.total, text: 'Preparing augmented copies:', count };
  }
  if (!last) return { value: 0, max: 0, text: 'Preparing the examples…' };
  const text = `Epoch ${epoch} of ${epochs} · loss ${last.loss.toFixed(3)} · accuracy ${pct(last.acc)} · validation ${pct(last.valAcc)}`;
  return { value: epoch, max: epochs, text };
}

/**
 * What screen readers hear while training: a change only at each quarter of the epochs (not every epoch, which would
 * be a flood of speech), so at most five announcements per run.
 */
function announcement({ epoch, epochs, last }: AppState['training']): string {
  if (!last || epochs === 0) return 'Training started.';
  const quarter = Math.floor((epoch / epochs) * 4);
  return quarter === 0 ? 'Training started.' : `Training ${quarter * 25}% done.`;
}

function TrainingProgress() {
  const training = useAppStore((s) => s.training);
  const { value, max, text, count } = progressOf(training);
  const valueText = training.last ? `Epoch ${training.epoch} of ${training.epochs}` : count ? `${text} ${count}` : text;
  return (
    <div className="training-progress">
      <ProgressBar label="Training progress" value={value} max={max} valueText={valueText} />
      <p role="status" className="visually-hidden">
        {announcement(training)}
      </p>
      <p className="muted">
        {text} {count && <span className="nowrap">{count}</span>}
      </p>
      <button type="button" className="btn" onClick={stopTraining}>
        Stop training
      </button>
    </div>
  );
}
