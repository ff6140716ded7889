import { useEffect, useId, useRef } from 'react';

interface Props {
  open: boolean;
  title: string;
  message: string;
  confirmLabel: string;
  /** The button that keeps things as they are ("Cancel"), in the page's language. */
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * An in-page confirmation (never the native confirm()): a modal <dialog> whose button names the action. The modal
 * dialog keeps focus inside it (the rest of the page is inert); closing it returns focus to where it was.
 */
export function ConfirmDialog({ open, title, message, confirmLabel, cancelLabel, onConfirm, onCancel }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const textId = useId();
  const returnTo = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      d.showModal();
    }
    if (!open && d.open) {
      d.close();
      if (returnTo.current?.isConnected) returnTo.current.focus();
      returnTo.current = null;
    }
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={textId}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      onKeyDown={(e) => {
        // The modal already makes the page inert; this also keeps Tab from leaving for the browser's own controls.
        if (e.key !== 'Tab') return;
        const buttons = Array.from(e.currentTarget.querySelectorAll('button'));
        const edge = e.shiftKey ? buttons[0] : buttons[buttons.length - 1];
        if (document.activeElement === edge) {
          e.preventDefault();
          (e.shiftKey ? buttons[buttons.length - 1] : buttons[0])?.focus();
        }
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <p id={textId}>{message}</p>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onCancel} autoFocus>
          {cancelLabel}
        </button>
        <button type="button" className="btn danger" onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
