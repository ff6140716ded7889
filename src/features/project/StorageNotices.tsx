import { useAppStore } from '../../store/appStore';
import { askNewProject, downloadStoredExamples } from '../../store/actions/project';
import { deleteSetAside } from '../../store/actions/classes';

/**
 * What the page says about browser storage when something is wrong: the saved project could not be restored (and
 * nothing is written over it until the person chooses), examples set aside because their images cannot be read,
 * and storage held by another tab.
 */
export function StorageNotices({ onOpenFile }: { onOpenFile: () => void }) {
  const restoreFailed = useAppStore((s) => s.ui.storage.restoreFailed);
  const blocked = useAppStore((s) => s.ui.storage.blocked);
  const setAside = useAppStore((s) => s.ui.setAside);
  if (!restoreFailed && !blocked && setAside.length === 0) return null;
  return (
    <div className="messages storage-notices">
      {restoreFailed && (
        <section className="message error notice-block" aria-label="Saved project not restored">
          <p role="alert">{restoreFailed}</p>
          <div className="notice-actions">
            <button type="button" className="btn small" onClick={onOpenFile}>
              Open a project file
            </button>
            <button type="button" className="btn small" onClick={() => void downloadStoredExamples()}>
              Download the stored examples
            </button>
            <button type="button" className="btn small" onClick={askNewProject}>
              Start a new project
            </button>
          </div>
        </section>
      )}
      {blocked && (
        <div className="message error">
          <p role="alert">Browser storage is held by an older Glance tab, so saving waits. Close the other Glance tabs; your work here is kept meanwhile.</p>
        </div>
      )}
      {setAside.length > 0 && (
        <section className="message error notice-block" aria-label="Examples set aside">
          <p role="alert">
            {setAside.length === 1 ? '1 example could not be read' : `${setAside.length} examples could not be read`} and{' '}
            {setAside.length === 1 ? 'was' : 'were'} set aside: training skips {setAside.length === 1 ? 'it' : 'them'}, and{' '}
            {setAside.length === 1 ? 'it stays' : 'they stay'} in browser storage until you delete {setAside.length === 1 ? 'it' : 'them'}.
          </p>
          <ul className="set-aside-list">
            {setAside.map((e) => (
              <li key={e.id}>
                Example {e.position} of “{e.className}”: {e.reason}
              </li>
            ))}
          </ul>
          <div className="notice-actions">
            <button type="button" className="btn small" onClick={deleteSetAside}>
              Delete the examples set aside
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
