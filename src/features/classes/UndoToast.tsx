import { useAppStore } from '../../store/appStore';
import { dropUndo, undo } from '../../store/actions/undo';

/** "Deleted …" with an Undo button, for about 10 seconds after a class or examples were deleted. */
export function UndoToast() {
  const offer = useAppStore((s) => s.ui.undo);
  if (!offer) return null;
  return (
    <div className="undo-toast" role="status">
      <p>{offer.message}</p>
      <button type="button" className="btn small" onClick={() => undo()}>
        Undo
      </button>
      <button type="button" className="icon-btn" aria-label="Dismiss" onClick={dropUndo}>
        ×
      </button>
    </div>
  );
}
