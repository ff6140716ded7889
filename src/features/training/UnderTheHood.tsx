import { BasePicker } from './BasePicker';
import { MIN_PER_CLASS_FOR_VALIDATION } from '../../store/appStore';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n';
import { useAppStore } from '../../store/appStore';
import { modelLabels } from '../../store/actions/exportModel';
import { resetTrainingSettings, setTrainingSettings } from '../../store/actions/training';
import { pct } from '../../ui/format';
import { AUGMENT_COUNT } from '../../store/augmentation';
import { HistoryChart } from './HistoryChart';

/** Like Teachable Machine's "Under the hood": curves, per-class accuracy, confusion matrix, advanced settings. */
export function UnderTheHood() {
  const { t } = useTranslation();
  const history = useAppStore((s) => s.training.history);
  // Curves are drawn once training ends: redrawing a chart per epoch would take the main thread from the person.
  const training = useAppStore((s) => s.training.phase === 'training');
  const [tableOpen, setTableOpen] = useState(false);
  const report = useAppStore((s) => s.training.model?.summary.validation);
  const labels = useAppStore((s) => (s.training.model ? modelLabels().join('\u0000') : '')).split('\u0000');
  return (
    <details className="card panel under-hood">
      <summary>
        <h2>{t('hood.title')}</h2>
      </summary>
      {training && <p className="muted">{t('hood.training')}</p>}
      {!training && history.length > 0 && (
        <div className="charts">
          <HistoryChart history={history} metric="acc" title={t('hood.accuracyChart')} />
          <HistoryChart history={history} metric="loss" title={t('hood.lossChart')} />
        </div>
      )}
      {/* Updated ~10 times a second while training; opened once, it stays open across trainings. */}
      {history.length > 0 && <HistoryTable open={tableOpen} onToggle={setTableOpen} />}
      {!training && report && report.size === 0 && (
        <p className="muted">{t('hood.noValidation', { n: formatNumber(MIN_PER_CLASS_FOR_VALIDATION) })}</p>
      )}
      {report && report.size > 0 && (
        <>
          <table className="data-table">
            <caption>{t('hood.perClass')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('hood.class')}</th>
                <th scope="col">{t('hood.accuracy')}</th>
                <th scope="col">{t('hood.valExamples')}</th>
              </tr>
            </thead>
            <tbody>
              {labels.map((name, i) => (
                <tr key={i}>
                  <th scope="row">{name}</th>
                  <td>{pct(report.perClass[i])}</td>
                  <td>{formatNumber(report.confusion[i]?.reduce((a, b) => a + b, 0) ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="table-scroll">
          <table className="data-table confusion">
            <caption>{t('hood.confusion')}</caption>
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
                      {formatNumber(n)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        </>
      )}
      {!training && history.length === 0 && <p className="muted">{t('hood.empty')}</p>}
      <AdvancedSettings />
      <BasePicker />
    </details>
  );
}

function HistoryTable({ open, onToggle }: { open: boolean; onToggle: (open: boolean) => void }) {
  const { t } = useTranslation();
  const history = useAppStore((s) => s.training.history);
  return (
    <details className="history-table" open={open} onToggle={(e) => onToggle(e.currentTarget.open)}>
      <summary>{t('hood.historyTable')}</summary>
      <div className="table-scroll">
      <table className="data-table">
        <caption>{t('hood.history')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('chart.epoch')}</th>
            <th scope="col">{t('hood.loss')}</th>
            <th scope="col">{t('hood.accuracy')}</th>
            <th scope="col">{t('hood.valLoss')}</th>
            <th scope="col">{t('hood.valAccuracy')}</th>
          </tr>
        </thead>
        <tbody>
          {history.map((h) => (
            <tr key={h.epoch}>
              <th scope="row">{formatNumber(h.epoch)}</th>
              <td>{formatNumber(h.loss, 4)}</td>
              <td>{pct(h.acc)}</td>
              <td>{h.valLoss == null ? '–' : formatNumber(h.valLoss, 4)}</td>
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
  const { t } = useTranslation();
  const settings = useAppStore((s) => s.training.settings);
  const hintId = useId();
  return (
    <fieldset className="advanced">
      <legend>{t('hood.advanced')}</legend>
      <div className="settings-grid">
        <label className="field">
          <span>{t('hood.epochs')}</span>
          <input type="number" min={1} max={500} value={settings.epochs} onChange={(e) => setTrainingSettings({ epochs: e.target.valueAsNumber })} />
        </label>
        <label className="field">
          <span>{t('hood.batchSize')}</span>
          <input type="number" min={1} max={512} value={settings.batchSize} onChange={(e) => setTrainingSettings({ batchSize: e.target.valueAsNumber })} />
        </label>
        <label className="field">
          <span>{t('hood.learningRate')}</span>
          <input type="number" min={0.00001} max={1} step={0.0005} value={settings.learningRate} onChange={(e) => setTrainingSettings({ learningRate: e.target.valueAsNumber })} />
        </label>
      </div>
      <div>
        <label className="check">
          <input type="checkbox" checked={settings.augment} aria-describedby={hintId} onChange={(e) => setTrainingSettings({ augment: e.target.checked })} />
          {t('hood.augment')}
        </label>
        <p id={hintId} className="muted hint">
          {t('hood.augmentHint', { n: formatNumber(AUGMENT_COUNT) })}
        </p>
      </div>
      <button type="button" className="btn small" onClick={resetTrainingSettings}>
        {t('hood.reset')}
      </button>
    </fieldset>
  );
}
