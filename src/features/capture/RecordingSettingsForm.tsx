import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/appStore';
import { setRecordingSettings } from '../../store/actions/camera';

/** Teachable-Machine-like recording settings: rate, delay, fixed duration. */
export function RecordingSettingsForm() {
  const { t } = useTranslation();
  const settings = useAppStore((s) => s.camera.settings);
  return (
    <details className="rec-settings">
      <summary>{t('recording.settings')}</summary>
      <div className="settings-grid">
        <label className="field">
          <span>{t('recording.fps')}</span>
          <input type="number" min={1} max={30} step={1} value={settings.fps} onChange={(e) => setRecordingSettings({ fps: e.target.valueAsNumber })} />
        </label>
        <label className="field">
          <span>{t('recording.delay')}</span>
          <input type="number" min={0} max={10} step={0.5} value={settings.delaySec} onChange={(e) => setRecordingSettings({ delaySec: e.target.valueAsNumber })} />
        </label>
        <label className="field">
          <span>{t('recording.duration')}</span>
          <input type="number" min={0} max={60} step={0.5} value={settings.durationSec} onChange={(e) => setRecordingSettings({ durationSec: e.target.valueAsNumber })} />
        </label>
      </div>
    </details>
  );
}
