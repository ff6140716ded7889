import { messageOf } from '../../ml/errors';
import { setState } from '../appStore';

let nextErrorId = 1;

/** Shows an error to the person as its own role=alert. AbortErrors are the person's own choice: not errors. */
export function pushError(err: unknown): void {
  if (err instanceof DOMException && err.name === 'AbortError') return;
  const message = typeof err === 'string' ? err : messageOf(err);
  const id = nextErrorId++;
  setState((s) => ({ ui: { ...s.ui, errors: [...s.ui.errors, { id, message }] } }));
}

export function dismissError(id: number): void {
  setState((s) => ({ ui: { ...s.ui, errors: s.ui.errors.filter((e) => e.id !== id) } }));
}

export function dismissAllErrors(): void {
  setState((s) => ({ ui: { ...s.ui, errors: [] } }));
}

/** A passing success message (role=status), e.g. "Model exported". */
export function setNotice(notice: string | null): void {
  setState((s) => ({ ui: { ...s.ui, notice } }));
}
