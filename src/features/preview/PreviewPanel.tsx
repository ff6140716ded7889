import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/appStore';
import { closeWebcam, openWebcam } from '../../store/actions/camera';
import { backToWebcam, testImage } from '../../store/actions/prediction';
import { modelLabels } from '../../store/actions/exportModel';
import { CameraVideo } from '../capture/CameraVideo';
import { ConfidenceMeters } from './ConfidenceMeters';
import { HeatmapOverlay, HeatmapToggle } from './Heatmap';
import { NoneOfThese, NoveltyControls } from './NoveltyControls';

/** Live predictions from the camera, or the prediction for an uploaded test image. */
export function PreviewPanel() {
  const { t } = useTranslation();
  const hasModel = useAppStore((s) => s.training.model !== null);
  // Re-computed when classes are renamed so meters follow the current names.
  const labels = useAppStore((s) => (s.training.model ? modelLabels().join('\u0000') : ''));
  const mode = useAppStore((s) => s.prediction.mode);
  const testImg = useAppStore((s) => s.prediction.testImage);
  const camera = useAppStore((s) => s.camera);
  return (
    <section className="card panel" aria-label={t('preview.title')}>
      <h2>{t('preview.title')}</h2>
      {!hasModel && <p className="muted">{t('preview.noModel')}</p>}
      {hasModel && (
        <>
          <div className="preview-view">
            {mode === 'image' && testImg ? (
              <div className="heatmap-wrap">
                <img src={testImg.url} alt={testImg.name} className="test-image" />
                <HeatmapOverlay />
              </div>
            ) : camera.open ? (
              <CameraVideo label={t('preview.live')} />
            ) : (
              <div className="placeholder">
                <p>{t('preview.placeholder')}</p>
              </div>
            )}
          </div>
          <div className="preview-actions">
            {mode === 'image' && (
              <button type="button" className="btn" onClick={backToWebcam}>
                {t('preview.back')}
              </button>
            )}
            {mode === 'webcam' && !camera.open && (
              <button type="button" className="btn" onClick={() => void openWebcam(null)}>
                {t('preview.turnOn')}
              </button>
            )}
            {mode === 'webcam' && camera.open && camera.classId === null && (
              <button type="button" className="btn ghost" onClick={closeWebcam}>
                {t('webcam.close')}
              </button>
            )}
            <label className="btn file-btn">
              {t('preview.test')}
              <input
                type="file"
                accept="image/*"
                className="visually-hidden"
                aria-label={t('preview.test')}
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  e.target.value = '';
                  if (file) void testImage(file);
                }}
              />
            </label>
          </div>
          <h3 className="sub">{t('preview.output')}</h3>
          <NoneOfThese />
          <ConfidenceMeters labels={labels ? labels.split('\u0000') : []} />
          <NoveltyControls />
          {mode === 'image' && <HeatmapToggle />}
        </>
      )}
    </section>
  );
}
