import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n';
import { useAppStore } from '../../store/appStore';
import { setConfidenceThreshold, setSmoothing } from '../../store/actions/prediction';

/** Says "None of these classes" when the image is unlike every class; the meters stay as they are. */
export function NoneOfThese() {
  const { t } = useTranslation();
  const none = useAppStore((s) => s.prediction.noneOfThese && s.prediction.confidences !== null);
  return (
    <p className={`none-of-these${none ? ' shown' : ''}`} role="status" aria-live="polite">
      {none ? t('preview.noneOfThese') : ''}
    </p>
  );
}

/** The "Confidence threshold" slider (how unlike the training examples an image may be) and live smoothing. */
export function NoveltyControls() {
  const { t } = useTranslation();
  const threshold = useAppStore((s) => s.prediction.threshold);
  const smoothing = useAppStore((s) => s.prediction.smoothing);
  return (
    <div className="novelty-controls">
      <label className="field">
        <span>{t('preview.threshold')}</span>
        <input
          type="range"
          min={0}
          max={100}
          step={1}
          value={threshold}
          aria-label={t('preview.threshold')}
          aria-valuetext={t('preview.thresholdText', { n: formatNumber(threshold), calibrated: formatNumber(50) })}
          onChange={(e) => setConfidenceThreshold(Number(e.target.value))}
        />
        <span className="muted">{formatNumber(threshold)}</span>
      </label>
      <label className="check">
        <input type="checkbox" checked={smoothing} onChange={(e) => setSmoothing(e.target.checked)} />
        {t('preview.smoothing')}
      </label>
    </div>
  );
}
