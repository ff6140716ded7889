import { useAppStore } from '../../store/appStore';
import { cancelUpload } from '../../store/actions/addSamples';
import type { ClassId } from '../../store/types';

/** Progress of a running upload into one class, with a way out. */
export function UploadProgressBar({ classId }: { classId: ClassId }) {
  const progress = useAppStore((s) => s.ui.uploads[classId]);
  if (!progress) return null;
  const pct = progress.total ? (100 * progress.done) / progress.total : 0;
  return (
    <div className="upload-progress">
      <div
        className="bar"
        role="progressbar"
        aria-label="Adding images"
        aria-valuemin={0}
        aria-valuemax={progress.total}
        aria-valuenow={progress.done}
        aria-valuetext={`${progress.done} of ${progress.total} images`}
      >
        <div className="bar-fill" style={{ width: `${pct}%` }} />
      </div>
      <span className="muted">
        Adding {progress.done} of {progress.total}
      </span>
      <button type="button" className="btn ghost small" onClick={() => cancelUpload(classId)}>
        Cancel upload
      </button>
    </div>
  );
}
