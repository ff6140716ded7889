import { ProgressBar } from '../../ui/ProgressBar';
import { useAppStore } from '../../store/appStore';
import { cancelUpload } from '../../store/actions/addSamples';
import type { ClassId } from '../../store/types';

/** Progress of a running upload into one class, with a way out. */
export function UploadProgressBar({ classId }: { classId: ClassId }) {
  const progress = useAppStore((s) => s.ui.uploads[classId]);
  if (!progress) return null;
  return (
    <div className="upload-progress">
      <ProgressBar label="Adding images" value={progress.done} max={progress.total} valueText={`${progress.done} of ${progress.total} images`} />
      <span className="muted">
        Adding {progress.done} of {progress.total}
      </span>
      <button type="button" className="btn ghost small" onClick={() => cancelUpload(classId)}>
        Cancel upload
      </button>
    </div>
  );
}
