import { useRef } from 'react';
import { useAppStore } from '../../store/appStore';
import { askNewProject, cancelConfirm, chooseProjectFile, confirmReplace, exportDataset, saveProject } from '../../store/actions/project';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ProgressBar } from '../../ui/ProgressBar';
import { StorageNotices } from './StorageNotices';

function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${Math.max(1, Math.round(n / 1024))} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** Project files: new, open (Glance or Teachable Machine), save, export the data set; and where work is kept. */
export function ProjectToolbar() {
  const input = useRef<HTMLInputElement>(null);
  const storage = useAppStore((s) => s.ui.storage);
  const confirm = useAppStore((s) => s.ui.confirm);
  return (
    <div className="project-bar">
      <div className="project-buttons">
        <button type="button" className="btn small" onClick={askNewProject}>
          New project
        </button>
        <button type="button" className="btn small" onClick={() => input.current?.click()}>
          Open project
        </button>
        <input
          ref={input}
          type="file"
          hidden
          accept=".zip,.tm,application/zip"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void chooseProjectFile(f);
          }}
        />
        <button type="button" className="btn small" onClick={() => void saveProject()}>
          Save project
        </button>
        <button type="button" className="btn small" onClick={() => void exportDataset()}>
          Export dataset
        </button>
      </div>
      <span className={`save-state muted${storage.full || storage.restoreFailed ? ' bad' : ''}`}>
        {storage.secondaryTab
          ? 'Not saving: open in another tab'
          : storage.restoreFailed
            ? 'Not saving: the saved project could not be restored'
          : storage.full
            ? 'Browser storage full: not saving'
            : `Saved in this browser${storage.usageBytes != null ? ` · ${formatBytes(storage.usageBytes)} used` : ''}`}
      </span>
      <StorageNotices onOpenFile={() => input.current?.click()} />
      <ConfirmDialog
        open={confirm !== null}
        title={confirm?.kind === 'open' ? `Open "${confirm.fileName}"?` : 'Start a new project?'}
        message={
          confirm?.kind === 'open'
            ? 'It replaces the current project: its classes, examples and model. Save the current project first if you want to keep it.'
            : storage.restoreFailed
              ? 'This replaces the saved project that could not be restored: it is deleted from browser storage for good.'
              : 'This clears every class, example and the model. Save the current project first if you want to keep it.'
        }
        confirmLabel={confirm?.kind === 'open' ? 'Replace' : 'Start new project'}
        onCancel={cancelConfirm}
        onConfirm={() => void confirmReplace()}
      />
    </div>
  );
}

/** Covers the workspace while a saved project comes back (or a file is opened), so nothing typed meanwhile is lost. */
export function RestoreOverlay() {
  const restoring = useAppStore((s) => s.ui.restore);
  const opening = useAppStore((s) => s.ui.opening);
  const restore = restoring ?? opening;
  if (!restore) return null;
  const what = restoring ? 'Restoring project' : 'Opening project';
  return (
    <div className="restore-overlay">
      <div className="card restore-card">
        <p>{restoring ? 'Restoring your project…' : 'Opening the project…'}</p>
        <ProgressBar label={what} value={restore.done} max={restore.total} valueText={restore.total ? `${restore.done} of ${restore.total} examples` : 'Reading saved data'} />
        {restore.total > 0 && (
          <p className="muted">
            {restore.done} of {restore.total} examples
          </p>
        )}
      </div>
    </div>
  );
}
