import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/appStore';
import { dropUndo, undo } from '../../store/actions/undo';

/**
 * "Deleted …" with an Undo button, for about 10 seconds after a class or examples were deleted. Undo moves focus to
 * what came back (the class's grid, else its name), since the button itself goes away.
 */
export function UndoToast() {
  const { t } = useTranslation();
  const offer = useAppStore((s) => s.ui.undo);
  if (!offer) return null;
  return (
    <div className="undo-toast" role="status">
      <p>{offer.message}</p>
      <button type="button" className="btn small" onClick={() => focusClass(undo())}>
        {t('undo.undo')}
      </button>
      <button type="button" className="icon-btn" aria-label={t('undo.dismiss')} onClick={dropUndo}>
        ×
      </button>
    </div>
  );
}

function focusClass(classId: string | null): void {
  if (!classId) return;
  // After React has drawn the restored class.
  requestAnimationFrame(() => {
    const card = Array.from(document.querySelectorAll<HTMLElement>('[data-class-id]')).find((el) => el.dataset.classId === classId);
    (card?.querySelector<HTMLElement>('[role="gridcell"][tabindex="0"]') ?? card?.querySelector<HTMLElement>('input'))?.focus();
  });
}
