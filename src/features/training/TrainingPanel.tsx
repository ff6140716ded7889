import { isModelStale, useAppStore } from '../../store/appStore';
import { stopTraining, train } from '../../store/actions/training';
import { ExportButton } from '../export/ExportButton';

const pct = (x: number | null | undefined) => (x == null ? '–' : `${(100 * x).toFixed(1)}%`);

/** Train / stop, live progress, and what the model in use is. */
export function TrainingPanel() {
  const training = useAppStore((s) => s.training);
  const stale = useAppStore(isModelStale);
  const pending = useAppStore((s) => s.ui.pendingEmbeddings);
  const busy = training.phase === 'training';
  const summary = training.model?.summary;
  return (
    <section className="card panel" aria-label="Training">
      <h2>Training</h2>
      <button type="button" className="btn primary wide" onClick={() => void train()}>
        Train model
      </button>
      {busy && <TrainingProgress />}
      {busy && pending > 0 && <p className="muted">Preparing {pending} examples…</p>}
      {!busy && summary && !stale && (
        <p role="status" className="status good">
          Model trained: {pct(summary.valAccuracy ?? summary.trainAccuracy)} {summary.valAccuracy != null ? 'validation' : 'training'} accuracy
          {summary.stopped ? `, stopped after ${summary.epochsRun} epochs` : ''} ({summary.examples} examples).
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

function TrainingProgress() {
  const { epoch, epochs, last } = useAppStore((s) => s.training);
  return (
    <div className="training-progress">
      <div
        className="bar"
        role="progressbar"
        aria-label="Training progress"
        aria-valuemin={0}
        aria-valuemax={epochs || 1}
        aria-valuenow={epoch}
        aria-valuetext={epochs ? `Epoch ${epoch} of ${epochs}` : 'Preparing'}
      >
        <div className="bar-fill" style={{ width: epochs ? `${(100 * epoch) / epochs}%` : '0%' }} />
      </div>
      <p className="muted">
        {last
          ? `Epoch ${epoch} of ${epochs} · loss ${last.loss.toFixed(3)} · accuracy ${pct(last.acc)} · validation ${pct(last.valAcc)}`
          : 'Preparing the examples…'}
      </p>
      <button type="button" className="btn" onClick={stopTraining}>
        Stop training
      </button>
    </div>
  );
}
