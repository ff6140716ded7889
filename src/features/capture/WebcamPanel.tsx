import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n';
import { useAppStore } from '../../store/appStore';
import { chooseCamera, closeWebcam, setMirror, switchCamera } from '../../store/actions/camera';
import { startRecording, stopRecording } from '../../store/actions/recording';
import type { ClassId } from '../../store/types';
import { CameraVideo } from './CameraVideo';
import { RecordingSettingsForm } from './RecordingSettingsForm';

/** The camera inside a class card: picker, mirror, hold-to-record and recording settings. */
export function WebcamPanel({ classId }: { classId: ClassId }) {
  const { t } = useTranslation();
  const camera = useAppStore((s) => s.camera);
  if (camera.starting && !camera.open) {
    return <p className="muted camera-wait">{t('webcam.starting')}</p>;
  }
  const { durationSec } = camera.settings;
  return (
    <div className="webcam">
      <div className="camera-frame">
        <CameraVideo label={t('webcam.view')} />
        {camera.recording && (
          <span className="rec" aria-hidden="true">
            {camera.countdown ? t('webcam.countdown', { n: formatNumber(camera.countdown) }) : t('webcam.rec')}
          </span>
        )}
      </div>
      <div className="webcam-controls">
        <label className="field">
          <span>{t('webcam.camera')}</span>
          <select aria-label={t('webcam.camera')} value={camera.deviceId ?? ''} onChange={(e) => void chooseCamera(e.target.value)}>
            {camera.devices.map((d) => (
              <option key={d.deviceId} value={d.deviceId}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        {camera.devices.length > 1 && (
          <button type="button" className="btn" onClick={() => void switchCamera()}>
            {t('webcam.switch')}
          </button>
        )}
        <label className="check">
          <input type="checkbox" checked={camera.mirror} onChange={(e) => setMirror(e.target.checked)} />
          {t('webcam.mirror')}
        </label>
      </div>
      <div className="record-row">
        <button
          type="button"
          className={`btn primary record${camera.recording ? ' active' : ''}`}
          aria-pressed={camera.recording}
          onPointerDown={(e) => {
            e.currentTarget.setPointerCapture(e.pointerId);
            startRecording(classId);
          }}
          onPointerUp={stopRecording}
          onPointerCancel={stopRecording}
          onLostPointerCapture={stopRecording}
          onKeyDown={(e) => {
            if ((e.key === ' ' || e.key === 'Enter') && !e.repeat) {
              e.preventDefault();
              startRecording(classId);
            }
          }}
          onKeyUp={(e) => {
            if (e.key === ' ' || e.key === 'Enter') {
              e.preventDefault();
              stopRecording();
            }
          }}
          onBlur={stopRecording}
          onContextMenu={(e) => e.preventDefault()}
        >
          {t('webcam.hold')}
        </button>
        {durationSec > 0 && (
          <button type="button" className="btn" disabled={camera.recording} onClick={() => startRecording(classId, true)}>
            {t('webcam.recordFor', { count: durationSec, n: formatNumber(durationSec) })}
          </button>
        )}
        <button type="button" className="btn ghost" onClick={closeWebcam}>
          {t('webcam.close')}
        </button>
      </div>
      <RecordingSettingsForm />
    </div>
  );
}
