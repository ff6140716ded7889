import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n';
import { ProgressBar } from '../../ui/ProgressBar';
import { useAppStore } from '../../store/appStore';
import { cancelUpload } from '../../store/actions/addSamples';
import type { ClassId } from '../../store/types';

/** Progress of a running upload into one class, with a way out. */
export function UploadProgressBar({ classId }: { classId: ClassId }) {
  const { t } = useTranslation();
  const progress = useAppStore((s) => s.ui.uploads[classId]);
  if (!progress) return null;
  const counts = { count: progress.total, done: formatNumber(progress.done), total: formatNumber(progress.total) };
  return (
    <div className="upload-progress">
      <ProgressBar label={t('upload.progress')} value={progress.done} max={progress.total} valueText={t('upload.valueText', counts)} />
      <span className="muted">{t('upload.adding', counts)}</span>
      <button type="button" className="btn ghost small" onClick={() => cancelUpload(classId)}>
        {t('upload.cancel')}
      </button>
    </div>
  );
}
