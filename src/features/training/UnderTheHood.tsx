import { BasePicker } from './BasePicker';
import { MIN_PER_CLASS_FOR_VALIDATION } from '../../store/appStore';
import { useId, useState } from 'react';
import { useAppStore } from '../../store/appStore';
import { modelLabels } from '../../store/actions/exportModel';
import { resetTrainingSettings, setTrainingSettings } from '../../store/actions/training';
import { pct } from '../../ui/format';
import { AUGMENT_COUNT } from '../../store/augmentation';
import { HistoryChart } from './HistoryChart';

/** Like Teachable Machine's "Under the hood": curves, per-class accuracy, confusion matrix, advanced settings. */
export function UnderTheHood() {
  const history = useAppStore((s) => s.training.history);
  // Curves are drawn once training ends: redrawing a chart per epoch would take the main thread from the person.
  const training = useAppStore((s) => s.training.phase === 'training');
  const [tableOpen, setTableOpen] = useState(false);
  const report = useAppStore((s) => s.training.model?.summary.validation);
  const labels = useAppStore((s) => (s.training.model ? modelLabels().join('\u0000') : '')).split('\u0000');
  return (
    <details className="card panel under-hood">
      <summary>
        <h2>Under the hood</h2>
      </summary>
      {training && <p className="muted">Training… the curves appear when it ends.</p>}
      {!training && history.length > 0 && (
        <div className="charts">
          <HistoryChart history={history} metric="acc" title="Accuracy per epoch" />
          <HistoryChart history={history} metric="loss" title="Loss per epoch" />
        </div>
      )}
      {/* Updated ~10 times a second while training; opened once, it stays open across trainings. */}
      {history.length > 0 && <HistoryTable open={tableOpen} onToggle={setTableOpen} />}
      {!training && report && report.size === 0 && (
        <p className="muted">
          No validation split this time: with fewer than {MIN_PER_CLASS_FOR_VALIDATION} examples in a class, every example is
          used for training (one or two held-out images would measure nothing). Add examples to see accuracy per class
          and a confusion matrix.
        </p>
      )}
      {report && report.size > 0 && (
        <>
          <table className="data-table">
            <caption>Accuracy per class (validation)</caption>
            <thead>
              <tr>
                <th scope="col">Class</th>
                <th scope="col">Accuracy</th>
                <th scope="col">Validation examples</th>
              </tr>
            </thead>
            <tbody>
              {labels.map((name, i) => (
                <tr key={i}>
                  <th scope="row">{name}</th>
                  <td>{pct(report.perClass[i])}</td>
                  <td>{report.confusion[i]?.reduce((a, b) => a + b, 0) ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="table-scroll">
          <table className="data-table confusion">
            <caption>Confusion matrix (validation: rows are the true class, columns the prediction)</caption>
            <thead>
              <tr>
                <td />
                {labels.map((name, i) => (
                  <th key={i} scope="col">
                    {name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.confusion.map((row, i) => (
                <tr key={i}>
                  <th scope="row">{labels[i]}</th>
                  {row.map((n, j) => (
                    <td key={j} className={i === j ? 'diag' : n > 0 ? 'off' : ''}>
                      {n}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        </>
      )}
      {!training && history.length === 0 && <p className="muted">Train a model to see how training went.</p>}
      <AdvancedSettings />
      <BasePicker />
    </details>
  );
}

function HistoryTable({ open, onToggle }: { open: boolean; onToggle: (open: boolean) => void }) {
  const history = useAppStore((s) => s.training.history);
  return (
    <details className="history-table" open={open} onToggle={(e) => onToggle(e.currentTarget.open)}>
      <summary>Training history as a table</summary>
      <div className="table-scroll">
      <table className="data-table">
        <caption>Training history</caption>
        <thead>
          <tr>
            <th scope="col">Epoch</th>
            <th scope="col">Loss</th>
            <th scope="col">Accuracy</th>
            <th scope="col">Validation loss</th>
            <th scope="col">Validation accuracy</th>
          </tr>
        </thead>
        <tbody>
          {history.map((h) => (
            <tr key={h.epoch}>
              <th scope="row">{h.epoch}</th>
              <td>{h.loss.toFixed(4)}</td>
              <td>{pct(h.acc)}</td>
              <td>{h.valLoss == null ? '–' : h.valLoss.toFixed(4)}</td>
              <td>{pct(h.valAcc)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </details>
  );
}

function AdvancedSettings() {
  const settings = useAppStore((s) => s.training.settings);
  const hintId = useId();
  return (
    <fieldset className="advanced">
      <legend>Advanced training settings</legend>
      <div className="settings-grid">
        <label className="field">
          <span>Epochs</span>
          <input type="number" min={1} max={500} value={settings.epochs} onChange={(e) => setTrainingSettings({ epochs: e.target.valueAsNumber })} />
        </label>
        <label className="field">
          <span>Batch size</span>
          <input type="number" min={1} max={512} value={settings.batchSize} onChange={(e) => setTrainingSettings({ batchSize: e.target.valueAsNumber })} />
        </label>
        <label className="field">
          <span>Learning rate</span>
          <input type="number" min={0.00001} max={1} step={0.0005} value={settings.learningRate} onChange={(e) => setTrainingSettings({ learningRate: e.target.valueAsNumber })} />
        </label>
      </div>
      <div>
        <label className="check">
          <input type="checkbox" checked={settings.augment} aria-describedby={hintId} onChange={(e) => setTrainingSettings({ augment: e.target.checked })} />
          Augment examples (flips, crops, colour)
        </label>
        <p id={hintId} className="muted hint">
          Also trains on {AUGMENT_COUNT} changed copies of each example. Slower, and not always better: compare the
          validation accuracy with it on and off.
        </p>
      </div>
      <button type="button" className="btn small" onClick={resetTrainingSettings}>
        Reset to defaults
      </button>
    </fieldset>
  );
}
